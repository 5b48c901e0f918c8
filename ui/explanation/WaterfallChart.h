#pragma once
// Draws a WaterfallData as horizontal floating bars (Qt Charts): steps that raise the risk in
// one colour, steps that lower it in another, totals in a third. Only drawing lives here.

#include <QBarCategoryAxis>
#include <QChartView>
#include <QFontMetricsF>

#include "ui/explanation/WaterfallData.h"

namespace cwb::ui {

class WaterfallChart : public QChartView {
    Q_OBJECT
public:
    explicit WaterfallChart(QWidget* parent = nullptr);
    void setData(const WaterfallData& data);
    const WaterfallData& data() const { return m_data; }

    // The labels on the chart's category axis, top bar last (as Qt Charts orders them),
    // shortened to the width the axis gets (see fitWaterfallLabel).
    QStringList axisLabels() const;
    // The widest a label may be: Qt Charts gives a side axis at most 40 % of the chart's width
    // and replaces the end of a longer label by "...", numbers first.
    double labelBudget() const;
    // What hovering a bar shows: its whole label, unshortened, in plain text. category counts
    // as Qt Charts does, from the bottom bar; empty outside the chart.
    QString barToolTip(int category) const;

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitLabels();

    WaterfallData m_data;
    QBarCategoryAxis* m_axis = nullptr;
};

// A bar's label shortened to maxWidth: the effect ("raises risk 18.9") is always kept whole; the
// characteristic's name and then its value give up their ends first ("Installment rate (% of
// dis… = 2  (lowers risk 3.2)"). Escaped for Qt Charts' rich text.
QString fitWaterfallLabel(const WaterfallBar& bar, const QFontMetricsF& metrics, double maxWidth);

}  // namespace cwb::ui
