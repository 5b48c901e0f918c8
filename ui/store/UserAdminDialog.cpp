#include "ui/store/UserAdminDialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/store/StoreSession.h"
#include "ui/store/UserFormDialog.h"

namespace cwb::ui {

namespace {

std::set<store::Role> rolesOf(const QString& text) {
    std::set<store::Role> roles;
    for (const QString& name : text.split(QStringLiteral(", "), Qt::SkipEmptyParts))
        if (auto r = store::roleFromName(name.toStdString())) roles.insert(*r);
    return roles;
}

}  // namespace

UserAdminDialog::UserAdminDialog(StoreSession* session, QWidget* parent)
    : QDialog(parent), m_session(session) {
    setWindowTitle(tr("Users of the store"));
    resize(720, 360);
    auto* layout = new QVBoxLayout(this);
    m_table = new QTableWidget(0, 5, this);
    m_table->setObjectName("usersTable");
    m_table->setHorizontalHeaderLabels(
        {tr("User"), tr("Roles"), tr("Password"), tr("State"), tr("Failed logins")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);
    m_error = new QLabel(this);
    m_error->setObjectName("usersError");
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    layout->addWidget(m_error);
    auto* bar = new QHBoxLayout;
    auto* add = new QPushButton(tr("&Add user..."), this);
    auto* roles = new QPushButton(tr("Change &roles..."), this);
    auto* unlockButton = new QPushButton(tr("&Unlock"), this);
    auto* password = new QPushButton(tr("Reset &password..."), this);
    for (QPushButton* b : {add, roles, unlockButton, password})
        bar->addWidget(b);
    bar->addStretch(1);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    bar->addWidget(close);
    layout->addLayout(bar);
    connect(add, &QPushButton::clicked, this, &UserAdminDialog::addAsked);
    connect(roles, &QPushButton::clicked, this, &UserAdminDialog::rolesAsked);
    connect(password, &QPushButton::clicked, this, &UserAdminDialog::passwordAsked);
    connect(unlockButton, &QPushButton::clicked, this, [this] {
        if (const QString user = selectedUser(); !user.isEmpty()) (void)unlock(user);
    });
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    (void)reload();
}

QString UserAdminDialog::errorText() const {
    return m_error->text();
}

Result<void> UserAdminDialog::done(Result<void> result) {
    if (!result) {
        m_error->setText(QString::fromStdString(result.error().message));
        return result;
    }
    if (auto r = reload(); !r) return r;
    return {};
}

Result<void> UserAdminDialog::reload() {
    m_table->setRowCount(0);
    if (!m_session || !m_session->store()) return done(Error::badInput("no store is open"));
    if (!m_session->signedIn()) return done(Error::badInput("sign in first (File > Sign in)"));
    auto users = m_session->store()->users().list(*m_session->actor());
    if (!users) {
        m_error->setText(QString::fromStdString(users.error().message));
        return users.error();
    }
    m_error->clear();
    m_table->setRowCount(static_cast<int>(users->size()));
    for (int row = 0; row < static_cast<int>(users->size()); ++row) {
        const store::UserInfo& u = (*users)[static_cast<std::size_t>(row)];
        QStringList roles;
        for (store::Role r : u.roles)
            roles << QString::fromStdString(store::roleName(r));
        const QString state = u.disabled ? tr("disabled") : u.locked ? tr("locked") : tr("active");
        const QStringList cells = {QString::fromStdString(u.name), roles.join(QStringLiteral(", ")),
                                   u.hasPassword ? tr("set") : tr("none"), state,
                                   QString::number(u.failedLogins)};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(row, c, new QTableWidgetItem(cells[c]));
    }
    m_table->resizeColumnsToContents();
    return {};
}

Result<void> UserAdminDialog::addUser(const QString& name, const std::set<store::Role>& roles,
                                      const store::SecretString& password) {
    if (!m_session || !m_session->signedIn()) return done(Error::badInput("sign in first"));
    auto added = m_session->store()->users().add(*m_session->actor(), name.trimmed().toStdString(),
                                                 roles, password);
    return done(added ? Result<void>() : Result<void>(added.error()));
}

Result<void> UserAdminDialog::changeRoles(const QString& name, const std::set<store::Role>& roles) {
    if (!m_session || !m_session->signedIn()) return done(Error::badInput("sign in first"));
    return done(
        m_session->store()->users().setRoles(*m_session->actor(), name.toStdString(), roles));
}

Result<void> UserAdminDialog::unlock(const QString& name) {
    if (!m_session || !m_session->signedIn()) return done(Error::badInput("sign in first"));
    return done(m_session->store()->users().unlock(*m_session->actor(), name.toStdString()));
}

Result<void> UserAdminDialog::resetPassword(const QString& name,
                                            const store::SecretString& password) {
    if (!m_session || !m_session->signedIn()) return done(Error::badInput("sign in first"));
    return done(
        m_session->store()->users().setPassword(*m_session->actor(), name.toStdString(), password));
}

QString UserAdminDialog::selectedUser() const {
    const int row = m_table->currentRow();
    if (row < 0 || !m_table->item(row, 0)) return {};
    return m_table->item(row, 0)->text();
}

void UserAdminDialog::addAsked() {
    UserFormDialog form(UserFormDialog::Mode::AddUser, {}, {store::Role::Analyst}, this);
    if (form.exec() != QDialog::Accepted) return;
    const store::SecretString password(form.password().toStdString());
    (void)addUser(form.userName(), form.roles(), password);
}

void UserAdminDialog::rolesAsked() {
    const QString user = selectedUser();
    if (user.isEmpty()) return;
    UserFormDialog form(UserFormDialog::Mode::Roles, user,
                        rolesOf(m_table->item(m_table->currentRow(), 1)->text()), this);
    if (form.exec() != QDialog::Accepted) return;
    (void)changeRoles(user, form.roles());
}

void UserAdminDialog::passwordAsked() {
    const QString user = selectedUser();
    if (user.isEmpty()) return;
    UserFormDialog form(UserFormDialog::Mode::Password, user, {}, this);
    if (form.exec() != QDialog::Accepted) return;
    const store::SecretString password(form.password().toStdString());
    (void)resetPassword(user, password);
}

}  // namespace cwb::ui
