#pragma once
// A stacked bar chart of precomputed bins (the chart layer only draws what it is given):
// used for the batch score histogram, bars split by decision band.

#include <QChartView>
#include <QColor>
#include <QStringList>

#include <vector>

#include "ui/widgets/ChartStyle.h"

namespace cwb::ui {

struct HistogramData {
    QString title;
    QString xTitle;
    QString yTitle;
    QStringList categories;  // one label per bin
    struct Series {
        QString name;
        QColor color;
        std::vector<double> values;  // one per bin
    };
    std::vector<Series> series;
};

class HistogramChart : public QChartView {
    Q_OBJECT
public:
    explicit HistogramChart(QWidget* parent = nullptr);
    void setData(const HistogramData& data);
    const HistogramData& data() const { return m_data; }

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    HistogramData m_data;
    AxisTitles m_titles;
};

}  // namespace cwb::ui
