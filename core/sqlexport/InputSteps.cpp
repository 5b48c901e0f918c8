// The first two steps of the scoring statement: reading the input columns, and the engine's
// row checks (decision 3) with the engine's reject reasons, word for word.

#include <limits>

#include "data/TextUtil.h"
#include "sqlexport/SqlStatement.h"

namespace cwb {

namespace {

// isMissingToken() after trimming, upper-cased.
constexpr const char* kMissingTokens = "('', '?', 'NA', 'N/A', 'NULL')";

struct RowCheck {
    std::string condition;
    std::string column;  // literal
    std::string reason;  // expression
};

bool isMissingLevel(const std::string& level) {
    return isMissingToken(level);
}

// The levels a value can match: a level spelled like a missing token never matches, since the
// engine tests for missing values first.
std::vector<std::size_t> matchableLevels(const ColumnSpec& spec) {
    std::vector<std::size_t> codes;
    for (std::size_t i = 0; i < spec.levels.size(); ++i)
        if (!isMissingLevel(spec.levels[i])) codes.push_back(i);
    return codes;
}

std::string missingReason(const ColumnSpec& spec) {
    return "missing value in column " + spec.name + " (none in the training data)";
}

// The checks of one numeric column, in the engine's order (RowEncoder::encode).
void numericChecks(const SqlSyntax& syntax, const ColumnSpec& spec, const std::string& x,
                   std::vector<RowCheck>& checks) {
    const std::string name = syntax.string(spec.name);
    std::string missing = x + " IS NULL";
    if (syntax.dialect() == SqlDialect::Sqlite) {
        // SQLite keeps any value in any column: a token such as NA in a REAL column stays
        // text, and counts as missing as in a CSV file; other text is not a number.
        const std::string token = "typeof(" + x + ") = 'text' AND UPPER(" + syntax.trimmedText(x) +
                                  ") IN " + kMissingTokens;
        missing = "(" + x + " IS NULL OR (" + token + "))";
        if (!spec.allowMissing)
            checks.push_back({missing, name, syntax.string(missingReason(spec))});
        checks.push_back(
            {"typeof(" + x + ") NOT IN ('integer', 'real', 'null') AND NOT (" + token + ")", name,
             syntax.concat(syntax.concat("''''", syntax.trimmedText(x)),
                           syntax.string("' is stored as text, not as a number"))});
    } else if (!spec.allowMissing) {
        checks.push_back({missing, name, syntax.string(missingReason(spec))});
    }
    // parseNumber: beyond float range (and inf, nan) is out of range; NaN compares greater
    // than everything in PostgreSQL and Spark, so it is caught here too.
    checks.push_back({"ABS(" + x + ") > " + syntax.real(std::numeric_limits<float>::max()), name,
                      syntax.string("value out of range")});
    // The schema's valid range (ColumnSpec::validRangeProblem); the value in the reason is
    // written as the database prints it.
    std::string outside;
    const auto orWith = [&](const std::string& condition) {
        outside += (outside.empty() ? "" : " OR ") + condition;
    };
    if (spec.validMin) orWith(x + " < " + syntax.real(*spec.validMin));
    if (spec.validMax) orWith(x + " > " + syntax.real(*spec.validMax));
    if (spec.integerOnly) orWith(x + " <> FLOOR(" + x + ")");
    if (!outside.empty())
        checks.push_back({"(" + outside + ")", name,
                          // A number is cast to text first: ANSI TRIM takes only text (PostgreSQL
                          // refuses TRIM of a double precision).
                          syntax.concat(syntax.concat(syntax.string("value "),
                                                      syntax.trimmedText("CAST(" + x + " AS " +
                                                                         syntax.textType() + ")")),
                                        syntax.string(" is outside the valid range of " +
                                                      spec.name + ": " + spec.validRangeText()))});
}

void categoricalChecks(const SqlSyntax& syntax, const ColumnSpec& spec, const std::string& x,
                       std::vector<RowCheck>& checks) {
    const std::string name = syntax.string(spec.name);
    const std::string token = "UPPER(" + x + ") IN " + kMissingTokens;
    const std::string missing = "(" + x + " IS NULL OR " + token + ")";
    if (!spec.allowMissing) checks.push_back({missing, name, syntax.string(missingReason(spec))});
    std::string unknown;
    const auto codes = matchableLevels(spec);
    if (codes.empty()) {
        unknown = "NOT " + missing;
    } else {
        unknown = x + " NOT IN (";
        for (std::size_t k = 0; k < codes.size(); ++k) {
            if (k > 0) unknown += ", ";
            unknown += syntax.string(spec.levels[codes[k]]);
        }
        unknown += ")";
        if (spec.allowMissing) unknown += " AND NOT (" + token + ")";
    }
    const std::string reason =
        syntax.concat(syntax.concat(syntax.string("unknown level '"), x),
                      syntax.string("' for column " + spec.name +
                                    " (levels: " + text::quotedList(spec.levels, 20) + ")"));
    checks.push_back({unknown, name, reason});
}

// A number as the model reads it (NULL when missing), or a level's code.
std::string featureValue(const SqlSyntax& syntax, const ColumnSpec& spec, const std::string& x) {
    if (spec.type == ColumnType::Categorical) {
        const auto codes = matchableLevels(spec);
        if (codes.empty()) return "NULL";
        std::string out = "CASE " + x;
        for (std::size_t code : codes)
            out += " WHEN " + syntax.string(spec.levels[code]) + " THEN " + std::to_string(code);
        return out + " END";
    }
    if (syntax.dialect() == SqlDialect::Sqlite)
        return "CASE WHEN typeof(" + x + ") IN ('integer', 'real') THEN " + x + " END";
    return x;
}

std::string rejectCase(const std::vector<RowCheck>& checks, bool reason) {
    if (checks.empty()) return "NULL";
    std::string out = "CASE";
    for (const RowCheck& check : checks)
        out +=
            "\n      WHEN " + check.condition + " THEN " + (reason ? check.reason : check.column);
    return out + "\n    END";
}

}  // namespace

Result<void> writeInputSteps(SqlStatement& sql, const Schema& schema, const std::string& table) {
    const SqlSyntax& syntax = sql.syntax();
    if (auto ok = syntax.checkName(table, "the table name"); !ok) return ok;
    const auto features = schema.features();
    const ColumnSpec* id = schema.idColumn();
    if (id) {
        if (auto ok = syntax.checkName(id->name, "the id column's name"); !ok) return ok;
    }
    for (const ColumnSpec* spec : features) {
        const std::string what = "the name of input column '" + spec->name + "'";
        if (auto ok = syntax.checkName(spec->name, what); !ok) return ok;
        for (const std::string& level : spec->levels) {
            if (auto ok = syntax.checkText(level, "a level of column '" + spec->name + "'"); !ok)
                return ok;
        }
    }
    sql.setHasId(id != nullptr);

    // cwb_raw: the only place where the input's own (untrusted, quoted) names are read.
    sql.beginStep("cwb_raw");
    bool first = true;
    if (id) {
        sql.text() += syntax.identifier(id->name) + " AS cwb_id";
        first = false;
    }
    for (std::size_t j = 0; j < features.size(); ++j) {
        if (!first) sql.nextItem();
        first = false;
        const std::string column = syntax.identifier(features[j]->name);
        std::string value;
        if (features[j]->type == ColumnType::Categorical)
            value = syntax.trimmedText(column);
        else if (syntax.dialect() == SqlDialect::Sqlite)
            value = column;  // typeof() in cwb_input tells numbers from text
        else
            value = syntax.toDouble(column);
        sql.text() += value + " AS " + rawColumn(j + 1);
    }
    if (first) sql.text() += "1 AS cwb_one";
    sql.endStep(syntax.tableName(table));

    std::vector<RowCheck> checks;
    for (std::size_t j = 0; j < features.size(); ++j) {
        const std::string x = rawColumn(j + 1);
        if (features[j]->type == ColumnType::Categorical)
            categoricalChecks(syntax, *features[j], x, checks);
        else
            numericChecks(syntax, *features[j], x, checks);
    }
    sql.beginStep("cwb_input");
    if (id) sql.text() += "cwb_id,\n    ";
    sql.text() += rejectCase(checks, false) + " AS cwb_reject_column";
    sql.nextItem();
    sql.text() += rejectCase(checks, true) + " AS cwb_reject_reason";
    for (std::size_t j = 0; j < features.size(); ++j) {
        sql.nextItem();
        sql.text() +=
            featureValue(syntax, *features[j], rawColumn(j + 1)) + " AS " + featureColumn(j + 1);
    }
    sql.endStep("cwb_raw");
    return {};
}

}  // namespace cwb
