#pragma once
// One connection to the workbench store through QtSql, so the same SQL runs on SQLite (QSQLITE,
// the desktop store) and on PostgreSQL (QPSQL, the team store, issue 14). Everything
// dialect-specific (opening, pragmas, how a write transaction starts) stays in this class.
//
// Not thread-safe: one Database per thread (QtSql connections belong to the thread that made
// them).

#include <functional>
#include <memory>
#include <string>

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <QVariantList>

#include "common/Result.h"
#include "store/PasswordHash.h"
#include "store/PostgresAddress.h"

namespace cwb::store {

enum class Dialect { Sqlite, Postgres };

// The key of PostgreSQL's transaction-scoped advisory lock that serialises the store's writers
// ("CWST", as the SQLite file's application_id); advisory locks are per database.
inline constexpr long long kStoreWriteLockKey = 0x43575354;

class Database {
public:
    // Opens (and with `create`, creates) an SQLite store file: WAL, foreign keys, secure_delete,
    // a busy timeout so that concurrent writers wait instead of failing.
    static Result<std::unique_ptr<Database>> openSqlite(const std::string& path, bool create);
    // Connects to a PostgreSQL store (store/PostgresAddress.h) with QPSQL. libpq looks for the
    // password in PGPASSWORD and ~/.pgpass; when the server wants one and neither has it, the
    // prompt set with setPasswordPrompt (the command line's terminal) is asked once.
    static Result<std::unique_ptr<Database>> openPostgres(const std::string& address);
    // Opens either kind: a postgresql:// address or an SQLite file path.
    static Result<std::unique_ptr<Database>> open(const std::string& location, bool create);
    using PasswordPrompt = std::function<Result<SecretString>(const std::string& address)>;
    static void setPasswordPrompt(PasswordPrompt prompt);
    // A second connection to the same store, for another thread (the batch writer); a password
    // typed at the prompt is reused, not asked again.
    Result<std::unique_ptr<Database>> connectAgain() const;
    // connectAgain() for later, on any thread: what the connection needs is copied now, so the
    // function still works after this Database is closed (a GUI worker, decision 33).
    using Reconnect = std::function<Result<std::unique_ptr<Database>>()>;
    Reconnect reconnector() const;
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Dialect dialect() const { return m_dialect; }
    const std::string& location() const { return m_location; }
    QSqlDatabase& connection() { return m_db; }

    // Runs one statement with positional (?) bindings; the error names the statement's purpose.
    Result<QSqlQuery> run(const QString& sql, const QVariantList& binds = {});
    // Runs a statement that returns at most one row with one column; null QVariant when none.
    Result<QVariant> scalar(const QString& sql, const QVariantList& binds = {});

    // Write transactions take the write lock at once (SQLite: BEGIN IMMEDIATE; PostgreSQL: the
    // store's transaction-scoped advisory lock), so two writers serialise instead of
    // deadlocking on a lock upgrade, and the audit chain's read-latest-then-append never
    // interleaves with another workbench's. `writeLock` false (PostgreSQL only): a plain
    // transaction, for bulk rows that neither read nor extend the chain.
    Result<void> begin(bool writeLock = true);
    Result<void> commit();
    void rollback();
    bool inTransaction() const { return m_inTransaction; }

private:
    Database() = default;
    // PostgreSQL: the statement with each ? (outside quotes) replaced by its value as a literal.
    QString inlineBindings(const QString& sql, const QVariantList& binds) const;
    QSqlDatabase m_db;
    QString m_connectionName;
    std::string m_location;                          // the file, or the address without password
    std::string m_address;                           // PostgreSQL: as given, for connectAgain()
    std::shared_ptr<const SecretString> m_password;  // PostgreSQL: typed at the prompt, if any
    Dialect m_dialect = Dialect::Sqlite;
    bool m_inTransaction = false;
};

// RAII: a write transaction rolled back unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(Database& db) : m_db(db) {}
    ~Transaction() {
        if (m_started && !m_done) m_db.rollback();
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Result<void> begin(bool writeLock = true) {
        auto r = m_db.begin(writeLock);
        m_started = r.ok();
        return r;
    }
    Result<void> commit() {
        auto r = m_db.commit();
        m_done = r.ok();
        return r;
    }

private:
    Database& m_db;
    bool m_started = false;
    bool m_done = false;
};

}  // namespace cwb::store
