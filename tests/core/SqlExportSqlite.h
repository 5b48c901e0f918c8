#pragma once
// Running generated SQL in SQLite through its C API: loading a scoring file into a table the
// way a database holds it (numbers as REAL, levels as TEXT, missing as NULL) and reading the
// statement's rows back with their SQL types.

#include <sqlite3.h>

#include <QTest>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "SqlExportCompare.h"
#include "data/CsvReader.h"
#include "data/TextUtil.h"
#include "scoring/ModelBundle.h"

namespace cwb::test {

struct SqliteCloser {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;
struct StatementFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

inline SqliteHandle openSqlite(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        sqlite3_close(db);
        return nullptr;
    }
    return SqliteHandle(db);
}

inline bool sqliteExec(sqlite3* db, const std::string& sql, std::string* error = nullptr) {
    char* message = nullptr;
    const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK;
    if (!ok && error) *error = message ? message : "unknown error";
    sqlite3_free(message);
    return ok;
}

// Inserts every record of csv (columns: the bundle's id and inputs, as in its DDL) into table.
// Numbers are bound as doubles, including those beyond float range; a missing-value token in
// a numeric column stays text, as SQLite keeps it; an empty field is NULL.
inline void loadSqlite(sqlite3* db, const std::string& table, const std::string& csv,
                       const ModelBundle& bundle) {
    auto reader = CsvReader::open(csv, CsvDialect{});
    QVERIFY(reader.ok());
    const auto& header = (*reader)->header();
    std::string insert = "INSERT INTO `" + table + "` VALUES (";
    for (std::size_t c = 0; c < header.size(); ++c)
        insert += c == 0 ? "?" : ", ?";
    insert += ")";
    sqlite3_stmt* raw = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db, insert.c_str(), -1, &raw, nullptr), SQLITE_OK);
    StatementHandle statement(raw);
    QVERIFY(sqliteExec(db, "BEGIN"));
    CsvRecord record;
    while (true) {
        auto more = (*reader)->next(record);
        QVERIFY(more.ok());
        if (!*more) break;
        sqlite3_reset(raw);
        for (std::size_t c = 0; c < header.size(); ++c) {
            const int index = static_cast<int>(c) + 1;
            const std::string field(record.fields.at(c));
            const ColumnSpec* spec = bundle.schema.find(header[c]);
            double value = 0.0;
            if (text::trim(field).empty()) {
                sqlite3_bind_null(raw, index);
            } else if (spec && spec->type == ColumnType::Numeric &&
                       spec->role == ColumnRole::Feature) {
                const NumberStatus status = parseNumber(field, '.', value);
                if (status == NumberStatus::OutOfRange)
                    value = std::strtod(std::string(text::trim(field)).c_str(), nullptr);
                if (status == NumberStatus::Ok || status == NumberStatus::OutOfRange)
                    sqlite3_bind_double(raw, index, value);
                else
                    sqlite3_bind_text(raw, index, field.c_str(), -1, SQLITE_TRANSIENT);
            } else {
                sqlite3_bind_text(raw, index, field.c_str(), -1, SQLITE_TRANSIENT);
            }
        }
        QCOMPARE(sqlite3_step(raw), SQLITE_DONE);
    }
    QVERIFY(sqliteExec(db, "COMMIT"));
}

inline std::optional<std::string> textOrNull(sqlite3_stmt* s, int column) {
    if (column < 0 || sqlite3_column_type(s, column) == SQLITE_NULL) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, column)));
}

// Runs the statement; rows by id (idColumn "" = by row number). Fails the test on an error.
inline std::map<std::string, SqlRow> runSqlite(sqlite3* db, const std::string& sql,
                                               const std::string& idColumn, int reasons) {
    std::map<std::string, SqlRow> rows;
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, &tail) !=
        SQLITE_OK) {
        QTest::qFail(sqlite3_errmsg(db), __FILE__, __LINE__);
        return rows;
    }
    StatementHandle statement(raw);
    if (!text::trim(std::string_view(tail)).empty() && std::string_view(tail) != "\n") {
        QTest::qFail("the SQL holds more than one statement", __FILE__, __LINE__);
        return rows;
    }
    std::map<std::string, int> column;
    for (int c = 0; c < sqlite3_column_count(raw); ++c)
        column[sqlite3_column_name(raw, c)] = c;
    const auto at = [&](const std::string& name) {
        const auto it = column.find(name);
        return it == column.end() ? -1 : it->second;
    };
    std::size_t n = 0;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        SqlRow row;
        if (sqlite3_column_type(raw, at("pd")) != SQLITE_NULL)
            row.pd = sqlite3_column_double(raw, at("pd"));
        if (sqlite3_column_type(raw, at("score")) != SQLITE_NULL)
            row.score = sqlite3_column_int64(raw, at("score"));
        row.decision = textOrNull(raw, at("decision"));
        for (int k = 1; k <= reasons; ++k)
            row.reasons.push_back(textOrNull(raw, at("reason_" + std::to_string(k))));
        row.rejectColumn = textOrNull(raw, at("reject_column"));
        row.rejectReason = textOrNull(raw, at("reject_reason"));
        const std::string id =
            idColumn.empty() ? std::to_string(n) : textOrNull(raw, at(idColumn)).value_or("");
        rows[id] = std::move(row);
        ++n;
    }
    if (rc != SQLITE_DONE) QTest::qFail(sqlite3_errmsg(db), __FILE__, __LINE__);
    return rows;
}

}  // namespace cwb::test
