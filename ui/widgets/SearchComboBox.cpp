#include "ui/widgets/SearchComboBox.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QKeyEvent>

namespace cwb::ui {

void SearchComboBox::keyPressEvent(QKeyEvent* event) {
    const bool searching =
        m_lastTyped.isValid() && m_lastTyped.elapsed() < QApplication::keyboardInputInterval();
    const bool plainSpace =
        event->key() == Qt::Key_Space && (event->modifiers() & ~Qt::KeypadModifier) == 0;
    if (!isEditable() && plainSpace && searching && count() > 0) {
        // The same search QComboBox runs for other characters: the list view's keyboard
        // search, which keeps the text typed so far within the input interval.
        QAbstractItemView* list = view();
        list->setCurrentIndex(model()->index(currentIndex(), modelColumn(), rootModelIndex()));
        const int before = list->currentIndex().row();
        list->keyboardSearch(QStringLiteral(" "));
        const int after = list->currentIndex().row();
        if (after >= 0 && after != before) {
            setCurrentIndex(after);
            emit activated(after);
        }
        m_lastTyped.restart();
        event->accept();
        return;
    }
    const QString text = event->text();
    if (!isEditable() && !text.isEmpty() && text.at(0).isPrint() && !plainSpace)
        m_lastTyped.restart();
    else
        m_lastTyped.invalidate();
    QComboBox::keyPressEvent(event);
}

}  // namespace cwb::ui
