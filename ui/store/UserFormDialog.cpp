#include "ui/store/UserFormDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include "store/PasswordHash.h"

namespace cwb::ui {

UserFormDialog::UserFormDialog(Mode mode, const QString& user, const std::set<store::Role>& roles,
                               QWidget* parent)
    : QDialog(parent), m_mode(mode) {
    setWindowTitle(mode == Mode::AddUser ? tr("Add user")
                   : mode == Mode::Roles ? tr("Roles of %1").arg(user)
                                         : tr("New password for %1").arg(user));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_name = new QLineEdit(user, this);
    m_name->setObjectName("userName");
    m_name->setMaxLength(64);
    m_name->setReadOnly(mode != Mode::AddUser);
    form->addRow(tr("&Name:"), m_name);
    if (mode != Mode::Password) {
        auto* boxes = new QHBoxLayout;
        for (store::Role r : store::allRoles()) {
            auto* box = new QCheckBox(QString::fromStdString(store::roleName(r)), this);
            box->setObjectName(QStringLiteral("role_") +
                               QString::fromStdString(store::roleName(r)));
            box->setChecked(roles.count(r) > 0);
            boxes->addWidget(box);
            m_roles.emplace_back(r, box);
        }
        form->addRow(tr("Roles:"), boxes);
    }
    if (mode != Mode::Roles) {
        m_password = new QLineEdit(this);
        m_password->setObjectName("userPassword");
        m_password->setEchoMode(QLineEdit::Password);
        m_repeat = new QLineEdit(this);
        m_repeat->setObjectName("userPasswordRepeat");
        m_repeat->setEchoMode(QLineEdit::Password);
        form->addRow(tr("&Password:"), m_password);
        form->addRow(tr("&Repeat:"), m_repeat);
    }
    layout->addLayout(form);
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->setWordWrap(true);
    layout->addWidget(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &UserFormDialog::check);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void UserFormDialog::check() {
    if (m_mode != Mode::Password && roles().empty()) {
        m_error->setText(tr("Choose at least one role."));
        return;
    }
    if (m_password) {
        if (m_password->text() != m_repeat->text()) {
            m_error->setText(tr("The two passwords differ."));
            return;
        }
        if (static_cast<std::size_t>(m_password->text().size()) < store::kMinPasswordLength) {
            m_error->setText(
                tr("A password has at least %1 characters.").arg(store::kMinPasswordLength));
            return;
        }
    }
    accept();
}

QString UserFormDialog::userName() const {
    return m_name->text().trimmed();
}

std::set<store::Role> UserFormDialog::roles() const {
    std::set<store::Role> chosen;
    for (const auto& [role, box] : m_roles)
        if (box->isChecked()) chosen.insert(role);
    return chosen;
}

QString UserFormDialog::password() const {
    return m_password ? m_password->text() : QString();
}

}  // namespace cwb::ui
