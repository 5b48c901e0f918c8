#pragma once
// The password of a team store's database user (issue 14, decision 38), asked when the store
// opens and libpq found none in PGPASSWORD or ~/.pgpass. The text goes straight into a
// SecretString for the connection (which keeps it in memory for the window's second
// connections, as `cwb` does) and is never saved, logged or put into a setting.

#include <QDialog>

#include "common/Result.h"
#include "store/PasswordHash.h"

class QLineEdit;

namespace cwb::ui {

class StorePasswordDialog : public QDialog {
    Q_OBJECT
public:
    StorePasswordDialog(const QString& address, QWidget* parent = nullptr);
    QLineEdit* passwordField() const { return m_password; }
    // The typed password, and the field emptied.
    store::SecretString takePassword();

    // Makes the store's connection ask with this dialog (on the GUI thread; a connection made on
    // another thread gets an error instead of a dialog). Cancel is an error naming the store.
    static void install(QWidget* parent);

private:
    QLineEdit* m_password = nullptr;
};

}  // namespace cwb::ui
