#pragma once
// File > Sign in: user name and password, checked by core. A refusal stays in the dialog with
// core's words (a wrong password, a locked account); the password is never kept or logged.

#include <QDialog>

class QLabel;
class QLineEdit;

namespace cwb::ui {

class StoreSession;

class SignInDialog : public QDialog {
    Q_OBJECT
public:
    SignInDialog(StoreSession* session, QWidget* parent = nullptr);

    QLineEdit* userField() const { return m_user; }
    QLineEdit* passwordField() const { return m_password; }
    // Core's message for the last refused attempt, empty before one.
    QString errorText() const;
    // Tries the fields' user and password; accepts the dialog when core signs the user in.
    bool attempt();

private:
    StoreSession* m_session;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QLabel* m_error = nullptr;
};

}  // namespace cwb::ui
