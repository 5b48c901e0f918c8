#pragma once
// The workbench store (issue 11): the one interface the CLI, the GUI, the registry, the service
// and the reports record into.
//
//   auto store = Store::open(path);                         // existing store, migrated
//   auto store = Store::openForDesktop(path, osUserName()); // created on first start
//   auto store = Store::create(path, "ann", &password);    // `cwb store init --admin ann`
//   Actor me = *store->users().authenticate("ann", &password);
//   store->users().add(me, "bob", {Role::Analyst}, bobPassword);
//   store->audit().append(me.name, "event", {{"key", "value"}});
//   ChainCheck c = *store->audit().verify(keptHead);
//
// Every operation that changes something takes the acting user (`Actor`) and checks its roles
// (store/Roles.h) before it touches the database; the change and its audit entry commit in one
// transaction. SQLite today (WAL, foreign keys, secure_delete); the SQL is portable so that the
// same store runs on PostgreSQL (store/Database.h keeps what differs).

#include <memory>
#include <string>

#include "common/Result.h"
#include "store/AuditLog.h"
#include "store/Database.h"
#include "store/Migrations.h"
#include "store/PasswordHash.h"
#include "store/Roles.h"
#include "store/Users.h"

namespace cwb::store {

// PRAGMA application_id of a store file ("CWST"): a model bundle or another program's database
// is refused instead of being filled with store tables.
inline constexpr int kStoreApplicationId = 0x43575354;

class Store {
public:
    // An existing store, migrated to the current schema (in one transaction per version).
    static Result<std::unique_ptr<Store>> open(const std::string& path);
    // A new store with `admin` as its first user (role admin). `password` null makes the
    // single-user desktop store: no password while it has only this one user.
    static Result<std::unique_ptr<Store>> create(const std::string& path, const std::string& admin,
                                                 const SecretString* password,
                                                 const std::set<Role>& roles = {Role::Admin});
    // The desktop's first start: opens the store, or creates it with `osUser` as its only user,
    // holding every role, without a password.
    static Result<std::unique_ptr<Store>> openForDesktop(const std::string& path,
                                                         const std::string& osUser);
    // $XDG_DATA_HOME/CreditWorkbench/credit-workbench/workbench.sqlite (~/.local/share when
    // unset): where the GUI keeps its store too.
    static std::string defaultPath();

    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    Database& database() { return *m_db; }
    AuditLog& audit() { return m_audit; }
    Users& users() { return m_users; }
    const std::string& path() const { return m_db->location(); }
    // A random identifier made when the store was created.
    Result<std::string> storeId();

private:
    explicit Store(std::unique_ptr<Database> db);
    std::unique_ptr<Database> m_db;
    AuditLog m_audit;
    Users m_users;
};

// The login name of the process's user (getpwuid, else $USER).
std::string osUserName();

}  // namespace cwb::store
