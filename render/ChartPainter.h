#pragma once
// Draws a ReportChart (computed series from core) with QPainter into a rectangle of any paint
// device: frame, title, axes with rounded ticks, grid, series and legend. No Qt Charts: it
// needs a QApplication and a shown view to lay out (TECH-NOTES 3.3), neither of which the
// command line has, and the page wants vector lines at print resolution anyway.

#include <QRectF>

#include "report/ReportDocument.h"

class QPainter;

namespace cwb::render {

// `unit` is one typographic point in device pixels (resolution / 72), so line widths and
// fonts scale with the device.
void paintChart(QPainter& painter, const QRectF& rect, const ReportChart& chart, double unit);

}  // namespace cwb::render
