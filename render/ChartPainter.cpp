#include "render/ChartPainter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace cwb::render {

namespace {

// Ticks at 1, 2 or 5 times a power of ten, about `target` of them over [lo, hi].
std::vector<double> niceTicks(double lo, double hi, int target = 5) {
    std::vector<double> ticks;
    if (!(hi > lo)) return {lo};
    const double raw = (hi - lo) / target;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return ticks;
}

QString tickText(double v, double span) {
    const int decimals = span >= 20 ? 0 : span >= 2 ? 1 : 2;
    return QString::number(v, 'f', decimals);
}

const QColor kSeriesColors[] = {QColor(0x1f, 0x4e, 0x99), QColor(0xc0, 0x5a, 0x10),
                                QColor(0x2e, 0x7d, 0x32), QColor(0x6a, 0x1b, 0x9a)};

}  // namespace

void paintChart(QPainter& p, const QRectF& rect, const ReportChart& chart, double unit) {
    p.save();
    QFont titleFont("DejaVu Sans", 8);
    titleFont.setBold(true);
    QFont font("DejaVu Sans", 6.5);
    const QFontMetricsF fm(font, p.device());
    const QFontMetricsF tfm(titleFont, p.device());

    p.setPen(QPen(QColor(0xb0, 0xb0, 0xb0), 0.5 * unit));
    p.setBrush(Qt::NoBrush);
    p.drawRect(rect);
    p.setFont(titleFont);
    p.setPen(Qt::black);
    const QRectF titleRect(rect.left(), rect.top() + 3 * unit, rect.width(), tfm.height());
    p.drawText(titleRect, Qt::AlignHCenter | Qt::AlignTop, QString::fromStdString(chart.title));

    const double tickLabelWidth = fm.horizontalAdvance("0.00") + 3 * unit;
    const QRectF plot(rect.left() + fm.height() + tickLabelWidth + 4 * unit,
                      titleRect.bottom() + 5 * unit,
                      rect.width() - (fm.height() + tickLabelWidth + 4 * unit) - 8 * unit,
                      rect.height() - tfm.height() - 3 * fm.height() - 20 * unit);
    const double xSpan = chart.xMax - chart.xMin, ySpan = chart.yMax - chart.yMin;
    const auto toPoint = [&](const CurvePoint& c) {
        return QPointF(plot.left() + (c.x - chart.xMin) / xSpan * plot.width(),
                       plot.bottom() - (c.y - chart.yMin) / ySpan * plot.height());
    };

    // Grid and tick labels.
    p.setFont(font);
    const QPen grid(QColor(0xe0, 0xe0, 0xe0), 0.4 * unit);
    for (double t : niceTicks(chart.xMin, chart.xMax)) {
        const double x = toPoint({t, chart.yMin}).x();
        p.setPen(grid);
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(Qt::black);
        p.drawText(QRectF(x - 20 * unit, plot.bottom() + 2 * unit, 40 * unit, fm.height()),
                   Qt::AlignHCenter | Qt::AlignTop, tickText(t, xSpan));
    }
    for (double t : niceTicks(chart.yMin, chart.yMax)) {
        const double y = toPoint({chart.xMin, t}).y();
        p.setPen(grid);
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(Qt::black);
        p.drawText(QRectF(plot.left() - tickLabelWidth - 2 * unit, y - fm.height() / 2,
                          tickLabelWidth, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, tickText(t, ySpan));
    }
    p.setPen(QPen(QColor(0x60, 0x60, 0x60), 0.6 * unit));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());

    // Axis titles.
    p.setPen(Qt::black);
    p.drawText(
        QRectF(plot.left(), plot.bottom() + 2 * unit + fm.height(), plot.width(), fm.height()),
        Qt::AlignHCenter | Qt::AlignTop, QString::fromStdString(chart.xLabel));
    p.save();
    p.translate(rect.left() + 2 * unit, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, 0, plot.height(), fm.height()),
               Qt::AlignHCenter | Qt::AlignTop, QString::fromStdString(chart.yLabel));
    p.restore();

    // Series, clipped to the plot.
    p.save();
    p.setClipRect(plot.adjusted(-2 * unit, -2 * unit, 2 * unit, 2 * unit));
    int colour = 0;
    for (const auto& s : chart.series) {
        const QColor c = s.dashed ? QColor(0x80, 0x80, 0x80) : kSeriesColors[colour++ % 4];
        QPen pen(c, (s.dashed ? 0.7 : 1.1) * unit);
        if (s.dashed) pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        if (s.points.size() >= 2) {
            QPainterPath path(toPoint(s.points.front()));
            for (std::size_t k = 1; k < s.points.size(); ++k)
                path.lineTo(toPoint(s.points[k]));
            p.drawPath(path);
        }
        if (s.markers) {
            p.setBrush(c);
            for (const auto& pt : s.points)
                p.drawEllipse(toPoint(pt), 1.6 * unit, 1.6 * unit);
        }
    }
    p.restore();

    // Legend, top left inside the plot, on white so grid lines do not cross it.
    double y = plot.top() + 3 * unit;
    double legendWidth = 0;
    for (const auto& s : chart.series)
        legendWidth = std::max(legendWidth, fm.horizontalAdvance(QString::fromStdString(s.name)));
    const QRectF legend(plot.left() + 3 * unit, y - 1 * unit, legendWidth + 18 * unit,
                        static_cast<double>(chart.series.size()) * fm.height() + 2 * unit);
    p.setPen(QPen(QColor(0xc0, 0xc0, 0xc0), 0.4 * unit));
    p.setBrush(Qt::white);
    p.drawRect(legend);
    colour = 0;
    for (const auto& s : chart.series) {
        const QColor c = s.dashed ? QColor(0x80, 0x80, 0x80) : kSeriesColors[colour++ % 4];
        QPen pen(c, (s.dashed ? 0.7 : 1.1) * unit);
        if (s.dashed) pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        const double mid = y + fm.height() / 2;
        p.drawLine(QPointF(legend.left() + 2 * unit, mid), QPointF(legend.left() + 12 * unit, mid));
        p.setPen(Qt::black);
        p.drawText(QRectF(legend.left() + 14 * unit, y, legendWidth + 2 * unit, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(s.name));
        y += fm.height();
    }

    if (!chart.note.empty()) {
        p.setPen(Qt::black);
        p.drawText(
            QRectF(rect.left(), rect.bottom() - fm.height() - 3 * unit, rect.width(), fm.height()),
            Qt::AlignHCenter | Qt::AlignVCenter, QString::fromStdString(chart.note));
    }
    p.restore();
}

}  // namespace cwb::render
