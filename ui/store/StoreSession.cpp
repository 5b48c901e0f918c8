#include "ui/store/StoreSession.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

#include "store/PostgresAddress.h"

namespace cwb::ui {

StoreSession::StoreSession(QObject* parent) : QObject(parent) {}

StoreSession::~StoreSession() = default;

QString StoreSession::resolvePath(const QString& settingsPath) {
    const QString env = qEnvironmentVariable("CWB_STORE");
    if (!env.isEmpty()) return env;
    return settingsPath.isEmpty() ? QString::fromStdString(store::Store::defaultPath())
                                  : settingsPath;
}

Result<void> StoreSession::open(const QString& path) {
    if (path.isEmpty()) return Error::badInput("no store file given");
    close();
    const bool team = store::isPostgresAddress(path.toStdString());
    // The folder of the default location may not exist on a fresh machine.
    if (!team) QDir().mkpath(QFileInfo(path).absolutePath());
    // A team store is made by its administrator (`cwb store init`), never on first start
    // (decision 38); its password, when libpq has none, is asked by the installed prompt.
    auto opened = team ? store::Store::open(path.toStdString())
                       : store::Store::openForDesktop(path.toStdString(), store::osUserName());
    if (!opened) {
        emit changed();
        return opened.error();
    }
    m_store = std::move(*opened);
    emit changed();
    return {};
}

void StoreSession::close() {
    if (!m_store) return;
    if (m_actor) signOut();
    m_store.reset();
    emit changed();
}

QString StoreSession::path() const {
    return m_store ? QString::fromStdString(m_store->path()) : QString();
}

bool StoreSession::isSingleUserStore() const {
    if (!m_store) return false;
    auto users = m_store->users().count();
    if (!users || *users != 1) return false;
    auto me = m_store->users().find(store::osUserName());
    return me && *me && !(*me)->hasPassword;
}

Result<void> StoreSession::signIn(const QString& name, const store::SecretString* password) {
    if (!m_store) return Error::badInput("no store is open");
    if (m_actor) signOut();
    auto actor = m_store->users().authenticate(name.trimmed().toStdString(), password);
    if (!actor) {
        emit changed();
        return actor.error();
    }
    m_actor = std::move(*actor);
    emit changed();
    return {};
}

bool StoreSession::signInSingleUser() {
    if (!isSingleUserStore()) return false;
    return signIn(QString::fromStdString(store::osUserName()), nullptr).ok();
}

void StoreSession::signOut() {
    if (!m_actor) return;
    if (m_store) {
        // Best effort: a store that cannot be written still lets the user leave.
        (void)m_store->audit().append(m_actor->name, "logout", {{"user", m_actor->name}});
    }
    m_actor.reset();
    emit changed();
}

QString StoreSession::describe() const {
    if (!m_actor) return tr("not signed in");
    QStringList roles;
    for (store::Role r : m_actor->roles)
        roles << QString::fromStdString(store::roleName(r));
    return tr("%1 (%2)").arg(QString::fromStdString(m_actor->name),
                             roles.join(QStringLiteral(", ")));
}

Result<void> StoreSession::require(store::Action action) const {
    if (!m_store) return Error::badInput("no store is open: set its location in File > Settings");
    if (!m_actor) return Error::badInput("sign in first (File > Sign in)");
    return store::require(*m_actor, action);
}

}  // namespace cwb::ui
