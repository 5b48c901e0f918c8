#pragma once
// Helpers for the store tests: a fresh store in a scratch folder, an admin with a known password,
// and direct access to the store's tables behind its back (to play the attacker who edits them).
//
// The same tests run on both backends (issue 14): CTest registers each store test twice, the
// second time with CWB_TEST_STORE_BACKEND=postgresql. There a store "file" is a database on one
// real PostgreSQL 15 server per test process (tests/common/PostgresServer.h), started on first
// use and stopped when the test ends; the attacker is the server's superuser, who can switch
// the audit trail's append-only trigger off for its session.

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "../common/PostgresServer.h"
#include "common/Sqlite.h"
#include "store/Store.h"

namespace cwb::test {

inline const char* kAdminPassword = "admin-secret-1";

inline bool onPostgres() {
    return qEnvironmentVariable("CWB_TEST_STORE_BACKEND") == QLatin1String("postgresql");
}

namespace detail {
inline std::unique_ptr<PostgresServer>& serverSlot() {
    static std::unique_ptr<PostgresServer> server;
    return server;
}
inline std::set<std::string>& createdDatabases() {
    static std::set<std::string> names;
    return names;
}
}  // namespace detail

// The test process's PostgreSQL server (started on first use; qFatal when it cannot start, so
// a PostgreSQL run never passes by testing nothing). Stopped when QCoreApplication ends.
inline PostgresServer& sharedPostgres() {
    auto& server = detail::serverSlot();
    if (!server) {
        if (!PostgresServer::available())
            qFatal("CWB_TEST_STORE_BACKEND=postgresql but PostgreSQL 15 is not installed");
        server = std::make_unique<PostgresServer>();
        QString error;
        if (!server->start(&error)) qFatal("PostgreSQL did not start: %s", qPrintable(error));
        qAddPostRoutine([] { detail::serverSlot().reset(); });
    }
    return *server;
}

// The address of database `name` on the shared server (trust authentication on loopback).
inline std::string postgresAddress(const std::string& database,
                                   const std::string& user = "postgres") {
    PostgresServer& pg = sharedPostgres();
    return "postgresql://" + user + "@" + pg.host().toStdString() + ":" +
           std::to_string(pg.port()) + "/" + database;
}

// A database on the shared server, created the first time it is named.
inline std::string postgresDatabase(const std::string& database) {
    if (detail::createdDatabases().insert(database).second) {
        auto run = sharedPostgres().sql(QString::fromStdString("CREATE DATABASE " + database));
        if (!run.ok())
            qFatal("CREATE DATABASE %s failed: %s", database.c_str(), run.err.constData());
    }
    return postgresAddress(database);
}

// Where the store called `name` in `dir` lives on the backend under test: the file, or a
// database named after the folder and the name (the same one every time it is asked for).
inline std::string storeLocation(const QTemporaryDir& dir, const char* name = "work.sqlite") {
    if (!onPostgres()) return dir.filePath(name).toStdString();
    const QByteArray digest =
        QCryptographicHash::hash((dir.path() + "/" + name).toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(20);
    return postgresDatabase("cwb_" + digest.toStdString());
}

inline std::unique_ptr<store::Store> makeStore(const QTemporaryDir& dir,
                                               const char* name = "work.sqlite") {
    store::SecretString password(kAdminPassword);
    auto created = store::Store::create(storeLocation(dir, name), "root", &password);
    if (!created) qWarning("%s", created.error().message.c_str());
    return created ? std::move(*created) : nullptr;
}

inline store::Actor login(store::Store& s, const std::string& name, const std::string& password) {
    store::SecretString secret(password);
    auto actor = s.users().authenticate(name, &secret);
    if (!actor) qWarning("%s", actor.error().message.c_str());
    return actor ? *actor : store::Actor{};
}

namespace detail {
// The superuser's own connection to a store database, with triggers off for its session.
class Attacker {
public:
    explicit Attacker(const std::string& address) {
        auto parsed = store::parsePostgresAddress(address);
        m_name = "attacker-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
        QSqlDatabase db = QSqlDatabase::addDatabase("QPSQL", m_name);
        db.setHostName(QString::fromStdString(parsed->host));
        db.setPort(parsed->port);
        db.setDatabaseName(QString::fromStdString(parsed->database));
        db.setUserName("postgres");
        m_ok = db.open();
        if (!m_ok) qWarning("attacker: %s", qPrintable(db.lastError().text()));
        if (m_ok) m_ok = exec("SET session_replication_role = replica");
    }
    ~Attacker() {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool ok() const { return m_ok; }
    bool exec(const QString& sql, std::vector<std::vector<std::string>>* rows = nullptr) {
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        if (!q.exec(sql)) {
            qWarning("attacker: %s in %s", qPrintable(q.lastError().text()), qPrintable(sql));
            return false;
        }
        while (rows && q.next()) {
            std::vector<std::string> row;
            for (int i = 0; i < q.record().count(); ++i)
                row.push_back(q.value(i).toString().toStdString());
            rows->push_back(std::move(row));
        }
        return true;
    }

private:
    QString m_name;
    bool m_ok = false;
};
}  // namespace detail

// Runs SQL on the store directly, behind its back (statements separated by ';', none inside
// a literal). SQLite: the file with the C API (the store must be closed). PostgreSQL: the
// superuser with triggers off.
inline bool tamper(const std::string& location, const std::string& sql) {
    if (store::isPostgresAddress(location)) {
        detail::Attacker attacker(location);
        if (!attacker.ok()) return false;
        for (const QString& statement : QString::fromStdString(sql).split(';', Qt::SkipEmptyParts))
            if (!attacker.exec(statement)) return false;
        return true;
    }
    auto db = SqliteDatabase::open(location, SqliteDatabase::Mode::ReadWriteCreate);
    if (!db) return false;
    auto r = db->exec(sql);
    if (!r) qWarning("%s", r.error().message.c_str());
    return r.ok();
}

// Reads rows behind the store's back (every value as text).
inline std::vector<std::vector<std::string>> tamperRead(const std::string& location,
                                                        const std::string& sql, int columns) {
    std::vector<std::vector<std::string>> rows;
    if (store::isPostgresAddress(location)) {
        detail::Attacker attacker(location);
        if (attacker.ok()) attacker.exec(QString::fromStdString(sql), &rows);
        return rows;
    }
    auto db = SqliteDatabase::open(location, SqliteDatabase::Mode::ReadWriteCreate);
    if (!db) return rows;
    auto read = db->prepare(sql);
    if (!read) return rows;
    while (true) {
        auto more = read->step();
        if (!more || !*more) break;
        std::vector<std::string> row;
        for (int i = 0; i < columns; ++i)
            row.push_back(read->columnText(i));
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace cwb::test
