#pragma once
// The workbench store (issue 11): the one interface the CLI, the GUI, the registry, the service
// and the reports record into.
//
//   auto store = Store::open(path);                         // existing store, migrated
//   auto store = Store::openForDesktop(path, osUserName()); // created on first start
//   auto store = Store::create(path, "ann", &password);    // `cwb store init --admin ann`
//   Actor me = *store->users().authenticate("ann", &password);  // nullptr: single-user store
//   store->users().add(me, "bob", {Role::Analyst}, bobPassword);
//   store->audit().append(me.name, "event", {{"key", "value"}});   // joins an open transaction
//   ChainCheck c = *store->audit().verify(keptHead);
//   // Recording (the GUI's Record action): store/RecordScore.h builds the input from a score.
//   std::int64_t id = *store->decisions().record(me, makeDecisionInput(...).value());
//   store->decisions().override(me, id, "decline", "data_error", "comment");
//   json report = *store->decisions().overrideReport(me);
//   json shown = *store->applicants().show(me, "N0001");    // masked unless the role may see PII
//   store->applicants().erase(me, "N0001");                 // personal data gone, record kept
//   auto batch = BatchRecorder::start(*store, me, info);    // store/BatchRecorder.h
//
// Every operation that changes or reveals something takes the acting user (`Actor`) and checks
// its roles (store/Roles.h: `require(actor, Action)`, also for a GUI that wants to grey out an
// action beforehand) before it touches the database; the change and its audit entry commit in
// one transaction. Applicants appear by pseudonym only (store/Pseudonym.h). SQLite today (WAL,
// foreign keys, secure_delete); the SQL is portable so that the same store runs on PostgreSQL
// (store/Database.h keeps what differs). A Store is used from one thread (QtSql connections
// belong to the thread that made them); open one per thread.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/Result.h"
#include "store/Applicants.h"
#include "store/AuditLog.h"
#include "store/Database.h"
#include "store/Decisions.h"
#include "store/Migrations.h"
#include "store/PasswordHash.h"
#include "store/Pseudonym.h"
#include "store/Registry.h"
#include "store/Roles.h"
#include "store/Settings.h"
#include "store/SigningKeys.h"
#include "store/Users.h"

namespace cwb::store {

// PRAGMA application_id of a store file ("CWST"): a model bundle or another program's database
// is refused instead of being filled with store tables.
inline constexpr int kStoreApplicationId = 0x43575354;

class Store {
public:
    // An existing store, migrated to the current schema (in one transaction per version):
    // an SQLite file, or a postgresql:// address (store/PostgresAddress.h, the team store).
    static Result<std::unique_ptr<Store>> open(const std::string& path);
    // A new store with `admin` as its first user (role admin). `password` null makes the
    // single-user desktop store: no password while it has only this one user.
    // `path` a postgresql:// address: the database (made by its administrator) gets the schema,
    // the first admin and the PostgreSQL setup (store/PostgresSetup.h), whose statements land
    // in `setupDone`.
    static Result<std::unique_ptr<Store>> create(const std::string& path, const std::string& admin,
                                                 const SecretString* password,
                                                 const std::set<Role>& roles = {Role::Admin},
                                                 std::vector<std::string>* setupDone = nullptr);
    // The desktop's first start: opens the store, or creates it with `osUser` as its only user,
    // holding every role, without a password.
    static Result<std::unique_ptr<Store>> openForDesktop(const std::string& path,
                                                         const std::string& osUser);
    // $XDG_DATA_HOME/CreditWorkbench/credit-workbench/workbench.sqlite (~/.local/share when
    // unset): where the GUI keeps its store too.
    static std::string defaultPath();
    // Opens the same store once more, later and on any thread (a Store belongs to the thread
    // that opened it): a GUI worker's own connection. A password typed for this store is
    // reused, never asked again.
    using Reopen = std::function<Result<std::unique_ptr<Store>>()>;
    Reopen reopener() const;

    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    Database& database() { return *m_db; }
    AuditLog& audit() { return m_audit; }
    Users& users() { return m_users; }
    SigningKeys& signingKeys() { return m_keys; }
    Settings& settings() { return m_settings; }
    Decisions& decisions() { return m_decisions; }
    Applicants& applicants() { return m_applicants; }
    Registry& registry() { return m_registry; }
    const Pseudonymizer& pseudonymizer() const { return m_pseudonymizer; }
    // The secret behind the pseudonyms (hex); for a second connection (store/BatchRecorder.h).
    Result<std::string> pseudonymKey();
    const std::string& path() const { return m_db->location(); }
    // A random identifier made when the store was created.
    Result<std::string> storeId();

private:
    Store(std::unique_ptr<Database> db, const std::string& pseudonymKey);
    static Result<std::unique_ptr<Store>> openMigrated(std::unique_ptr<Database> db, int version);
    static Result<std::unique_ptr<Store>> createPostgres(const std::string& address,
                                                         const std::string& admin,
                                                         const SecretString* password,
                                                         const std::set<Role>& roles,
                                                         std::vector<std::string>* setupDone);
    // A new store's meta data, first user and first audit entry, in one transaction.
    Result<void> initialise(const std::string& pseudonymKey, const std::string& admin,
                            const SecretString* password, const std::set<Role>& roles,
                            std::vector<std::string>* setupDone);
    std::unique_ptr<Database> m_db;
    AuditLog m_audit;
    SigningKeys m_keys;
    Users m_users;
    Settings m_settings;
    Pseudonymizer m_pseudonymizer;
    Decisions m_decisions;
    Applicants m_applicants;
    Registry m_registry;
};

// The login name of the process's user (getpwuid, else $USER).
std::string osUserName();

}  // namespace cwb::store
