#pragma once
// Where a restored window goes: a size saved on a larger screen (or a position on a monitor
// that is gone) must not put the window off-screen or beyond the screen's edges.

#include <QRect>
#include <QSize>

namespace cwb::ui {

// The frame rectangle to use for a window that wants `wanted` (its saved frame geometry) with
// the given minimum frame size, on a screen whose available area is `available`: no larger than
// the available area (unless the minimum is), and moved so that it lies inside it, top-left
// first so the title bar is always reachable.
QRect fitOnScreen(const QRect& wanted, const QSize& minimum, const QRect& available);

}  // namespace cwb::ui
