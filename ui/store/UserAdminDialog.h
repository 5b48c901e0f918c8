#pragma once
// File > Store users (admins): the store's users with their roles and state; add a user, change
// roles, unlock a locked account, reset a password. Every action goes through core with the
// signed-in user as actor, so a non-admin is refused there (the list too) and each change is
// audited there.

#include <QDialog>

#include <set>

#include "common/Result.h"
#include "store/PasswordHash.h"
#include "store/Roles.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace cwb::ui {

class StoreSession;

class UserAdminDialog : public QDialog {
    Q_OBJECT
public:
    UserAdminDialog(StoreSession* session, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    // Core's answer to the last action, empty after one that worked.
    QString errorText() const;

    Result<void> reload();
    Result<void> addUser(const QString& name, const std::set<store::Role>& roles,
                         const store::SecretString& password);
    Result<void> changeRoles(const QString& name, const std::set<store::Role>& roles);
    Result<void> unlock(const QString& name);
    Result<void> resetPassword(const QString& name, const store::SecretString& password);

private:
    Result<void> done(Result<void> result);
    QString selectedUser() const;
    void addAsked();
    void rolesAsked();
    void passwordAsked();

    StoreSession* m_session;
    QTableWidget* m_table = nullptr;
    QLabel* m_error = nullptr;
};

}  // namespace cwb::ui
