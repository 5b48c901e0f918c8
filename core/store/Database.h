#pragma once
// One connection to the workbench store through QtSql, so the same SQL runs on SQLite (QSQLITE,
// the desktop store) and later on PostgreSQL (QPSQL, the team store, issue 14). Everything
// dialect-specific (opening, pragmas, how a write transaction starts) stays in this class.
//
// Not thread-safe: one Database per thread (QtSql connections belong to the thread that made
// them).

#include <memory>
#include <string>

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <QVariantList>

#include "common/Result.h"

namespace cwb::store {

enum class Dialect { Sqlite, Postgres };

class Database {
public:
    // Opens (and with `create`, creates) an SQLite store file: WAL, foreign keys, secure_delete,
    // a busy timeout so that concurrent writers wait instead of failing.
    static Result<std::unique_ptr<Database>> openSqlite(const std::string& path, bool create);
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

    // Write transactions take the write lock at once (SQLite: BEGIN IMMEDIATE), so two writers
    // serialise instead of deadlocking on a lock upgrade.
    Result<void> begin();
    Result<void> commit();
    void rollback();
    bool inTransaction() const { return m_inTransaction; }

private:
    Database() = default;
    QSqlDatabase m_db;
    QString m_connectionName;
    std::string m_location;
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
    Result<void> begin() {
        auto r = m_db.begin();
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
