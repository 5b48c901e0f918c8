#pragma once
// Draws a WaterfallData as horizontal floating bars (Qt Charts): steps that raise the risk in
// one colour, steps that lower it in another, totals in a third. Only drawing lives here.

#include <QBarCategoryAxis>
#include <QChartView>
#include <QFontMetricsF>
#include <QGraphicsSimpleTextItem>

#include "ui/explanation/WaterfallData.h"

namespace cwb::ui {

class WaterfallChart : public QChartView {
    Q_OBJECT
public:
    explicit WaterfallChart(QWidget* parent = nullptr);
    void setData(const WaterfallData& data);
    const WaterfallData& data() const { return m_data; }

    // The bar labels as drawn, top bar last (the category axis' order), in plain text,
    // shortened only when wider than labelBudget() (see fitWaterfallLabel).
    QStringList axisLabels() const;
    // The widest a label may be: 60 % of the chart's width. The labels are drawn here, left of
    // the plot area, not by the category axis: Qt Charts gives a side axis at most 40 % of the
    // chart's width and cut the labels at 1280x720.
    double labelBudget() const;
    // The labels' font: a tenth smaller than the widget's.
    QFont labelFont() const;
    // What hovering a bar shows: its whole label, unshortened, in plain text. category counts
    // as Qt Charts does, from the bottom bar; empty outside the chart.
    QString barToolTip(int category) const;

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    // Chooses each label's text for the current width and makes room for the widest.
    void fitLabels();
    // Puts each label beside its bar, right-aligned to the plot area (after every layout).
    void placeLabels();

    WaterfallData m_data;
    QAbstractSeries* m_bars = nullptr;
    // One per bar, top bar last like the axis' categories; owned by the chart.
    QList<QGraphicsSimpleTextItem*> m_labels;
};

// A bar's label shortened to maxWidth: the effect ("raises risk 18.9") is always kept whole; the
// characteristic's name and then its value give up their ends first ("Installment rate (% of
// dis… = 2  (lowers risk 3.2)"). Plain text.
QString fitWaterfallLabel(const WaterfallBar& bar, const QFontMetricsF& metrics, double maxWidth);

}  // namespace cwb::ui
