#include "store/Database.h"

#include <QFileInfo>
#include <QSqlError>
#include <QUuid>

namespace cwb::store {

namespace {

QString describe(const QSqlError& error) {
    QString text = error.databaseText();
    if (text.isEmpty()) text = error.driverText();
    return text;
}

}  // namespace

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
    if (!query.prepare(sql))
        return Error::failure("store '" + m_location +
                              "': " + describe(query.lastError()).toStdString() +
                              " in: " + sql.left(120).toStdString());
    for (const QVariant& v : binds)
        query.addBindValue(v);
    if (!query.exec())
        return Error::failure("store '" + m_location +
                              "': " + describe(query.lastError()).toStdString() +
                              " in: " + sql.left(120).toStdString());
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

Result<void> Database::begin() {
    if (m_inTransaction) return Error::failure("store: nested transaction (a bug)");
    auto r = run(m_dialect == Dialect::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    if (!r) return r.error();
    m_inTransaction = true;
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
