#pragma once
// The SQL dialects `cwb export-sql` writes, and everything that differs between them: how
// identifiers and string literals are quoted, how numbers are written so that each database
// reads them back as the same double (or float), and the spelling of the few functions the
// scoring statement uses. Names and levels come from model bundles, which are untrusted:
// every identifier and literal in generated SQL goes through this class.

#include <optional>
#include <string>
#include <string_view>

#include "common/Result.h"

namespace cwb {

enum class SqlDialect { Sqlite, Postgresql, Ansi, Spark };

std::string toString(SqlDialect dialect);
std::optional<SqlDialect> sqlDialectFromString(std::string_view text);

class SqlSyntax {
public:
    explicit SqlSyntax(SqlDialect dialect) : m_dialect(dialect) {}

    SqlDialect dialect() const { return m_dialect; }

    // Refuses a name the dialect cannot quote faithfully: empty, not UTF-8, a NUL character,
    // or (PostgreSQL) longer than 63 bytes, which the server would silently truncate. `what`
    // says where the name comes from, for the message.
    Result<void> checkName(std::string_view name, std::string_view what) const;
    // Refuses text that cannot be a string literal (not UTF-8, or a NUL character).
    Result<void> checkText(std::string_view text, std::string_view what) const;

    // A quoted identifier: SQLite `x` (backticks, because SQLite reads a double-quoted name
    // that matches no column as a string), PostgreSQL and ANSI "x", Spark `x`; the quote
    // character inside the name is doubled.
    std::string identifier(std::string_view name) const;
    // A table name, optionally qualified ("schema.table"): each dot-separated part quoted.
    std::string tableName(std::string_view name) const;
    // A string literal: '' doubling; PostgreSQL switches to E'' with doubled backslashes when
    // the text holds one (safe whatever standard_conforming_strings says); Spark escapes ' and
    // \ with a backslash, as its parser expects.
    std::string string(std::string_view text) const;

    // A double-precision literal that the dialect reads back as exactly `value` (finite).
    std::string real(double value) const;
    // A single-precision literal (PostgreSQL REAL, Spark FLOAT); only where singlePrecision().
    std::string single(float value) const;
    // True where the dialect has IEEE single-precision arithmetic, so tree margins can be
    // summed in float as the engine does (PostgreSQL REAL, Spark FLOAT).
    bool singlePrecision() const;
    // A single-precision expression widened to double precision (exact).
    std::string toDouble(const std::string& expr) const;

    // expr as text, with spaces and tabs trimmed on both ends (ANSI: spaces only).
    std::string trimmedText(const std::string& expr) const;
    // Concatenation of two string expressions.
    std::string concat(const std::string& a, const std::string& b) const;
    // Appended to each step so that it is computed once per row and not inlined into the step
    // that reads it: inlining would copy an expression into every place that refers to its
    // column (a feature's level lookup into every split of every tree), which made PostgreSQL
    // spend minutes planning an unfenced tree model. SQLite "LIMIT -1 OFFSET 0", PostgreSQL
    // "OFFSET 0", ANSI "OFFSET 0 ROWS"; none for Spark.
    std::string fence() const;
    // Type names for the input table (cwb export-sql --create-table).
    std::string numericType() const;
    std::string textType() const;

private:
    SqlDialect m_dialect;
};

}  // namespace cwb
