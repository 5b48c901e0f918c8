#include "data/EncodedData.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "data/TextUtil.h"

namespace cwb {

namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

int headerIndex(const std::vector<std::string>& header, const std::string& name) {
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
}

void fail(RejectedRow& reject, const std::string& column, std::string reason) {
    reject.column = column;
    reject.reason = std::move(reason);
}

// Built by appending: GCC 12 reports a false -Wrestrict for "'" + std::string(...).
std::string quoteValue(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 2);
    out += '\'';
    out.append(text::trim(value));
    out += '\'';
    return out;
}

std::string joinFields(const std::vector<std::string_view>& fields, char delimiter) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) line += delimiter;
        text::appendCsvField(line, fields[i], delimiter);
    }
    return line;
}

}  // namespace

bool isBadValue(std::string_view field, std::string_view badValue) {
    field = text::trim(field);
    badValue = text::trim(badValue);
    if (field == badValue) return true;
    double a = 0.0;
    double b = 0.0;
    return parseNumber(field, '.', a) == NumberStatus::Ok &&
           parseNumber(badValue, '.', b) == NumberStatus::Ok && a == b;
}

Result<RowEncoder> RowEncoder::bind(const Schema& schema, const std::vector<std::string>& header,
                                    char decimalSeparator, bool requireTarget) {
    RowEncoder encoder;
    encoder.m_fieldCount = header.size();
    encoder.m_decimal = decimalSeparator;
    encoder.m_badValue = schema.badValue;
    std::vector<std::string> absent;
    for (const ColumnSpec* spec : schema.features()) {
        const int field = headerIndex(header, spec->name);
        if (field < 0) {
            absent.push_back(spec->name);
        } else {
            encoder.m_features.push_back({field, spec});
        }
    }
    if (requireTarget && schema.target.empty()) {
        return Error::badInput("the schema names no target column, and this needs one");
    }
    if (!schema.target.empty()) {
        encoder.m_targetName = schema.target;
        encoder.m_targetField = headerIndex(header, schema.target);
        if (requireTarget && encoder.m_targetField < 0) absent.push_back(schema.target);
    }
    if (!absent.empty()) {
        return Error::badInput(
            std::string(absent.size() == 1 ? "missing column " : "missing columns ") +
            text::quotedList(absent) +
            " (needed by the schema); the file's columns are: " + text::quotedList(header, 1000));
    }
    if (const ColumnSpec* id = schema.idColumn()) encoder.m_idField = headerIndex(header, id->name);
    encoder.m_fieldUse.assign(encoder.m_fieldCount, kSkip);
    const auto use = [&](int field, int what) {
        int& slot = encoder.m_fieldUse[static_cast<std::size_t>(field)];
        if (slot != kSkip)
            encoder.m_fieldUse.clear();  // read twice: leave it to encode()
        else
            slot = what;
    };
    for (std::size_t f = 0; f < encoder.m_features.size() && !encoder.m_fieldUse.empty(); ++f)
        use(encoder.m_features[f].field, static_cast<int>(f));
    if (encoder.m_idField >= 0 && !encoder.m_fieldUse.empty()) use(encoder.m_idField, kIdField);
    return encoder;
}

bool RowEncoder::encode(const std::vector<std::string_view>& fields, float* out,
                        RejectedRow& reject) const {
    if (fields.size() != m_fieldCount) {
        fail(reject, {},
             "expected " + std::to_string(m_fieldCount) + " fields, found " +
                 std::to_string(fields.size()));
        return false;
    }
    for (std::size_t f = 0; f < m_features.size(); ++f) {
        const ColumnSpec& spec = *m_features[f].spec;
        const std::string_view field = fields[static_cast<std::size_t>(m_features[f].field)];
        if (spec.type == ColumnType::Categorical) {
            const std::string_view level = text::trim(field);
            if (isMissingToken(level)) {
                if (!spec.allowMissing) {
                    fail(reject, spec.name,
                         "missing value in column " + spec.name + " (none in the training data)");
                    return false;
                }
                out[f] = kMissing;
                continue;
            }
            int code = spec.levelCode(level);
            if (code < 0) {
                // Levels that are numbers match by value, so "1.0" finds level "1".
                double x = 0.0;
                double y = 0.0;
                if (parseNumber(level, m_decimal, x) == NumberStatus::Ok) {
                    for (std::size_t i = 0; i < spec.levels.size() && code < 0; ++i) {
                        if (parseNumber(spec.levels[i], '.', y) == NumberStatus::Ok && x == y) {
                            code = static_cast<int>(i);
                        }
                    }
                }
            }
            if (code < 0) {
                fail(reject, spec.name,
                     "unknown level " + quoteValue(level) + " for column " + spec.name +
                         " (levels: " + text::quotedList(spec.levels, 20) + ")");
                return false;
            }
            out[f] = static_cast<float>(code);
            continue;
        }
        double value = 0.0;
        switch (parseNumber(field, m_decimal, value)) {
            case NumberStatus::Ok:
                // A value that cannot be (a negative duration) is refused, not extrapolated.
                if (!spec.inValidRange(value)) {
                    fail(reject, spec.name, spec.validRangeProblem(value));
                    return false;
                }
                out[f] = static_cast<float>(value);
                break;
            case NumberStatus::Missing:
                if (!spec.allowMissing) {
                    fail(reject, spec.name,
                         "missing value in column " + spec.name + " (none in the training data)");
                    return false;
                }
                out[f] = kMissing;
                break;
            case NumberStatus::Invalid:
                fail(reject, spec.name, quoteValue(field) + " is not a number");
                return false;
            case NumberStatus::OutOfRange:
                fail(reject, spec.name, "value out of range");
                return false;
        }
    }
    return true;
}

namespace {

// Exact powers of ten: a whole number below 2^53 divided by one of these is the correctly
// rounded double of the decimal (Clinger's fast path), the value fast_float gives too.
constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// Reads a number from p up to the delimiter or end (stop is set there): "-123", "0.25", at most
// 15 digits with the file's decimal separator. False (stop undefined) for anything
// parseNumber() would have to think about; otherwise the value parseNumber() gives.
// whole: no fraction digits were written.
inline bool parsePlainDecimal(const char* p, const char* end, char delimiter, char decimal,
                              double& value, bool& whole, const char*& stop) {
    const bool negative = p < end && *p == '-';
    if (negative) ++p;
    std::uint64_t digits = 0;
    int count = 0, fraction = -1;
    const char* const first = p;
    for (; p < end && *p != delimiter; ++p) {
        const unsigned d = static_cast<unsigned>(*p - '0');
        if (d <= 9) {
            digits = digits * 10 + d;
            ++count;
            if (fraction >= 0) ++fraction;
        } else if (*p == decimal && fraction < 0 && p > first) {
            fraction = 0;
        } else {
            return false;
        }
    }
    if (count == 0 || count > 15 || fraction == 0) return false;
    double x = static_cast<double>(digits);
    if (fraction > 0) x /= kPowersOfTen[fraction];
    value = negative ? -x : x;
    whole = fraction < 0;
    stop = p;
    return true;
}

inline bool hasOuterSpace(std::string_view field) {
    const auto space = [](char c) { return c == ' ' || c == '\t'; };
    return !field.empty() && (space(field.front()) || space(field.back()));
}

}  // namespace

bool RowEncoder::encodePlainLine(std::string_view line, char delimiter, float* out,
                                 std::string_view& id) const {
    // A blank line is no record at all, which only the splitting path may decide.
    if (m_fieldUse.empty() || m_features.empty() || line.empty()) return false;
    const char* p = line.data();
    const char* const end = p + line.size();
    for (std::size_t field = 0;; ++field) {
        if (field == m_fieldCount) return false;  // more fields than the header
        const int use = m_fieldUse[field];
        const ColumnSpec* spec =
            use >= 0 ? m_features[static_cast<std::size_t>(use)].spec : nullptr;
        const char* stop = p;
        if (spec && spec->type != ColumnType::Categorical) {
            // Numbers, the bulk of a credit file, are read in the same pass that finds the
            // field's end.
            double value = 0.0;
            bool whole = false;
            if (!parsePlainDecimal(p, end, delimiter, m_decimal, value, whole, stop)) return false;
            // ColumnSpec::inValidRange, without its floor() for a number written whole.
            if ((spec->validMin && value < *spec->validMin) ||
                (spec->validMax && value > *spec->validMax) ||
                (spec->integerOnly && !whole && value != std::floor(value)))
                return false;
            out[use] = static_cast<float>(value);
        } else {
            const void* found = std::memchr(p, delimiter, static_cast<std::size_t>(end - p));
            stop = found ? static_cast<const char*>(found) : end;
            const std::string_view text(p, static_cast<std::size_t>(stop - p));
            if (spec) {
                if (hasOuterSpace(text) || isMissingToken(text)) return false;
                const int code = spec->levelCode(text);
                if (code < 0) return false;
                out[use] = static_cast<float>(code);
            } else if (use == kIdField) {
                id = text::trim(text);
            }
        }
        if (stop == end) return field + 1 == m_fieldCount;
        p = stop + 1;
    }
}

bool RowEncoder::encodeTarget(const std::vector<std::string_view>& fields, float& label,
                              RejectedRow& reject) const {
    if (m_targetField < 0 || static_cast<std::size_t>(m_targetField) >= fields.size()) {
        fail(reject, {}, "no target value");
        return false;
    }
    const std::string_view value = fields[static_cast<std::size_t>(m_targetField)];
    if (isMissingToken(value)) {
        fail(reject, m_targetName, "missing target value");
        return false;
    }
    label = isBadValue(value, m_badValue) ? 1.0f : 0.0f;
    return true;
}

std::string_view RowEncoder::id(const std::vector<std::string_view>& fields) const {
    if (m_idField < 0 || static_cast<std::size_t>(m_idField) >= fields.size()) return {};
    return text::trim(fields[static_cast<std::size_t>(m_idField)]);
}

Result<EncodedData> encodeTable(const Table& table, const Schema& schema, bool requireTarget) {
    auto bound =
        RowEncoder::bind(schema, table.header, table.dialect.decimalSeparator, requireTarget);
    if (!bound) return Error::badInput("'" + table.path + "': " + bound.error().message);
    const RowEncoder& encoder = bound.value();

    EncodedData out;
    for (const ColumnSpec* spec : schema.features()) {
        out.featureNames.push_back(spec->name);
        out.categorical.push_back(spec->type == ColumnType::Categorical);
        out.levelCounts.push_back(
            spec->type == ColumnType::Categorical ? static_cast<int>(spec->levels.size()) : 0);
    }
    out.cols = encoder.featureCount();
    const bool withLabels = requireTarget;
    const bool withIds = encoder.hasId();
    std::vector<std::pair<std::string, std::size_t>> protectedFields;
    for (const ColumnSpec& spec : schema.columns) {
        const int field = table.columnIndex(spec.name);
        if (spec.role == ColumnRole::Protected && field >= 0) {
            protectedFields.emplace_back(spec.name, static_cast<std::size_t>(field));
            out.protectedValues[spec.name].reserve(table.rows());
        }
    }

    out.values.resize(table.rows() * out.cols);
    out.lines.reserve(table.rows());
    if (withLabels) out.labels.reserve(table.rows());
    if (withIds) out.ids.reserve(table.rows());
    std::vector<RejectedRow> rejects;
    std::vector<std::string_view> fields(table.header.size());
    for (std::size_t r = 0; r < table.rows(); ++r) {
        for (std::size_t c = 0; c < fields.size(); ++c)
            fields[c] = table.columns[c][r];
        RejectedRow reject;
        float label = 0.0f;
        bool ok = encoder.encode(fields, out.values.data() + out.rows * out.cols, reject);
        if (ok && withLabels && !encoder.encodeTarget(fields, label, reject)) ok = false;
        if (!ok) {
            reject.line = table.lines[r];
            reject.raw = joinFields(fields, table.dialect.delimiter);
            rejects.push_back(std::move(reject));
            continue;
        }
        if (withLabels) out.labels.push_back(label);
        if (withIds) out.ids.emplace_back(encoder.id(fields));
        for (const auto& [name, field] : protectedFields) {
            out.protectedValues[name].emplace_back(text::trim(fields[field]));
        }
        out.lines.push_back(table.lines[r]);
        ++out.rows;
    }
    out.values.resize(out.rows * out.cols);

    if (out.rows == 0 && !rejects.empty()) {
        const RejectedRow& first = rejects.front();
        return Error::badInput(
            "'" + table.path + "' has no usable rows: all " + std::to_string(rejects.size()) +
            " rows were rejected; the first, on line " + std::to_string(first.line) +
            (first.column.empty() ? "" : " (column " + first.column + ")") + ": " + first.reason);
    }
    out.rejects = table.rejects;
    out.rejects.insert(out.rejects.end(), std::make_move_iterator(rejects.begin()),
                       std::make_move_iterator(rejects.end()));
    std::stable_sort(out.rejects.begin(), out.rejects.end(),
                     [](const RejectedRow& a, const RejectedRow& b) { return a.line < b.line; });
    return out;
}

EncodedData EncodedData::subset(const std::vector<std::size_t>& rowIndices) const {
    EncodedData out;
    out.featureNames = featureNames;
    out.categorical = categorical;
    out.levelCounts = levelCounts;
    out.cols = cols;
    out.rows = rowIndices.size();
    out.values.reserve(rowIndices.size() * cols);
    for (const auto& [name, values] : protectedValues)
        out.protectedValues[name].reserve(out.rows);
    for (std::size_t r : rowIndices) {
        out.values.insert(out.values.end(), row(r), row(r) + cols);
        if (!labels.empty()) out.labels.push_back(labels[r]);
        if (!ids.empty()) out.ids.push_back(ids[r]);
        if (!lines.empty()) out.lines.push_back(lines[r]);
        for (const auto& [name, values] : protectedValues) {
            out.protectedValues[name].push_back(values[r]);
        }
    }
    return out;
}

}  // namespace cwb
