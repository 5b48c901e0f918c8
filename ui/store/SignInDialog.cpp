#include "ui/store/SignInDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/store/StoreSession.h"

namespace cwb::ui {

SignInDialog::SignInDialog(StoreSession* session, QWidget* parent)
    : QDialog(parent), m_session(session) {
    setWindowTitle(tr("Sign in to the store"));
    auto* layout = new QVBoxLayout(this);
    auto* where = new QLabel(tr("Store: %1").arg(session->path()), this);
    where->setWordWrap(true);
    layout->addWidget(where);
    auto* form = new QFormLayout;
    m_user = new QLineEdit(QString::fromStdString(store::osUserName()), this);
    m_user->setObjectName("signInUser");
    m_user->setMaxLength(64);
    m_password = new QLineEdit(this);
    m_password->setObjectName("signInPassword");
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMaxLength(static_cast<int>(store::kMaxPasswordLength));
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    layout->addLayout(form);
    m_error = new QLabel(this);
    m_error->setObjectName("signInError");
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    layout->addWidget(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign &in"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SignInDialog::attempt);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_password->setFocus();
}

QString SignInDialog::errorText() const {
    return m_error->isVisible() || !m_error->text().isEmpty() ? m_error->text() : QString();
}

bool SignInDialog::attempt() {
    // Taken out of the field at once so the clear text lives only in the SecretString.
    store::SecretString password(m_password->text().toStdString());
    m_password->clear();
    if (password.empty() && !m_session->isSingleUserStore()) {
        m_error->setText(tr("Type the password."));
        m_error->show();
        return false;
    }
    auto signedIn = m_session->signIn(m_user->text(), password.empty() ? nullptr : &password);
    if (!signedIn) {
        m_error->setText(QString::fromStdString(signedIn.error().message));
        m_error->show();
        m_password->setFocus();
        return false;
    }
    m_error->clear();
    m_error->hide();
    accept();
    return true;
}

}  // namespace cwb::ui
