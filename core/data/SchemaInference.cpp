#include "data/SchemaInference.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_set>

#include "data/EncodedData.h"
#include "data/TextUtil.h"

namespace cwb {

namespace {

// Below this many rows, uniqueness says little: five distinct amounts in a five-row file are
// not an identifier. Named id columns are recognised at any size.
constexpr std::size_t kManyRows = 20;
constexpr std::size_t kMaxCategoricalLevels = 50;
constexpr double kCategoricalShare = 0.05;
constexpr double kIdentifierShare = 0.5;
constexpr std::size_t kMaxTokenLength = 64;

struct ColumnStats {
    std::size_t rows = 0;
    std::size_t missing = 0;
    std::size_t distinct = 0;
    bool numeric = false;     // non-missing values parse as numbers (at most 1 % strays)
    bool integerLike = true;  // numeric and every value whole
    bool tokenLike = true;    // text without inner spaces and short, as codes and keys are
    bool isoDates = true;     // every non-missing value is YYYY-MM-DD (optionally with a time)
    double min = 0.0;
    double max = 0.0;
    std::vector<std::string> levels;  // distinct texts, natural order (text columns only)

    std::size_t nonMissing() const { return rows - missing; }
    bool unique() const { return missing == 0 && distinct == rows; }
};

bool isIsoDate(std::string_view s) {
    auto digits = [&](std::size_t from, std::size_t count) {
        for (std::size_t i = from; i < from + count; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
        }
        return true;
    };
    if (s.size() < 10 || !digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' ||
        !digits(8, 2)) {
        return false;
    }
    return s.size() == 10 || s[10] == 'T' || s[10] == ' ';
}

ColumnStats analyse(const std::vector<std::string>& column, char decimal) {
    ColumnStats stats;
    stats.rows = column.size();
    stats.min = std::numeric_limits<double>::infinity();
    stats.max = -std::numeric_limits<double>::infinity();
    std::size_t invalid = 0;
    std::size_t parsed = 0;
    bool anyNumber = false;
    std::unordered_set<double> numbers;
    for (const std::string& value : column) {
        double x = 0.0;
        switch (parseNumber(value, decimal, x)) {
            case NumberStatus::Missing:
                ++stats.missing;
                break;
            case NumberStatus::Ok:
                anyNumber = true;
                ++parsed;
                numbers.insert(x);
                stats.min = std::min(stats.min, x);
                stats.max = std::max(stats.max, x);
                if (x != std::floor(x)) stats.integerLike = false;
                break;
            case NumberStatus::OutOfRange:
                // Still a number column; the row is rejected when encoded.
                stats.integerLike = false;
                break;
            case NumberStatus::Invalid:
                ++invalid;
                break;
        }
    }
    // A few stray texts in a column of numbers ("twelve", "n/a?") are bad values, not a sign
    // of a categorical column: those rows are rejected with a reason when encoded.
    const bool fewStrays = parsed >= kManyRows && invalid * 100 <= parsed;
    stats.numeric = anyNumber && (invalid == 0 || fewStrays);
    if (!anyNumber) {
        stats.min = 0.0;
        stats.max = 0.0;
    }
    if (stats.numeric) {
        stats.distinct = numbers.size();
        stats.tokenLike = false;
        stats.isoDates = false;
        return stats;
    }
    stats.integerLike = false;
    std::unordered_set<std::string_view> texts;
    for (const std::string& value : column) {
        const std::string_view t = text::trim(value);
        if (isMissingToken(t)) continue;
        texts.insert(t);
        if (t.size() > kMaxTokenLength || t.find(' ') != std::string_view::npos) {
            stats.tokenLike = false;
        }
        if (stats.isoDates && !isIsoDate(t)) stats.isoDates = false;
    }
    if (texts.empty()) stats.isoDates = false;
    stats.distinct = texts.size();
    stats.levels.assign(texts.begin(), texts.end());
    std::sort(stats.levels.begin(), stats.levels.end(),
              [](const std::string& a, const std::string& b) { return text::naturalLess(a, b); });
    return stats;
}

bool idLikeName(const std::string& name) {
    const std::string lower = text::toLower(text::trim(name));
    if (lower == "id" || lower == "identifier" || lower.starts_with("id_")) return true;
    for (const char* suffix : {"_id", " id", "-id", ".id", "_key", "_no"}) {
        if (lower.ends_with(suffix)) return true;
    }
    // camelCase and PascalCase: customerId, CustomerID
    return name.size() > 2 && (name.ends_with("Id") || name.ends_with("ID")) &&
           name[name.size() - 3] >= 'a' && name[name.size() - 3] <= 'z';
}

ColumnType inferType(const std::string& name, const ColumnStats& s, bool isTarget) {
    if (s.nonMissing() == 0 || s.distinct == 1) return ColumnType::Constant;
    const bool idName = idLikeName(name);
    if (s.numeric) {
        // Whole numbers that are all different look like amounts as often as keys, so only a
        // key-like name or a run of consecutive numbers (row numbers) makes an identifier.
        const bool consecutive =
            s.max - s.min + 1.0 == static_cast<double>(s.rows) && s.rows >= kManyRows;
        if (!isTarget && s.unique() && s.integerLike && (idName || consecutive)) {
            return ColumnType::Identifier;
        }
        return ColumnType::Numeric;
    }
    if (s.isoDates) return ColumnType::Date;
    if (!isTarget && s.unique() && s.tokenLike && (idName || s.rows >= kManyRows)) {
        return ColumnType::Identifier;
    }
    // A column whose every value differs has no categories to learn from (free text).
    if (s.unique() && s.rows >= kManyRows) return ColumnType::Text;
    if (s.distinct <= kMaxCategoricalLevels ||
        static_cast<double>(s.distinct) <= kCategoricalShare * static_cast<double>(s.rows)) {
        return ColumnType::Categorical;
    }
    if (!isTarget && s.tokenLike && s.rows >= kManyRows &&
        static_cast<double>(s.distinct) > kIdentifierShare * static_cast<double>(s.nonMissing())) {
        return ColumnType::Identifier;
    }
    return ColumnType::Text;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

Result<void> checkTarget(const Table& table, const InferenceOptions& options) {
    const auto& column = table.columns[static_cast<std::size_t>(table.columnIndex(options.target))];
    std::size_t bad = 0;
    std::size_t good = 0;
    std::set<std::string, bool (*)(std::string_view, std::string_view)> others(text::naturalLess);
    for (const std::string& value : column) {
        if (isMissingToken(value)) continue;
        if (isBadValue(value, options.badValue)) {
            ++bad;
        } else {
            ++good;
            if (others.size() < 10) others.emplace(text::trim(value));
        }
    }
    const std::string where = "target '" + options.target + "' in '" + table.path + "'";
    if (bad == 0) {
        std::string seen;
        for (const std::string& v : others)
            seen += (seen.empty() ? "'" : ", '") + v + "'";
        return Error::badInput(where + " has no rows with the bad value '" + options.badValue +
                               "'" + (seen.empty() ? "" : " (its values include " + seen + ")"));
    }
    if (good == 0) {
        return Error::badInput(where + " has no rows other than the bad value '" +
                               options.badValue + "'; a model needs both good and bad rows");
    }
    return {};
}

}  // namespace

Result<Schema> inferSchema(const Table& table, const InferenceOptions& options) {
    std::vector<std::string> absent;
    auto require = [&](const std::string& name) {
        if (table.columnIndex(name) < 0 && !contains(absent, name)) absent.push_back(name);
    };
    if (!options.target.empty()) require(options.target);
    for (const auto* list :
         {&options.idColumns, &options.excluded, &options.protectedColumns, &options.piiColumns}) {
        for (const std::string& name : *list)
            require(name);
    }
    if (!absent.empty()) {
        return Error::badInput(std::string(absent.size() == 1 ? "no column " : "no columns ") +
                               text::quotedList(absent) + " in '" + table.path +
                               "'; columns are: " + text::quotedList(table.header, 1000));
    }
    if (!options.target.empty()) {
        for (const auto* list : {&options.idColumns, &options.excluded, &options.protectedColumns,
                                 &options.piiColumns}) {
            if (contains(*list, options.target)) {
                return Error::badInput("the target '" + options.target +
                                       "' cannot also be an id, excluded, protected or PII column");
            }
        }
        if (auto r = checkTarget(table, options); !r) return r.error();
    }

    Schema schema;
    schema.target = options.target;
    schema.badValue = options.badValue;
    bool haveId = !options.idColumns.empty();
    for (std::size_t c = 0; c < table.header.size(); ++c) {
        const std::string& name = table.header[c];
        const bool isTarget = name == options.target;
        const ColumnStats stats = analyse(table.columns[c], table.dialect.decimalSeparator);

        ColumnSpec spec;
        spec.name = name;
        spec.allowMissing = stats.missing > 0;
        spec.missingRate =
            stats.rows ? static_cast<double>(stats.missing) / static_cast<double>(stats.rows) : 0.0;
        spec.distinctCount = stats.distinct;
        spec.min = stats.min;
        spec.max = stats.max;
        const bool namedId = contains(options.idColumns, name);
        spec.type = namedId ? ColumnType::Identifier : inferType(name, stats, isTarget);
        if (spec.type == ColumnType::Categorical) spec.levels = stats.levels;
        // What a value can be at all, as far as training shows: a column never negative or never
        // fractional there is taken to be so by nature (a duration, a count).
        if (spec.type == ColumnType::Numeric && stats.numeric)
            spec.inferValidRange(stats.min, stats.integerLike);

        if (isTarget) {
            spec.role = ColumnRole::Target;
        } else if (namedId) {
            spec.role = ColumnRole::Id;
        } else if (contains(options.piiColumns, name)) {
            spec.role = ColumnRole::Pii;
        } else if (contains(options.protectedColumns, name)) {
            spec.role = ColumnRole::Protected;
        } else if (contains(options.excluded, name)) {
            spec.role = ColumnRole::Excluded;
        } else if (spec.type == ColumnType::Numeric || spec.type == ColumnType::Categorical) {
            spec.role = ColumnRole::Feature;
        } else if (spec.type == ColumnType::Identifier && !haveId) {
            // Score output carries one id; further identifier-like columns are kept out of
            // the model, where they would only memorise rows.
            spec.role = ColumnRole::Id;
            haveId = true;
        } else {
            spec.role = ColumnRole::Excluded;
        }
        schema.columns.push_back(std::move(spec));
    }
    return schema;
}

}  // namespace cwb
