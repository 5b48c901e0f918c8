#pragma once
// Charts out of the workbench as PNG (raster, for slides) or SVG (vector, for reports).
// Files are written through a temporary file renamed on success.

#include <QSize>
#include <QString>

class QChartView;

namespace cwb::ui {

struct LineChartData;

enum class ChartFormat { Png, Svg };

// The format a file name asks for: .svg is SVG, anything else PNG.
ChartFormat chartFormatFor(const QString& path);

// Renders the chart view as it is (at its current size) into path. False with *error set
// (naming the file) when it cannot write.
bool exportChartView(QChartView* view, const QString& path, ChartFormat format, QString* error);

// Draws the data on a fresh chart of the given size in the light default palette, so exported
// charts look the same whatever the window size and desktop theme, and writes it.
bool exportLineChart(const LineChartData& data, const QString& path, ChartFormat format,
                     QString* error, QSize size = QSize(960, 600));

}  // namespace cwb::ui
