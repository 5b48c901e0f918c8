#include "ui/store/StorePasswordDialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QThread>
#include <QVBoxLayout>

#include "store/Database.h"

namespace cwb::ui {

StorePasswordDialog::StorePasswordDialog(const QString& address, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Team store password"));
    setObjectName("storePasswordDialog");
    auto* layout = new QVBoxLayout(this);
    auto* text = new QLabel(tr("The team store <b>%1</b> asks for the password of its database "
                               "user. It is used for this session only and never saved.")
                                .arg(address.toHtmlEscaped()),
                            this);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto* form = new QFormLayout;
    m_password = new QLineEdit(this);
    m_password->setObjectName("storePassword");
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMaxLength(static_cast<int>(store::kMaxPasswordLength));
    auto* label = new QLabel(tr("&Password:"), this);
    label->setBuddy(m_password);
    form->addRow(label, m_password);
    layout->addLayout(form);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

store::SecretString StorePasswordDialog::takePassword() {
    store::SecretString password(m_password->text().toStdString());
    m_password->clear();
    return password;
}

void StorePasswordDialog::install(QWidget* parent) {
    QPointer<QWidget> owner(parent);
    store::Database::setPasswordPrompt(
        [owner](const std::string& address) -> Result<store::SecretString> {
            if (QThread::currentThread() != qApp->thread())
                return Error::badInput("the store " + address +
                                       " asks for a password on a worker thread; open it in the "
                                       "window first");
            StorePasswordDialog dialog(QString::fromStdString(address), owner);
            if (dialog.exec() != QDialog::Accepted)
                return Error::badInput("no password given for the store " + address);
            store::SecretString password = dialog.takePassword();
            if (password.empty())
                return Error::badInput("no password given for the store " + address);
            return password;
        });
}

}  // namespace cwb::ui
