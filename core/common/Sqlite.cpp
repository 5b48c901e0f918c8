#include "common/Sqlite.h"

#include <sqlite3.h>

#include <utility>

namespace cwb {

Result<SqliteDatabase> SqliteDatabase::open(const std::string& path, Mode mode) {
    sqlite3* db = nullptr;
    const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY
                                             : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return Error::badInput("cannot open '" + path + "': " + message);
    }
    sqlite3_extended_result_codes(db, 1);
    return SqliteDatabase(db);
}

SqliteDatabase::SqliteDatabase(SqliteDatabase&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)) {}

SqliteDatabase& SqliteDatabase::operator=(SqliteDatabase&& other) noexcept {
    if (this != &other) {
        sqlite3_close(m_db);
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

SqliteDatabase::~SqliteDatabase() {
    sqlite3_close(m_db);
}

std::string SqliteDatabase::lastError() const {
    return m_db ? sqlite3_errmsg(m_db) : "no database";
}

Result<void> SqliteDatabase::exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : lastError();
        sqlite3_free(message);
        return Error::failure("SQLite: " + text);
    }
    return {};
}

Result<SqliteStatement> SqliteDatabase::prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK)
        return Error::failure("SQLite: " + lastError() + " in: " + sql);
    return SqliteStatement(stmt, m_db);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr)), m_db(other.m_db) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_db = other.m_db;
    }
    return *this;
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(m_stmt);
}

static Result<void> check(int rc, sqlite3* db) {
    if (rc == SQLITE_OK) return {};
    return Error::failure(std::string("SQLite: ") + sqlite3_errmsg(db));
}

Result<void> SqliteStatement::bind(int index, std::string_view text) {
    return check(sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()),
                                   SQLITE_TRANSIENT),
                 m_db);
}

Result<void> SqliteStatement::bind(int index, std::int64_t value) {
    return check(sqlite3_bind_int64(m_stmt, index, value), m_db);
}

Result<void> SqliteStatement::bind(int index, double value) {
    return check(sqlite3_bind_double(m_stmt, index, value), m_db);
}

Result<void> SqliteStatement::bindNull(int index) {
    return check(sqlite3_bind_null(m_stmt, index), m_db);
}

Result<void> SqliteStatement::bindBlob(int index, const void* data, std::size_t size) {
    return check(sqlite3_bind_blob64(m_stmt, index, data, size, SQLITE_TRANSIENT), m_db);
}

Result<bool> SqliteStatement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Error::failure(std::string("SQLite: ") + sqlite3_errmsg(m_db));
}

Result<void> SqliteStatement::reset() {
    sqlite3_clear_bindings(m_stmt);
    return check(sqlite3_reset(m_stmt), m_db);
}

std::string SqliteStatement::columnText(int column) const {
    const auto* text = sqlite3_column_text(m_stmt, column);
    return text ? std::string(reinterpret_cast<const char*>(text),
                              static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
                : std::string();
}

std::int64_t SqliteStatement::columnInt(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

std::vector<std::uint8_t> SqliteStatement::columnBlob(int column) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? std::vector<std::uint8_t>(data, data + size) : std::vector<std::uint8_t>();
}

}  // namespace cwb
