#pragma once
// Draws a WaterfallData as horizontal floating bars (Qt Charts): steps that raise the risk in
// one colour, steps that lower it in another, totals in a third. Only drawing lives here.

#include <QChartView>

#include "ui/explanation/WaterfallData.h"

namespace cwb::ui {

class WaterfallChart : public QChartView {
    Q_OBJECT
public:
    explicit WaterfallChart(QWidget* parent = nullptr);
    void setData(const WaterfallData& data);
    const WaterfallData& data() const { return m_data; }

protected:
    void changeEvent(QEvent* event) override;

private:
    WaterfallData m_data;
};

}  // namespace cwb::ui
