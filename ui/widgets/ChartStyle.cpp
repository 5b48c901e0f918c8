#include "ui/widgets/ChartStyle.h"

#include <QAbstractAxis>
#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QLegend>

#include <algorithm>
#include <cstdlib>

namespace cwb::ui {

void applyPalette(QChart* chart, const QPalette& palette) {
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setBackgroundRoundness(0);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(palette.color(QPalette::Text));
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    QColor grid = palette.color(QPalette::Text);
    grid.setAlpha(40);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(palette.color(QPalette::Text));
        axis->setTitleBrush(palette.color(QPalette::Text));
        axis->setGridLineColor(grid);
        axis->setLinePenColor(palette.color(QPalette::Mid));
    }
}

namespace {

// Qt Charts draws titles as HTML in a text item with a 2-pixel document margin on each side
// (ChartPresenter::textMargin), and compares that box, not the glyphs, with the room.
constexpr double kTextMargins = 4.0;
// A little more, so rounding in Qt's layout never tips a fitting title into "...".
constexpr double kSlack = 2.0;

// The title as two lines broken at the space nearest the middle; empty without a space.
QStringList twoLines(const QString& title) {
    const qsizetype middle = title.size() / 2;
    qsizetype best = -1;
    for (qsizetype i = 0; i < title.size(); ++i)
        if (title[i] == QLatin1Char(' ') &&
            (best < 0 || std::abs(i - middle) < std::abs(best - middle)))
            best = i;
    if (best < 0) return {};
    return {title.left(best), title.mid(best + 1)};
}

// Sets the first form of title that fits room pixels along its axis (see fitAxisTitles).
void setFitted(QAbstractAxis* axis, const QString& title, const QFont& base, double room) {
    QString html = title.toHtmlEscaped();  // the title is plain text; Qt reads it as HTML
    QFont font = base;
    const QStringList lines = twoLines(title);
    bool fitted = false;
    for (double scale : {1.0, 0.9, 0.8}) {
        QFont f = base;
        if (base.pointSizeF() > 0)
            f.setPointSizeF(base.pointSizeF() * scale);
        else if (scale < 1.0)
            f.setPixelSize(std::max(1, static_cast<int>(base.pixelSize() * scale)));
        const QFontMetricsF metrics(f);
        const auto fits = [&](const QString& line) {
            return metrics.horizontalAdvance(line) + kTextMargins + kSlack <= room;
        };
        if (fits(title)) {
            font = f;
            fitted = true;
            break;
        }
        if (!lines.isEmpty() && fits(lines[0]) && fits(lines[1])) {
            html = lines[0].toHtmlEscaped() + QStringLiteral("<br>") + lines[1].toHtmlEscaped();
            font = f;
            fitted = true;
            break;
        }
    }
    if (!fitted) font = base;  // Qt shortens it: what fits none of the forms
    if (axis->titleFont() != font) axis->setTitleFont(font);
    if (axis->titleText() != html) axis->setTitleText(html);
}

}  // namespace

void fitAxisTitles(QChart* chart, const AxisTitles& titles) {
    if (!chart) return;
    const auto axes = [&](Qt::Orientation o) { return chart->axes(o); };
    // The x title's lines change the plot's height, the y title's the plot's width: two rounds
    // settle both (the layout is redone synchronously after each change).
    for (int round = 0; round < 2; ++round) {
        for (QAbstractAxis* axis : axes(Qt::Horizontal))
            setFitted(axis, titles.x, titles.font, chart->plotArea().width());
        if (chart->layout()) chart->layout()->activate();
        for (QAbstractAxis* axis : axes(Qt::Vertical))
            setFitted(axis, titles.y, titles.font, chart->plotArea().height());
        if (chart->layout()) chart->layout()->activate();
    }
}

}  // namespace cwb::ui
