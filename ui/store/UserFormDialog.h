#pragma once
// The small forms of the user administration: a new user (name, roles, password), a user's
// roles, a new password (typed twice). Core checks the values when they are applied.

#include <QDialog>

#include <set>

#include "store/Roles.h"

class QCheckBox;
class QLabel;
class QLineEdit;

namespace cwb::ui {

class UserFormDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode { AddUser, Roles, Password };
    UserFormDialog(Mode mode, const QString& user, const std::set<store::Role>& roles,
                   QWidget* parent = nullptr);

    QString userName() const;
    std::set<store::Role> roles() const;
    // The password typed (both fields must match before the dialog accepts).
    QString password() const;

private:
    void check();
    Mode m_mode;
    QLineEdit* m_name = nullptr;
    std::vector<std::pair<store::Role, QCheckBox*>> m_roles;
    QLineEdit* m_password = nullptr;
    QLineEdit* m_repeat = nullptr;
    QLabel* m_error = nullptr;
};

}  // namespace cwb::ui
