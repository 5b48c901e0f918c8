#include "sqlexport/SqlDialect.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "data/TextUtil.h"

namespace cwb {

namespace {

constexpr std::array<std::pair<SqlDialect, const char*>, 4> kNames{{
    {SqlDialect::Sqlite, "sqlite"},
    {SqlDialect::Postgresql, "postgresql"},
    {SqlDialect::Ansi, "ansi"},
    {SqlDialect::Spark, "spark"},
}};

// PostgreSQL truncates longer identifiers (NAMEDATALEN - 1) with only a notice, so two long
// names could silently become one.
constexpr std::size_t kPostgresNameBytes = 63;

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool isValidUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        std::uint32_t code = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1;
            code = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            code = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            code = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= s.size()) return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            code = (code << 6) | (d & 0x3F);
        }
        static constexpr std::uint32_t kSmallest[] = {0, 0x80, 0x800, 0x10000};
        if (code < kSmallest[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

std::string doubled(std::string_view text, char quote) {
    std::string out;
    out.reserve(text.size() + 2);
    out += quote;
    for (const char c : text) {
        if (c == quote) out += quote;
        out += c;
    }
    out += quote;
    return out;
}

// The shortest decimal text that reads back as exactly `value`.
template <class Number>
std::string shortest(Number value) {
    if (!std::isfinite(value))
        throw std::invalid_argument("a non-finite number cannot be written as an SQL literal");
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

// Powers of two as exact REAL literals, a factor of 2^62 at a time (19 digits, as much as
// SQLite reads into its integer significand).
std::string powersOfTwo(int exponent, const char* op) {
    std::string out;
    while (exponent > 0) {
        const int step = std::min(exponent, 62);
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.0f.0", std::ldexp(1.0, step));
        out += op;
        out += buffer;
        exponent -= step;
    }
    return out;
}

// SQLite 3.40 does not round every decimal literal correctly (it scales in long double, so
// some 17-digit literals come back one unit off). It does read two kinds exactly: a decimal
// that is the double's exact value with at most 17 significant digits (its digits make an
// exact integer, the power of ten is exact in long double, and the quotient is representable),
// and an integer times or divided by exact powers of two. Every REAL literal is written as one
// of these, so the database computes with the engine's very bits.
std::string sqliteReal(double value) {
    if (value == 0.0) return std::signbit(value) ? "-0.0" : "0.0";
    const std::string sign = value < 0.0 ? "-" : "";
    int binaryExponent = 0;
    const double fraction = std::frexp(std::abs(value), &binaryExponent);
    // |value| = mantissa * 2^exponent, mantissa odd (at most 53 bits).
    auto mantissa = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
    int exponent = binaryExponent - 53;
    while ((mantissa & 1u) == 0) {
        mantissa >>= 1;
        ++exponent;
    }
    constexpr std::uint64_t kDigits17 = 100000000000000000ull;
    if (exponent >= 0 && std::abs(value) < 1e17) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.0f.0", std::abs(value));
        return sign + buffer;
    }
    if (exponent < 0) {
        // mantissa / 2^j = mantissa * 5^j / 10^j: exact in at most 17 digits when small enough.
        const int j = -exponent;
        std::uint64_t digits = mantissa;
        bool fits = true;
        for (int k = 0; k < j && fits; ++k) {
            if (digits > kDigits17 / 5) fits = false;
            digits *= 5;
        }
        if (fits && digits < kDigits17) {
            std::string text = std::to_string(digits);
            if (text.size() <= static_cast<std::size_t>(j))
                text.insert(0, static_cast<std::size_t>(j) - text.size() + 1, '0');
            text.insert(text.size() - static_cast<std::size_t>(j), ".");
            return sign + text;
        }
        return "(" + sign + std::to_string(mantissa) + powersOfTwo(j, " / ") + ")";
    }
    return "(" + sign + std::to_string(mantissa) + powersOfTwo(exponent, " * ") + ")";
}

}  // namespace

std::string toString(SqlDialect dialect) {
    for (const auto& [value, name] : kNames) {
        if (value == dialect) return name;
    }
    return "sqlite";
}

std::optional<SqlDialect> sqlDialectFromString(std::string_view text) {
    for (const auto& [value, name] : kNames) {
        if (text::iequals(text::trim(text), name)) return value;
    }
    return std::nullopt;
}

Result<void> SqlSyntax::checkText(std::string_view text, std::string_view what) const {
    if (text.find('\0') != std::string_view::npos)
        return Error::badInput(std::string(what) + " holds a NUL character, which SQL text cannot");
    if (!isValidUtf8(text)) return Error::badInput(std::string(what) + " is not valid UTF-8 text");
    return {};
}

Result<void> SqlSyntax::checkName(std::string_view name, std::string_view what) const {
    if (name.empty()) return Error::badInput(std::string(what) + " is empty");
    if (auto ok = checkText(name, what); !ok) return ok;
    if (m_dialect == SqlDialect::Postgresql && name.size() > kPostgresNameBytes)
        return Error::badInput(std::string(what) + " is " + std::to_string(name.size()) +
                               " bytes long; PostgreSQL truncates names beyond " +
                               std::to_string(kPostgresNameBytes) + " bytes");
    return {};
}

std::string SqlSyntax::identifier(std::string_view name) const {
    switch (m_dialect) {
        case SqlDialect::Sqlite:
        case SqlDialect::Spark:
            return doubled(name, '`');
        case SqlDialect::Postgresql:
        case SqlDialect::Ansi:
            return doubled(name, '"');
    }
    return doubled(name, '"');
}

std::string SqlSyntax::tableName(std::string_view name) const {
    std::string out;
    std::size_t begin = 0;
    while (true) {
        const std::size_t dot = name.find('.', begin);
        if (!out.empty()) out += '.';
        out += identifier(name.substr(begin, dot == std::string_view::npos ? dot : dot - begin));
        if (dot == std::string_view::npos) return out;
        begin = dot + 1;
    }
}

std::string SqlSyntax::string(std::string_view text) const {
    if (m_dialect == SqlDialect::Spark) {
        std::string out = "'";
        for (const char c : text) {
            if (c == '\'' || c == '\\') out += '\\';
            out += c;
        }
        return out + "'";
    }
    if (m_dialect == SqlDialect::Postgresql && text.find('\\') != std::string_view::npos) {
        std::string out = "E'";
        for (const char c : text) {
            if (c == '\'' || c == '\\') out += c;
            out += c;
        }
        return out + "'";
    }
    return doubled(text, '\'');
}

std::string SqlSyntax::real(double value) const {
    std::string text = shortest(value);
    switch (m_dialect) {
        case SqlDialect::Sqlite:
            return sqliteReal(value);
        case SqlDialect::Postgresql:
            // A bare literal is NUMERIC in PostgreSQL (exact decimal arithmetic, slow).
            return text + "::float8";
        case SqlDialect::Ansi:
            // A mantissa with an exponent is an approximate (floating-point) literal in SQL.
            if (text.find('e') == std::string::npos) text += "e0";
            return text;
        case SqlDialect::Spark:
            return text + "D";
    }
    return text;
}

std::string SqlSyntax::single(float value) const {
    const std::string text = shortest(value);
    if (m_dialect == SqlDialect::Spark) return text + "F";
    if (m_dialect == SqlDialect::Postgresql) return text + "::real";
    throw std::logic_error("single-precision literal requested from a dialect without one");
}

bool SqlSyntax::singlePrecision() const {
    return m_dialect == SqlDialect::Postgresql || m_dialect == SqlDialect::Spark;
}

std::string SqlSyntax::toDouble(const std::string& expr) const {
    return m_dialect == SqlDialect::Spark ? "CAST(" + expr + " AS DOUBLE)"
                                          : "CAST(" + expr + " AS DOUBLE PRECISION)";
}

std::string SqlSyntax::trimmedText(const std::string& expr) const {
    switch (m_dialect) {
        case SqlDialect::Sqlite:
            return "TRIM(CAST(" + expr + " AS TEXT), ' ' || CHAR(9))";
        case SqlDialect::Postgresql:
            return "BTRIM(CAST(" + expr + " AS TEXT), E' \\t')";
        case SqlDialect::Ansi:
            return "TRIM(BOTH ' ' FROM " + expr + ")";
        case SqlDialect::Spark:
            return "TRIM(BOTH ' \\t' FROM CAST(" + expr + " AS STRING))";
    }
    return expr;
}

std::string SqlSyntax::concat(const std::string& a, const std::string& b) const {
    if (m_dialect == SqlDialect::Spark) return "CONCAT(" + a + ", " + b + ")";
    return a + " || " + b;
}

std::string SqlSyntax::fence() const {
    switch (m_dialect) {
        case SqlDialect::Sqlite:
            return " LIMIT -1 OFFSET 0";
        case SqlDialect::Postgresql:
            return " OFFSET 0";
        case SqlDialect::Ansi:
            // SQL:2008's result offset clause, the fence most optimizers respect.
            return " OFFSET 0 ROWS";
        case SqlDialect::Spark:
            // Spark keeps expensive expressions from being copied into the next projection
            // by itself (CollapseProject), and has OFFSET only from 3.4 on.
            return "";
    }
    return "";
}

std::string SqlSyntax::numericType() const {
    switch (m_dialect) {
        case SqlDialect::Sqlite:
            return "REAL";
        case SqlDialect::Spark:
            return "DOUBLE";
        case SqlDialect::Postgresql:
        case SqlDialect::Ansi:
            return "DOUBLE PRECISION";
    }
    return "DOUBLE PRECISION";
}

std::string SqlSyntax::textType() const {
    switch (m_dialect) {
        case SqlDialect::Sqlite:
        case SqlDialect::Postgresql:
            return "TEXT";
        case SqlDialect::Spark:
            return "STRING";
        case SqlDialect::Ansi:
            return "VARCHAR(1000)";
    }
    return "TEXT";
}

}  // namespace cwb
