#include "store/Users.h"

#include <algorithm>

namespace cwb::store {

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

Error authenticationFailed() {
    // The same words for an unknown user and a wrong password: no hint which one it was.
    return Error::failure("login failed: wrong user name or password");
}

}  // namespace

nlohmann::json rolesJson(const std::set<Role>& roles) {
    nlohmann::json list = nlohmann::json::array();
    for (Role r : roles)
        list.push_back(roleName(r));
    return list;
}

nlohmann::json UserInfo::toJson() const {
    return {{"name", name},           {"roles", rolesJson(roles)}, {"has_password", hasPassword},
            {"disabled", disabled},   {"locked", locked},          {"failed_logins", failedLogins},
            {"created_at", createdAt}};
}

Result<void> checkUserName(const std::string& name) {
    const bool valid =
        !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-' || c == '@';
        });
    if (!valid)
        return Error::badInput("invalid user name '" + name.substr(0, 64) +
                               "': 1 to 64 letters, digits, '.', '_', '-' or '@'");
    return {};
}

Result<std::optional<UserInfo>> Users::find(const std::string& name) {
    auto query = m_db.run(
        "SELECT id, name, password_hash, disabled, locked, failed_logins, created_at FROM users "
        "WHERE name = ?",
        {q(name)});
    if (!query) return query.error();
    if (!query->next()) return std::optional<UserInfo>();
    UserInfo u;
    u.id = query->value(0).toLongLong();
    u.name = query->value(1).toString().toStdString();
    u.hasPassword = !query->value(2).isNull() && !query->value(2).toString().isEmpty();
    u.disabled = query->value(3).toInt() != 0;
    u.locked = query->value(4).toInt() != 0;
    u.failedLogins = query->value(5).toInt();
    u.createdAt = query->value(6).toString().toStdString();
    query->finish();
    auto roles = m_db.run("SELECT role FROM user_roles WHERE user_id = ?",
                          {QVariant::fromValue<qlonglong>(u.id)});
    if (!roles) return roles.error();
    while (roles->next())
        if (auto r = roleFromName(roles->value(0).toString().toStdString())) u.roles.insert(*r);
    return std::optional<UserInfo>(u);
}

Result<UserInfo> Users::requireUser(const std::string& name) {
    auto found = find(name);
    if (!found) return found.error();
    if (!*found) return Error::badInput("no user '" + name + "' in the store");
    return **found;
}

Result<std::int64_t> Users::count() {
    auto v = m_db.scalar("SELECT COUNT(*) FROM users");
    if (!v) return v.error();
    return v->toLongLong();
}

Result<std::vector<UserInfo>> Users::list(const Actor& by) {
    if (auto r = require(by, Action::ManageUsers); !r) return r.error();
    auto names = m_db.run("SELECT name FROM users ORDER BY name");
    if (!names) return names.error();
    std::vector<std::string> all;
    while (names->next())
        all.push_back(names->value(0).toString().toStdString());
    names->finish();
    std::vector<UserInfo> result;
    for (const auto& n : all) {
        auto u = requireUser(n);
        if (!u) return u.error();
        result.push_back(*u);
    }
    return result;
}

Result<void> Users::insertRoles(std::int64_t userId, const std::set<Role>& roles) {
    auto del = m_db.run("DELETE FROM user_roles WHERE user_id = ?",
                        {QVariant::fromValue<qlonglong>(userId)});
    if (!del) return del.error();
    for (Role r : roles) {
        auto ins = m_db.run("INSERT INTO user_roles (user_id, role) VALUES (?, ?)",
                            {QVariant::fromValue<qlonglong>(userId), q(roleName(r))});
        if (!ins) return ins.error();
    }
    return {};
}

Result<UserInfo> Users::createFirst(const std::string& name, const std::set<Role>& roles,
                                    const SecretString* password) {
    if (auto r = checkUserName(name); !r) return r.error();
    QVariant hash;  // null: no password (the single-user desktop store)
    if (password) {
        if (auto r = checkPasswordRules(*password); !r) return r.error();
        auto h = hashPassword(*password);
        if (!h) return h.error();
        hash = q(*h);
    }
    auto ins = m_db.run(
        "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?) RETURNING id",
        {q(name), hash, q(utcNow())});
    if (!ins) return ins.error();
    if (!ins->next()) return Error::failure("store: inserting a user returned no id");
    const std::int64_t id = ins->value(0).toLongLong();
    ins->finish();
    if (auto r = insertRoles(id, roles); !r) return r.error();
    if (password && roles.count(Role::Compliance))
        if (auto k = m_keys.create(name, *password); !k) return k.error();
    return requireUser(name);
}

Result<UserInfo> Users::add(const Actor& by, const std::string& name, const std::set<Role>& roles,
                            const SecretString& password) {
    if (auto r = require(by, Action::ManageUsers); !r) return r.error();
    if (auto r = checkUserName(name); !r) return r.error();
    if (roles.empty()) return Error::badInput("a new user needs at least one role");
    if (auto r = checkPasswordRules(password); !r) return r.error();
    auto me = requireUser(by.name);
    if (!me) return me.error();
    if (!me->hasPassword)
        return Error::badInput("set a password for '" + by.name +
                               "' first (cwb user passwd): a store with a second user needs "
                               "everyone to log in");
    auto hash = hashPassword(password);  // slow: outside the write lock
    if (!hash) return hash.error();
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    auto existing = find(name);
    if (!existing) return existing.error();
    if (*existing) return Error::badInput("user '" + name + "' already exists");
    auto ins = m_db.run(
        "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?) RETURNING id",
        {q(name), q(*hash), q(utcNow())});
    if (!ins) return ins.error();
    if (!ins->next()) return Error::failure("store: inserting a user returned no id");
    const std::int64_t id = ins->value(0).toLongLong();
    ins->finish();
    if (auto r = insertRoles(id, roles); !r) return r.error();
    if (auto a =
            m_audit.append(by.name, "user_added", {{"user", name}, {"roles", rolesJson(roles)}});
        !a)
        return a.error();
    if (roles.count(Role::Compliance))
        if (auto k = m_keys.create(name, password); !k) return k.error();
    auto user = requireUser(name);
    if (!user) return user.error();
    if (auto r = tx.commit(); !r) return r.error();
    return user;
}

Result<void> Users::setPassword(const Actor& by, const std::string& name,
                                const SecretString& password) {
    if (by.name != name)
        if (auto r = require(by, Action::ManageUsers); !r) return r.error();
    if (auto r = checkPasswordRules(password); !r) return r.error();
    auto user = requireUser(name);
    if (!user) return user.error();
    auto hash = hashPassword(password);
    if (!hash) return hash.error();
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    auto upd = m_db.run("UPDATE users SET password_hash = ? WHERE id = ?",
                        {q(*hash), QVariant::fromValue<qlonglong>(user->id)});
    if (!upd) return upd.error();
    if (auto a = m_audit.append(by.name, "password_changed", {{"user", name}}); !a)
        return a.error();
    // The old signing key cannot be reopened with the new password: a new pair replaces it.
    if (user->roles.count(Role::Compliance))
        if (auto k = m_keys.create(name, password); !k) return k.error();
    return tx.commit();
}

Result<void> Users::setRoles(const Actor& by, const std::string& name,
                             const std::set<Role>& roles) {
    if (auto r = require(by, Action::ManageUsers); !r) return r.error();
    if (roles.empty()) return Error::badInput("a user needs at least one role");
    auto user = requireUser(name);
    if (!user) return user.error();
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    if (auto r = insertRoles(user->id, roles); !r) return r.error();
    if (auto a = m_audit.append(by.name, "roles_changed",
                                {{"user", name},
                                 {"roles", rolesJson(roles)},
                                 {"previous_roles", rolesJson(user->roles)}});
        !a)
        return a.error();
    return tx.commit();
}

namespace {

Result<void> setFlag(Database& db, AuditLog& audit, const Actor& by, const std::string& name,
                     const QString& assignment, const std::string& event) {
    if (auto r = require(by, Action::ManageUsers); !r) return r.error();
    Transaction tx(db);
    if (auto r = tx.begin(); !r) return r.error();
    auto upd = db.run("UPDATE users SET " + assignment + " WHERE name = ?", {q(name)});
    if (!upd) return upd.error();
    if (upd->numRowsAffected() != 1) return Error::badInput("no user '" + name + "' in the store");
    if (auto a = audit.append(by.name, event, {{"user", name}}); !a) return a.error();
    return tx.commit();
}

}  // namespace

Result<void> Users::disable(const Actor& by, const std::string& name) {
    if (by.name == name) return Error::badInput("an admin cannot disable their own account");
    return setFlag(m_db, m_audit, by, name, "disabled = 1", "user_disabled");
}

Result<void> Users::enable(const Actor& by, const std::string& name) {
    return setFlag(m_db, m_audit, by, name, "disabled = 0", "user_enabled");
}

Result<void> Users::unlock(const Actor& by, const std::string& name) {
    return setFlag(m_db, m_audit, by, name, "locked = 0, failed_logins = 0", "user_unlocked");
}

Result<Actor> Users::authenticate(const std::string& name, const SecretString* password) {
    if (auto r = checkUserName(name); !r) return r.error();
    auto found = find(name);
    if (!found) return found.error();
    const auto refuse = [&](const std::string& reason, Error error) -> Result<Actor> {
        if (auto a = m_audit.append(name, "login_failed", {{"user", name}, {"reason", reason}}); !a)
            return a.error();
        return error;
    };
    if (!*found) return refuse("unknown user", authenticationFailed());
    const UserInfo& user = **found;
    if (user.disabled)
        return refuse("account disabled",
                      Error::failure("login failed: the account '" + name + "' is disabled"));
    if (user.locked)
        return refuse("account locked",
                      Error::failure("login failed: the account '" + name + "' is locked after " +
                                     std::to_string(kMaxFailedLogins) +
                                     " wrong passwords; an admin must unlock it (cwb user "
                                     "unlock)"));
    bool accepted = false;
    if (!user.hasPassword) {
        auto users = count();
        if (!users) return users.error();
        if (*users != 1)
            return refuse("no password set",
                          Error::failure("login failed: '" + name +
                                         "' has no password in a store with several users; an "
                                         "admin must set one (cwb user passwd)"));
        accepted = true;  // the single-user desktop store: the OS account is the login
    } else if (password) {
        auto hash = m_db.scalar("SELECT password_hash FROM users WHERE id = ?",
                                {QVariant::fromValue<qlonglong>(user.id)});
        if (!hash) return hash.error();
        accepted = verifyPassword(hash->toString().toStdString(), *password);
    }
    if (!user.hasPassword || accepted) {
        Transaction tx(m_db);
        if (auto r = tx.begin(); !r) return r.error();
        auto upd = m_db.run("UPDATE users SET failed_logins = 0 WHERE id = ?",
                            {QVariant::fromValue<qlonglong>(user.id)});
        if (!upd) return upd.error();
        if (auto a = m_audit.append(name, "login", {{"user", name}}); !a) return a.error();
        // A compliance user without a signing key (made compliance later, or from a store
        // older than the registry) gets one now, sealed with the password just checked.
        if (user.hasPassword && accepted && password && user.roles.count(Role::Compliance)) {
            auto key = m_keys.current(name);
            if (!key) return key.error();
            if (!*key)
                if (auto k = m_keys.create(name, *password); !k) return k.error();
        }
        if (auto r = tx.commit(); !r) return r.error();
        return Actor{user.name, user.roles};
    }
    if (!password)
        return Error::badInput("a password is needed for '" + name +
                               "' (CWB_PASSWORD or the terminal prompt)");
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    auto upd = m_db.run("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?",
                        {QVariant::fromValue<qlonglong>(user.id)});
    if (!upd) return upd.error();
    auto failures = m_db.scalar("SELECT failed_logins FROM users WHERE id = ?",
                                {QVariant::fromValue<qlonglong>(user.id)});
    if (!failures) return failures.error();
    const int failed = failures->toInt();
    if (auto a = m_audit.append(
            name, "login_failed",
            {{"user", name}, {"reason", "wrong password"}, {"failed_logins", failed}});
        !a)
        return a.error();
    if (failed >= kMaxFailedLogins) {
        auto lock = m_db.run("UPDATE users SET locked = 1 WHERE id = ?",
                             {QVariant::fromValue<qlonglong>(user.id)});
        if (!lock) return lock.error();
        if (auto a =
                m_audit.append(name, "account_locked", {{"user", name}, {"failed_logins", failed}});
            !a)
            return a.error();
    }
    if (auto r = tx.commit(); !r) return r.error();
    if (failed >= kMaxFailedLogins)
        return Error::failure("login failed: wrong password; the account '" + name +
                              "' is now locked after " + std::to_string(kMaxFailedLogins) +
                              " wrong passwords; an admin must unlock it (cwb user unlock)");
    return authenticationFailed();
}

}  // namespace cwb::store
