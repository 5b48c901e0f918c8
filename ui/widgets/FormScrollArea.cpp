#include "ui/widgets/FormScrollArea.h"

#include <QEvent>
#include <QScrollBar>

#include <algorithm>

namespace cwb::ui {

FormScrollArea::FormScrollArea(QWidget* form, QWidget* parent) : QScrollArea(parent) {
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setWidget(form);
    // The form's minimum width changes with its fields (another model): its layout then posts
    // a LayoutRequest, and this area's own minimum must follow.
    form->installEventFilter(this);
}

QSize FormScrollArea::minimumSizeHint() const {
    const QSize own = QScrollArea::minimumSizeHint();
    if (!widget()) return own;
    const int formWidth = std::max(widget()->minimumSizeHint().width(), widget()->minimumWidth());
    const int width = formWidth + verticalScrollBar()->sizeHint().width() + 2 * frameWidth();
    return {std::max(own.width(), width), own.height()};
}

bool FormScrollArea::eventFilter(QObject* watched, QEvent* event) {
    if (watched == widget() && event->type() == QEvent::LayoutRequest) updateGeometry();
    return QScrollArea::eventFilter(watched, event);
}

}  // namespace cwb::ui
