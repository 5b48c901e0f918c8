#include "ui/shell/ViewScrollArea.h"

#include <QEvent>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>

namespace cwb::ui {

ViewScrollArea::ViewScrollArea(QWidget* view, QWidget* parent) : QScrollArea(parent) {
    setObjectName(view->objectName().isEmpty() ? QString() : view->objectName() + "Scroll");
    setFrameShape(QFrame::NoFrame);
    setWidgetResizable(false);  // fitView() sizes the view
    setWidget(view);
    // A view's minimum size changes with its content (a warning shown, a table filled): its
    // layout then posts itself a LayoutRequest, seen here.
    view->installEventFilter(this);
    fitView();
}

void ViewScrollArea::resizeEvent(QResizeEvent* event) {
    QScrollArea::resizeEvent(event);
    fitView();
}

bool ViewScrollArea::eventFilter(QObject* watched, QEvent* event) {
    if (watched == widget() && event->type() == QEvent::LayoutRequest && !m_fitQueued) {
        // After the view's own layout has handled the request and knows its new minimum.
        m_fitQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_fitQueued = false;
            fitView();
        });
    }
    return QScrollArea::eventFilter(watched, event);
}

void ViewScrollArea::fitView() {
    QWidget* view = widget();
    if (!view) return;
    const QSize minimum = view->minimumSizeHint().expandedTo(view->minimumSize());
    QSize room = maximumViewportSize();  // the viewport without scroll bars
    // A scroll bar needed in one direction takes room from the other.
    const bool wide = minimum.width() > room.width();
    const bool tall = minimum.height() > room.height();
    if (wide) room.rheight() -= horizontalScrollBar()->sizeHint().height();
    if (tall) room.rwidth() -= verticalScrollBar()->sizeHint().width();
    const QSize size(std::max(room.width(), minimum.width()),
                     std::max(room.height(), minimum.height()));
    if (view->size() != size) view->resize(size);
}

}  // namespace cwb::ui
