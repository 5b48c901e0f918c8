#pragma once
// The scroll area around each of the main window's views. It gives the view the whole viewport
// and scrolls only when the viewport is smaller than the view's minimum size.
//
// Why not QScrollArea::setWidgetResizable(true): that sizes a view whose layout holds a
// word-wrapped label (height for width) at its preferred height, not its minimum, so at
// 1280x720 the Performance view was 690 pixels tall in a 535-pixel viewport and its chart's
// legend lay below the window's edge although every part of it can shrink to fit.

#include <QScrollArea>

namespace cwb::ui {

class ViewScrollArea : public QScrollArea {
    Q_OBJECT
public:
    // Takes view as its widget.
    explicit ViewScrollArea(QWidget* view, QWidget* parent = nullptr);

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // Resizes the view to the viewport, but not below its minimum size.
    void fitView();
    bool m_fitQueued = false;
};

}  // namespace cwb::ui
