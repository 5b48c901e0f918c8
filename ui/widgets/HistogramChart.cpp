#include "ui/widgets/HistogramChart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QEvent>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>

#include "ui/widgets/ChartStyle.h"

namespace cwb::ui {

HistogramChart::HistogramChart(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 220);
    setData({});
}

void HistogramChart::setData(const HistogramData& data) {
    m_data = data;
    auto* chart = new QChart;
    chart->setTitle(data.title);
    auto* series = new QStackedBarSeries;
    series->setBarWidth(0.95);  // adjacent bins touch, as in a histogram
    double top = 1.0;
    std::vector<double> totals(static_cast<std::size_t>(data.categories.size()), 0.0);
    for (const auto& s : data.series) {
        auto* set = new QBarSet(s.name);
        set->setColor(s.color);
        set->setBorderColor(s.color);
        for (std::size_t i = 0; i < s.values.size(); ++i) {
            set->append(s.values[i]);
            if (i < totals.size()) totals[i] += s.values[i];
        }
        series->append(set);
    }
    for (double t : totals)
        top = std::max(top, t);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    // Qt Charts draws axis labels as rich text: "< 200 DM" would lose everything after '<'.
    QStringList labels;
    for (const QString& category : data.categories)
        labels << category.toHtmlEscaped();
    x->append(labels);
    x->setTitleText(data.xTitle);
    // Qt Charts 6.4 elides slanted category labels to "..."; upright (-90) ones are kept.
    x->setLabelsAngle(data.categories.size() > 12 ? -90 : 0);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto* y = new QValueAxis;
    y->setRange(0, top * 1.05);
    y->setLabelFormat("%.0f");
    y->applyNiceNumbers();
    y->setTitleText(data.yTitle);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    m_titles = {data.xTitle, data.yTitle, y->titleFont()};  // the theme's font, before fitting
    chart->legend()->setAlignment(Qt::AlignBottom);
    // One series is named by the chart's title already; its legend would only take a line of
    // the plot's height (the scorecard editor's chart is 220 px tall at 1280x720).
    chart->legend()->setVisible(data.series.size() > 1);
    applyPalette(chart, palette());
    QChart* old = this->chart();
    setChart(chart);
    delete old;  // setChart does not delete the previous chart
    fitAxisTitles(chart, m_titles);
}

void HistogramChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) applyPalette(chart(), palette());
    QChartView::changeEvent(event);
}

void HistogramChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);  // resizes the chart and lays it out anew
    fitAxisTitles(chart(), m_titles);
}

}  // namespace cwb::ui
