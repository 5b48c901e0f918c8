#include "ui/explanation/WaterfallChart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCursor>
#include <QEvent>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QPen>
#include <QResizeEvent>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

#include "ui/widgets/ChartStyle.h"

namespace cwb::ui {

namespace {
// Pixels between a label and the plot area.
constexpr int kLabelGap = 12;
// What QChartView and the chart's background take at each side before the chart's margins.
constexpr double kChartFrame = 10.0;
}  // namespace

WaterfallChart::WaterfallChart(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    // Small enough for a 1280x720 screen beside the what-if form and above the four reasons
    // (tst_main_window checks that the Explanation view then fits without scrolling); the
    // chart has no legend to make room for.
    setMinimumSize(360, 210);
    setData({});
}

void WaterfallChart::setData(const WaterfallData& data) {
    m_data = data;
    auto* chart = new QChart;
    chart->setTitle(data.title);
    // Qt has no floating bars. Stacked bars do it: an invisible set lifts each bar to its start.
    // Positive and negative values stack separately from 0, so a bar that crosses 0 is drawn
    // as a positive and a negative part (the "aux" sets, in the same colour).
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
    const auto bars = static_cast<qsizetype>(data.bars.size());
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
    m_bars = series;
    // The axis places the bars; the labels are drawn by placeLabels() (see labelBudget). Its
    // categories must differ from each other, so they are the bars' numbers.
    for (qsizetype i = 0; i < bars; ++i)
        y->append(QString::number(i));
    y->setLabelsVisible(false);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    m_labels.clear();
    for (qsizetype i = 0; i < bars; ++i) {
        auto* label = new QGraphicsSimpleTextItem(chart);
        label->setFont(labelFont());
        label->setBrush(palette().color(QPalette::Text));
        m_labels << label;
    }
    connect(chart, &QChart::plotAreaChanged, this, &WaterfallChart::placeLabels);
    auto* x = new QValueAxis;
    x->setRange(data.axisMin, data.axisMax);
    x->setTitleText(data.axisTitle);
    x->applyNiceNumbers();
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    // The decision boundaries as dashed vertical lines across every bar: the category axis
    // spans -0.5 .. n - 0.5 in its own coordinates.
    const double top = static_cast<double>(bars) - 0.5;
    for (const WaterfallCutoff& cutoff : data.cutoffs) {
        if (bars == 0) break;
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
    // No legend: each label says whether its step raises or lowers the risk, the note under
    // the chart says what the colours and the dashed lines are, and the label column leaves a
    // legend too little width at 1280x720 (its entries were cut to "Raise...").
    chart->legend()->hide();
    applyPalette(chart, palette());
    QChart* old = this->chart();
    setChart(chart);
    delete old;  // setChart does not delete the previous chart
    fitLabels();
}

QFont WaterfallChart::labelFont() const {
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    return small;
}

double WaterfallChart::labelBudget() const {
    const double layoutWidth = std::max(0.0, width() - 2.0 * kChartFrame);
    return std::max(60.0, 0.6 * layoutWidth);
}

void WaterfallChart::fitLabels() {
    if (!chart() || m_labels.size() != static_cast<qsizetype>(m_data.bars.size())) return;
    const QFontMetricsF metrics(labelFont());
    const double budget = labelBudget();
    double widest = 0.0;
    // m_labels lists the top bar last, as the axis' categories do.
    for (qsizetype i = 0; i < m_labels.size(); ++i) {
        const WaterfallBar& bar = m_data.bars[m_data.bars.size() - 1 - static_cast<std::size_t>(i)];
        const QString text = fitWaterfallLabel(bar, metrics, budget);
        if (m_labels[i]->text() != text) m_labels[i]->setText(text);
        widest = std::max(widest, metrics.horizontalAdvance(text));
    }
    // The chart's left margin is the labels' column: the axis itself draws no labels.
    QMargins margins = chart()->margins();
    const int column = static_cast<int>(std::ceil(widest)) + kLabelGap;
    if (margins.left() != column) {
        margins.setLeft(column);
        chart()->setMargins(margins);  // lays the chart out again: placeLabels follows
    }
    placeLabels();
}

void WaterfallChart::placeLabels() {
    if (!chart() || !m_bars || m_labels.isEmpty()) return;
    const QRectF plot = chart()->plotArea();
    for (qsizetype i = 0; i < m_labels.size(); ++i) {
        QGraphicsSimpleTextItem* label = m_labels[i];
        const QPointF at =
            chart()->mapToPosition(QPointF(m_data.axisMin, static_cast<double>(i)), m_bars);
        const QRectF box = label->boundingRect();
        label->setPos(plot.left() - kLabelGap / 2.0 - box.width(), at.y() - box.height() / 2.0);
        label->setVisible(plot.isValid());
    }
}

QStringList WaterfallChart::axisLabels() const {
    QStringList labels;
    for (const QGraphicsSimpleTextItem* label : m_labels)
        labels << label->text();
    return labels;
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
    if (metrics.horizontalAdvance(full) <= maxWidth) return full;
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
    return name + tail;
}

void WaterfallChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) setData(m_data);
    QChartView::changeEvent(event);
}

}  // namespace cwb::ui
