#pragma once
// Users, their roles and their passwords; authentication with lockout. Every change is audited
// in the same transaction as the change itself.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "store/AuditLog.h"
#include "store/Database.h"
#include "store/PasswordHash.h"
#include "store/Roles.h"
#include "store/SigningKeys.h"

namespace cwb::store {

inline constexpr int kMaxFailedLogins = 5;  // this many wrong passwords in a row lock the account

struct UserInfo {
    std::int64_t id = 0;
    std::string name;
    std::set<Role> roles;
    bool hasPassword = false;
    bool disabled = false;
    bool locked = false;
    int failedLogins = 0;
    std::string createdAt;
    nlohmann::json toJson() const;
};

// 1 to 64 characters: letters, digits, '.', '_', '-', '@'.
Result<void> checkUserName(const std::string& name);

class Users {
public:
    // Compliance users get a signing key (store/SigningKeys.h) when added with a password, at
    // a sign-in with a password when they have none, and anew on every password change.
    Users(Database& db, AuditLog& audit, SigningKeys& keys)
        : m_db(db), m_audit(audit), m_keys(keys) {}

    Result<std::optional<UserInfo>> find(const std::string& name);
    Result<std::vector<UserInfo>> list(const Actor& by);
    Result<std::int64_t> count();

    // Admin only. The acting admin must have a password of their own (a store with a second
    // user is no longer a single-user desktop store).
    Result<UserInfo> add(const Actor& by, const std::string& name, const std::set<Role>& roles,
                         const SecretString& password);
    // Admin, or the user themself (already authenticated with the old password).
    Result<void> setPassword(const Actor& by, const std::string& name,
                             const SecretString& password);
    Result<void> setRoles(const Actor& by, const std::string& name, const std::set<Role>& roles);
    Result<void> disable(const Actor& by, const std::string& name);
    Result<void> enable(const Actor& by, const std::string& name);
    // Clears a lockout (and the count of failed logins).
    Result<void> unlock(const Actor& by, const std::string& name);

    // Checks the password; counts and audits failures, locks after kMaxFailedLogins. `password`
    // null is the single-user desktop login: accepted only for an account without a password
    // while it is the store's only user.
    Result<Actor> authenticate(const std::string& name, const SecretString* password);

    // The first user of a new store (no acting user yet); `password` null for the desktop store.
    Result<UserInfo> createFirst(const std::string& name, const std::set<Role>& roles,
                                 const SecretString* password);

private:
    Result<UserInfo> requireUser(const std::string& name);
    Result<void> insertRoles(std::int64_t userId, const std::set<Role>& roles);
    Database& m_db;
    AuditLog& m_audit;
    SigningKeys& m_keys;
};

nlohmann::json rolesJson(const std::set<Role>& roles);

}  // namespace cwb::store
