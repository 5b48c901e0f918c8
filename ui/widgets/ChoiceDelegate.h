#pragma once
// Edits a table cell with a combo box of the values the model lists for it (a QStringList
// under the model's choices role), so types, roles and constraints are picked, never typed.

#include <QStyledItemDelegate>

namespace cwb::ui {

class ChoiceDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    ChoiceDelegate(int choicesRole, QObject* parent = nullptr);

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model,
                      const QModelIndex& index) const override;

private:
    int m_choicesRole;
};

}  // namespace cwb::ui
