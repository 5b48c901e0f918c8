#include "data/EncodedData.h"

#include <algorithm>
#include <cmath>
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
