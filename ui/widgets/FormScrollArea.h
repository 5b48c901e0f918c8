#pragma once
// A scroll area for a form beside other panes: it scrolls only vertically, and its minimum
// width is the form's, so a splitter or layout gives the form its whole width instead of
// cutting its fields behind a horizontal scroll bar (issue 17: the what-if form at 1280x720).

#include <QScrollArea>

namespace cwb::ui {

class FormScrollArea : public QScrollArea {
    Q_OBJECT
public:
    // Takes form as its widget.
    explicit FormScrollArea(QWidget* form, QWidget* parent = nullptr);
    // The form's minimum width plus a vertical scroll bar (reserved whether shown or not, so
    // the form fits either way) and the frame.
    QSize minimumSizeHint() const override;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

}  // namespace cwb::ui
