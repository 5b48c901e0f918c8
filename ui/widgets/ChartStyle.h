#pragma once
// Chart appearance that follows the system palette (dark or light), shared by the chart layer,
// and axis titles fitted to the room the chart has.
// Qt Charts is deprecated after Qt 6.4; all Qt Charts code stays in the *Chart files.

#include <QFont>
#include <QPalette>
#include <QString>

class QChart;

namespace cwb::ui {

void applyPalette(QChart* chart, const QPalette& palette);

// The axis titles a chart should show, as plain text, and the font they start from.
struct AxisTitles {
    QString x, y;  // empty: no title
    QFont font;
};

// Qt Charts shortens an axis title to "..." as soon as it is longer than the plot area along
// its axis (a y title is measured against the plot's height: 271 px for the Compare view's ROC
// at a 1280x720 window, too short for "Share of bads declined (true positive rate)"). So each
// title is set here for the plot area the chart has now: whole on one line when it fits, else
// on two lines broken at the space nearest the middle, else the same in a font down to 80 %;
// only a title that fits none of these is left to Qt to shorten. Call after every resize.
void fitAxisTitles(QChart* chart, const AxisTitles& titles);

}  // namespace cwb::ui
