#include "store/Database.h"

#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QUuid>

#include <mutex>

namespace cwb::store {

namespace {

QString describe(const QSqlError& error) {
    QString text = error.databaseText().trimmed();
    if (text.isEmpty()) text = error.driverText().trimmed();
    return text;
}

// libpq's words when the server closed the connection or the backend was terminated.
bool connectionLost(const QSqlError& error, const QString& text) {
    return error.type() == QSqlError::ConnectionError ||
           text.contains("server closed the connection") ||
           text.contains("terminating connection") ||
           text.contains("no connection to the server") ||
           text.contains("could not receive data from server") ||
           text.contains("could not send data to server") || text.contains("connection to server");
}

// The server wants a password and libpq had none. As with psql, a wrong one from PGPASSWORD or
// ~/.pgpass is an error, not a reason to ask.
bool wantsPassword(const QString& text) {
    return text.contains("no password supplied");
}

std::mutex promptMutex;
Database::PasswordPrompt& passwordPrompt() {
    static Database::PasswordPrompt prompt;
    return prompt;
}

}  // namespace

void Database::setPasswordPrompt(PasswordPrompt prompt) {
    std::lock_guard lock(promptMutex);
    passwordPrompt() = std::move(prompt);
}

Result<std::unique_ptr<Database>> Database::open(const std::string& location, bool create) {
    if (isPostgresAddress(location)) return openPostgres(location);
    return openSqlite(location, create);
}

namespace {

// One connection attempt; `password` null leaves it to libpq (PGPASSWORD, ~/.pgpass).
bool connectPostgres(QSqlDatabase& db, const PostgresAddress& a, const SecretString* password) {
    db.setHostName(QString::fromStdString(a.host));
    db.setPort(a.port);
    db.setDatabaseName(QString::fromStdString(a.database));
    if (!a.user.empty()) db.setUserName(QString::fromStdString(a.user));
    db.setPassword(password ? QString::fromStdString(password->view()) : QString());
    QStringList options;
    bool timeout = false, name = false;
    for (const auto& [key, value] : a.options) {
        options << QString::fromStdString(key + "=" + value);
        timeout = timeout || key == "connect_timeout";
        name = name || key == "application_name";
    }
    // A server that does not answer is an error within seconds, not a hang.
    if (!timeout) options << "connect_timeout=10";
    if (!name) options << "application_name=credit-workbench";
    db.setConnectOptions(options.join(';'));
    const bool opened = db.open();
    db.setPassword(QString());  // QSqlDatabase keeps a copy otherwise
    return opened;
}

}  // namespace

Result<std::unique_ptr<Database>> Database::openPostgres(const std::string& address) {
    auto parsed = parsePostgresAddress(address);
    if (!parsed) return parsed.error();
    if (!QSqlDatabase::isDriverAvailable("QPSQL"))
        return Error::failure(
            "the Qt PostgreSQL driver (QPSQL, package libqt6sql6-psql) is missing");
    std::unique_ptr<Database> db(new Database());
    db->m_location = parsed->display();
    db->m_address = address;
    db->m_dialect = Dialect::Postgres;
    db->m_connectionName = "cwb-store-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
    db->m_db = QSqlDatabase::addDatabase("QPSQL", db->m_connectionName);
    if (!connectPostgres(db->m_db, *parsed, nullptr)) {
        QString text = describe(db->m_db.lastError());
        PasswordPrompt prompt;
        {
            std::lock_guard lock(promptMutex);
            prompt = passwordPrompt();
        }
        if (!wantsPassword(text) || !prompt)
            return Error::failure("cannot connect to the store " + db->m_location + ": " +
                                  text.toStdString());
        auto typed = prompt(db->m_location);
        if (!typed) return typed.error();
        auto password = std::make_shared<const SecretString>(std::move(*typed));
        if (!connectPostgres(db->m_db, *parsed, password.get()))
            return Error::failure("cannot connect to the store " + db->m_location + ": " +
                                  describe(db->m_db.lastError()).toStdString());
        db->m_password = std::move(password);
    }
    // Times compared as text and names sorted the same way on every server.
    for (const char* setting : {"SET TIME ZONE 'UTC'", "SET client_min_messages = warning"}) {
        auto r = db->run(setting);
        if (!r) return r.error();
    }
    return db;
}

QString Database::inlineBindings(const QString& sql, const QVariantList& binds) const {
    QString out;
    out.reserve(sql.size() + 64 * binds.size());
    qsizetype next = 0;
    bool quoted = false;
    for (const QChar c : sql) {
        if (c == '\'') quoted = !quoted;
        if (c != '?' || quoted || next >= binds.size()) {
            out += c;
            continue;
        }
        const QVariant& value = binds[next++];
        QSqlField field(QString(), value.metaType());
        field.setValue(value);
        out += m_db.driver()->formatValue(field);
    }
    return out;
}

Result<std::unique_ptr<Database>> Database::connectAgain() const {
    return reconnector()();
}

Database::Reconnect Database::reconnector() const {
    if (m_dialect == Dialect::Sqlite)
        return [location = m_location] { return openSqlite(location, false); };
    return [location = m_location, address = m_address,
            password = m_password]() -> Result<std::unique_ptr<Database>> {
        auto parsed = parsePostgresAddress(address);
        if (!parsed) return parsed.error();
        std::unique_ptr<Database> db(new Database());
        db->m_location = location;
        db->m_address = address;
        db->m_password = password;
        db->m_dialect = Dialect::Postgres;
        db->m_connectionName = "cwb-store-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
        db->m_db = QSqlDatabase::addDatabase("QPSQL", db->m_connectionName);
        if (!connectPostgres(db->m_db, *parsed, password.get()))
            return Error::failure("cannot connect to the store " + location + ": " +
                                  describe(db->m_db.lastError()).toStdString());
        auto r = db->run("SET TIME ZONE 'UTC'");
        if (!r) return r.error();
        return db;
    };
}

Result<std::unique_ptr<Database>> Database::openSqlite(const std::string& path, bool create) {
    const QString file = QString::fromStdString(path);
    if (!create && !QFileInfo::exists(file))
        return Error::badInput("store '" + path + "' does not exist");
    if (!QSqlDatabase::isDriverAvailable("QSQLITE"))
        return Error::failure(
            "the Qt SQLite driver (QSQLITE, package libqt6sql6-sqlite) is missing");
    std::unique_ptr<Database> db(new Database());
    db->m_location = path;
    db->m_dialect = Dialect::Sqlite;
    db->m_connectionName = "cwb-store-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
    db->m_db = QSqlDatabase::addDatabase("QSQLITE", db->m_connectionName);
    db->m_db.setDatabaseName(file);
    db->m_db.setConnectOptions("QSQLITE_BUSY_TIMEOUT=10000");
    if (!db->m_db.open())
        return Error::failure("cannot open store '" + path +
                              "': " + describe(db->m_db.lastError()).toStdString());
    // secure_delete: erased personal data is overwritten with zeros, not left in free pages.
    for (const char* pragma : {"PRAGMA foreign_keys = ON", "PRAGMA secure_delete = ON",
                               "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"}) {
        auto r = db->run(pragma);
        if (!r) return r.error();
    }
    return db;
}

Database::~Database() {
    if (m_inTransaction) rollback();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

Result<QSqlQuery> Database::run(const QString& sql, const QVariantList& binds) {
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    const auto failed = [&]() -> Error {
        const QSqlError error = query.lastError();
        const QString text = describe(error);
        if (m_dialect == Dialect::Postgres && connectionLost(error, text))
            return Error::failure("lost the connection to the store " + m_location + " (" +
                                  text.toStdString() +
                                  "): the server rolled back the open transaction, nothing of "
                                  "it was recorded");
        return Error::failure("store '" + m_location + "': " + text.toStdString() +
                              " in: " + sql.left(120).toStdString());
    };
    // QPSQL prepares as a server-side PREPARE, which takes only SELECT, INSERT, UPDATE, DELETE
    // and VALUES, and costs three round trips (PREPARE, EXECUTE, DEALLOCATE) per statement.
    // The values go into the statement as literals made by the driver (libpq's escaping, as
    // QPSQL's own EXECUTE does), so each statement is one round trip.
    if (m_dialect == Dialect::Postgres) {
        if (!query.exec(binds.isEmpty() ? sql : inlineBindings(sql, binds))) return failed();
        return query;
    }
    if (!query.prepare(sql)) return failed();
    for (const QVariant& v : binds)
        query.addBindValue(v);
    if (!query.exec()) return failed();
    return query;
}

Result<QVariant> Database::scalar(const QString& sql, const QVariantList& binds) {
    auto q = run(sql, binds);
    if (!q) return q.error();
    QVariant value;
    if (q->next()) value = q->value(0);
    q->finish();
    return value;
}

Result<void> Database::begin(bool writeLock) {
    if (m_inTransaction) return Error::failure("store: nested transaction (a bug)");
    auto r = run(m_dialect == Dialect::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    if (!r) return r.error();
    m_inTransaction = true;
    if (m_dialect == Dialect::Postgres && writeLock) {
        // Released by COMMIT or ROLLBACK, and by the server when the connection dies.
        auto lock =
            run("SELECT pg_advisory_xact_lock(" + QString::number(kStoreWriteLockKey) + ")");
        if (!lock) {
            rollback();
            return lock.error();
        }
    }
    return {};
}

Result<void> Database::commit() {
    auto r = run("COMMIT");
    if (!r) return r.error();
    m_inTransaction = false;
    return {};
}

void Database::rollback() {
    QSqlQuery query(m_db);
    query.exec("ROLLBACK");  // failure here means there was nothing to roll back
    m_inTransaction = false;
}

}  // namespace cwb::store
