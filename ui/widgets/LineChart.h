#pragma once
// A line chart of precomputed series (Qt Charts): ROC, KS, precision-recall, calibration,
// score distributions, gains and lift, each fed by the engine's figures through
// ui/PerformanceCharts. Only drawing lives here, so Qt Charts can be swapped out.

#include <QChartView>
#include <QColor>
#include <QPointF>
#include <QString>

#include <vector>

#include "ui/widgets/ChartStyle.h"

namespace cwb::ui {

struct LineChartData {
    QString title;
    QString xTitle, yTitle;
    QString xFormat = QStringLiteral("%.2f"), yFormat = QStringLiteral("%.2f");
    // Axis ranges; min >= max means "fit the data".
    double xMin = 0.0, xMax = 0.0, yMin = 0.0, yMax = 0.0;
    struct Series {
        QString name;  // empty: not in the legend (reference lines)
        QColor color;
        std::vector<QPointF> points;
        bool dashed = false;
        bool markers = false;  // draw the points too (calibration deciles)
    };
    std::vector<Series> series;
};

class LineChart : public QChartView {
    Q_OBJECT
public:
    explicit LineChart(QWidget* parent = nullptr);
    void setData(const LineChartData& data);
    const LineChartData& data() const { return m_data; }

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    LineChartData m_data;
    AxisTitles m_titles;
};

}  // namespace cwb::ui
