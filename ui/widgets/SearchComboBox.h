#pragma once
// A combo box whose type-ahead search takes spaces. QComboBox opens its list on Space, so
// typing "car (used)" stopped at "car", opened the list and sent the rest of the keystrokes to
// it. Here a Space typed while a search is in progress (within the application's keyboard
// input interval) extends the search; a Space on its own still opens the list.

#include <QComboBox>
#include <QElapsedTimer>

namespace cwb::ui {

class SearchComboBox : public QComboBox {
    Q_OBJECT
public:
    explicit SearchComboBox(QWidget* parent = nullptr) : QComboBox(parent) {}

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QElapsedTimer m_lastTyped;  // restarted by every printable key of a search
};

}  // namespace cwb::ui
