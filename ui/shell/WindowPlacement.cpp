#include "ui/shell/WindowPlacement.h"

#include <algorithm>

namespace cwb::ui {

QRect fitOnScreen(const QRect& wanted, const QSize& minimum, const QRect& available) {
    if (!available.isValid()) return wanted;
    const int width = std::max(minimum.width(), std::min(wanted.width(), available.width()));
    const int height = std::max(minimum.height(), std::min(wanted.height(), available.height()));
    // Clamp right/bottom first, then left/top: when the window is larger than the screen,
    // its title bar (top-left) stays visible.
    int x = std::min(wanted.x(), available.right() + 1 - width);
    int y = std::min(wanted.y(), available.bottom() + 1 - height);
    x = std::max(x, available.left());
    y = std::max(y, available.top());
    return QRect(x, y, width, height);
}

}  // namespace cwb::ui
