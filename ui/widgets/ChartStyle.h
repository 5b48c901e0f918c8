#pragma once
// Chart appearance that follows the system palette (dark or light), shared by the chart layer.
// Qt Charts is deprecated after Qt 6.4; all Qt Charts code stays in the *Chart files.

#include <QPalette>

class QChart;

namespace cwb::ui {

void applyPalette(QChart* chart, const QPalette& palette);

}  // namespace cwb::ui
