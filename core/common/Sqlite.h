#pragma once
// Thin RAII wrappers over the SQLite C API: every handle closed by its owner, every return
// code checked and turned into an Error carrying sqlite3_errmsg().

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cwb {

class SqliteStatement;

class SqliteDatabase {
public:
    enum class Mode { ReadOnly, ReadWriteCreate };

    static Result<SqliteDatabase> open(const std::string& path, Mode mode);
    // Takes ownership of a connection opened elsewhere (closed even if db is half-open).
    static SqliteDatabase adopt(sqlite3* db) { return SqliteDatabase(db); }
    SqliteDatabase(SqliteDatabase&&) noexcept;
    SqliteDatabase& operator=(SqliteDatabase&&) noexcept;
    ~SqliteDatabase();

    Result<void> exec(const std::string& sql);
    Result<SqliteStatement> prepare(const std::string& sql);
    std::string lastError() const;
    sqlite3* handle() const { return m_db; }

private:
    explicit SqliteDatabase(sqlite3* db) : m_db(db) {}
    sqlite3* m_db = nullptr;
};

class SqliteStatement {
public:
    SqliteStatement(SqliteStatement&&) noexcept;
    SqliteStatement& operator=(SqliteStatement&&) noexcept;
    ~SqliteStatement();

    Result<void> bind(int index, std::string_view text);
    Result<void> bind(int index, std::int64_t value);
    Result<void> bind(int index, double value);
    Result<void> bindNull(int index);
    Result<void> bindBlob(int index, const void* data, std::size_t size);
    // Steps once: true when a row is available, false when done.
    Result<bool> step();
    Result<void> reset();

    std::string columnText(int column) const;
    std::int64_t columnInt(int column) const;
    std::vector<std::uint8_t> columnBlob(int column) const;

private:
    friend class SqliteDatabase;
    SqliteStatement(sqlite3_stmt* stmt, sqlite3* db) : m_stmt(stmt), m_db(db) {}
    sqlite3_stmt* m_stmt = nullptr;
    sqlite3* m_db = nullptr;
};

}  // namespace cwb
