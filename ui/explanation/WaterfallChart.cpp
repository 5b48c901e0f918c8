#include "ui/explanation/WaterfallChart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCursor>
#include <QEvent>
#include <QHorizontalStackedBarSeries>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QResizeEvent>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>

#include "ui/widgets/ChartStyle.h"

namespace cwb::ui {

WaterfallChart::WaterfallChart(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    // Small enough for a 1280x720 screen beside the what-if form (the view's test checks that
    // the Explanation view then fits without scrolling).
    setMinimumSize(360, 240);
    setData({});
}

void WaterfallChart::setData(const WaterfallData& data) {
    m_data = data;
    auto* chart = new QChart;
    chart->setTitle(data.title);
    // Qt has no floating bars. Stacked bars do it: an invisible set lifts each bar to its start.
    // Positive and negative values stack separately from 0, so a bar that crosses 0 is drawn
    // as a positive and a negative part (the "aux" sets, in the same colour, not in the legend).
    auto* lift = new QBarSet(QString());
    lift->setColor(Qt::transparent);
    lift->setBorderColor(Qt::transparent);
    struct Colour {
        QBarSet* main;
        QBarSet* aux;
    };
    const auto makeColour = [](const QString& name, const QColor& color) {
        Colour c{new QBarSet(name), new QBarSet(QString())};
        for (QBarSet* s : {c.main, c.aux}) {
            s->setColor(color);
            s->setBorderColor(color);
        }
        return c;
    };
    const Colour colours[3] = {
        makeColour(tr("Base and result"), palette().color(QPalette::Highlight)),
        makeColour(tr("Raises risk"), QColor(198, 40, 40)),
        makeColour(tr("Lowers risk"), QColor(46, 125, 50))};
    QStringList categories;
    // The first bar goes on top: horizontal bar charts draw category 0 at the bottom.
    for (auto it = data.bars.rbegin(); it != data.bars.rend(); ++it) {
        const double lo = std::min(it->from, it->to);
        const double hi = std::max(it->from, it->to);
        double liftValue = 0, main = 0, aux = 0;
        if (lo >= 0) {
            liftValue = lo;
            main = hi - lo;
        } else if (hi <= 0) {
            liftValue = hi;
            main = lo - hi;
        } else {
            main = hi;
            aux = lo;
        }
        lift->append(liftValue);
        for (int k = 0; k < 3; ++k) {
            const bool mine = static_cast<int>(it->kind) == k;
            colours[k].main->append(mine ? main : 0.0);
            colours[k].aux->append(mine ? aux : 0.0);
        }
        categories << it->label;
    }
    auto* series = new QHorizontalStackedBarSeries;
    series->setBarWidth(0.7);
    series->append(lift);
    for (const Colour& c : colours) {
        series->append(c.main);
        series->append(c.aux);
    }
    chart->addSeries(series);
    // A shortened axis label (a small screen) is read whole by hovering its bar.
    connect(series, &QAbstractBarSeries::hovered, this, [this](bool status, int category) {
        if (status)
            QToolTip::showText(QCursor::pos(), barToolTip(category), this);
        else
            QToolTip::hideText();
    });
    auto* y = new QBarCategoryAxis;
    m_axis = y;
    y->append(categories);
    // Qt Charts replaces a category label by "..." when it is taller than its bar's slot.
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    y->setLabelsFont(small);
    fitLabels();
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    auto* x = new QValueAxis;
    x->setRange(data.axisMin, data.axisMax);
    x->setTitleText(data.axisTitle);
    x->applyNiceNumbers();
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    // The decision boundaries as dashed vertical lines across every bar: the category axis
    // spans -0.5 .. n - 0.5 in its own coordinates.
    const double top = static_cast<double>(categories.size()) - 0.5;
    for (const WaterfallCutoff& cutoff : data.cutoffs) {
        if (categories.isEmpty()) break;
        auto* line = new QLineSeries;
        line->setName(
            QStringLiteral("%1 %2").arg(cutoff.label, QString::number(cutoff.at, 'g', 4)));
        line->append(cutoff.at, -0.5);
        line->append(cutoff.at, top);
        QPen pen(cutoff.approve ? QColor(46, 125, 50) : QColor(198, 40, 40));
        pen.setStyle(Qt::DashLine);
        pen.setWidthF(1.5);
        line->setPen(pen);
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
    chart->legend()->setAlignment(Qt::AlignBottom);
    for (QLegendMarker* marker : chart->legend()->markers(series))
        if (marker->label().isEmpty()) marker->setVisible(false);
    applyPalette(chart, palette());
    QChart* old = this->chart();
    setChart(chart);
    delete old;  // setChart does not delete the previous chart
}

double WaterfallChart::labelBudget() const {
    // 40 % of the chart's layout width (Qt Charts' cap on a side axis), less the axis' own
    // label padding and tick marks.
    const QMarginsF margins = chart() ? chart()->margins() : QMarginsF();
    const double layoutWidth = std::max(0.0, width() - margins.left() - margins.right());
    return std::max(60.0, 0.4 * layoutWidth - 16.0);
}

void WaterfallChart::fitLabels() {
    if (!m_axis) return;
    const QFontMetricsF metrics(m_axis->labelsFont());
    const double budget = labelBudget();
    QStringList labels;
    for (auto it = m_data.bars.rbegin(); it != m_data.bars.rend(); ++it) {
        QString label = fitWaterfallLabel(*it, metrics, budget);
        // A category axis keeps one of two equal labels only: shortened names may collide.
        while (labels.contains(label))
            label += QChar(0x200B);
        labels << label;
    }
    if (labels != m_axis->categories()) m_axis->setCategories(labels);
}

QStringList WaterfallChart::axisLabels() const {
    return m_axis ? m_axis->categories() : QStringList();
}

QString WaterfallChart::barToolTip(int category) const {
    const auto count = static_cast<int>(m_data.bars.size());
    if (category < 0 || category >= count) return {};
    const WaterfallBar& bar = m_data.bars[static_cast<std::size_t>(count - 1 - category)];
    return plainWaterfallLabel(bar.name, bar.effect);
}

void WaterfallChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    fitLabels();
}

QString fitWaterfallLabel(const WaterfallBar& bar, const QFontMetricsF& metrics, double maxWidth) {
    const QString full = plainWaterfallLabel(bar.name, bar.effect);
    if (metrics.horizontalAdvance(full) <= maxWidth) return full.toHtmlEscaped();
    const QString tail =
        bar.effect.isEmpty() ? QString() : QStringLiteral("  (") + bar.effect + QLatin1Char(')');
    const double room = std::max(0.0, maxWidth - metrics.horizontalAdvance(tail));
    const QString separator = QStringLiteral(" = ");
    const qsizetype at = bar.name.indexOf(separator);
    QString name;
    if (at < 0) {
        name = metrics.elidedText(bar.name, Qt::ElideRight, room);
    } else {
        // The value keeps up to half the room, the characteristic's name takes what is left.
        const QString characteristic = bar.name.left(at);
        const QString value = bar.name.mid(at + separator.size());
        const double sep = metrics.horizontalAdvance(separator);
        const double valueRoom =
            std::min(metrics.horizontalAdvance(value), std::max(0.0, (room - sep) / 2.0));
        const QString shortValue = metrics.elidedText(value, Qt::ElideRight, valueRoom);
        const double nameRoom = std::max(0.0, room - sep - metrics.horizontalAdvance(shortValue));
        name =
            metrics.elidedText(characteristic, Qt::ElideRight, nameRoom) + separator + shortValue;
    }
    return (name + tail).toHtmlEscaped();
}

void WaterfallChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) setData(m_data);
    QChartView::changeEvent(event);
}

}  // namespace cwb::ui
