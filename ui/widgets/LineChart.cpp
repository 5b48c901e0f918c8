#include "ui/widgets/LineChart.h"

#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <limits>

#include "ui/widgets/ChartStyle.h"

namespace cwb::ui {

namespace {

// Range of the data along one axis with a little air, or the given range when set.
std::pair<double, double> axisRange(const LineChartData& data, bool x) {
    const double setMin = x ? data.xMin : data.yMin, setMax = x ? data.xMax : data.yMax;
    if (setMin < setMax) return {setMin, setMax};
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& s : data.series)
        for (const QPointF& p : s.points) {
            lo = std::min(lo, x ? p.x() : p.y());
            hi = std::max(hi, x ? p.x() : p.y());
        }
    if (!(lo < hi)) return {lo < hi ? lo : 0.0, lo < hi ? hi : 1.0};
    const double pad = (hi - lo) * 0.03;
    return {lo - (x ? 0.0 : pad), hi + pad};
}

}  // namespace

LineChart::LineChart(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 240);
    setData({});
}

void LineChart::setData(const LineChartData& data) {
    m_data = data;
    auto* chart = new QChart;
    chart->setTitle(data.title);
    auto* x = new QValueAxis;
    x->setTitleText(data.xTitle);
    x->setLabelFormat(data.xFormat);
    const auto [x0, x1] = axisRange(data, true);
    x->setRange(x0, x1);
    // Score axes fitted to the data get round tick values (400, 450, ...); fixed ranges such
    // as the 0..1 of shares keep their own.
    if (!(data.xMin < data.xMax)) x->applyNiceNumbers();
    auto* y = new QValueAxis;
    y->setTitleText(data.yTitle);
    y->setLabelFormat(data.yFormat);
    const auto [y0, y1] = axisRange(data, false);
    y->setRange(y0, y1);
    if (!(data.yMin < data.yMax)) y->applyNiceNumbers();
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    m_titles = {data.xTitle, data.yTitle, x->titleFont()};  // the theme's font, before fitting
    for (const auto& s : data.series) {
        auto* line = new QLineSeries;
        line->setName(s.name);
        QPen pen(s.color);
        pen.setWidthF(s.dashed ? 1.5 : 2.2);
        if (s.dashed) pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        for (const QPointF& p : s.points)
            line->append(p);
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
        if (s.name.isEmpty())
            for (QLegendMarker* m : chart->legend()->markers(line))
                m->setVisible(false);
        if (s.markers) {
            auto* dots = new QScatterSeries;
            dots->setMarkerSize(7);
            dots->setColor(s.color);
            dots->setBorderColor(s.color);
            for (const QPointF& p : s.points)
                dots->append(p);
            chart->addSeries(dots);
            dots->attachAxis(x);
            dots->attachAxis(y);
            for (QLegendMarker* m : chart->legend()->markers(dots))
                m->setVisible(false);
        }
    }
    chart->legend()->setAlignment(Qt::AlignBottom);
    applyPalette(chart, palette());
    QChart* old = this->chart();
    setChart(chart);
    delete old;  // setChart does not delete the previous chart
    fitAxisTitles(chart, m_titles);
}

void LineChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) applyPalette(chart(), palette());
    QChartView::changeEvent(event);
}

void LineChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);  // resizes the chart and lays it out anew
    fitAxisTitles(chart(), m_titles);
}

}  // namespace cwb::ui
