#pragma once
// The input schema of a data file or model: each column's type and role, the levels of
// categorical columns, the range seen in training and whether missing values are allowed.
// Saved as JSON (docs/file-formats.md), editable by hand, stored inside every model bundle.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/Result.h"

namespace cwb {

enum class ColumnType { Numeric, Categorical, Identifier, Date, Text, Constant };
enum class ColumnRole { Feature, Target, Id, Protected, Excluded, Pii };

std::string toString(ColumnType type);
std::string toString(ColumnRole role);
std::optional<ColumnType> columnTypeFromString(const std::string& text);
std::optional<ColumnRole> columnRoleFromString(const std::string& text);

struct ColumnSpec {
    std::string name;
    ColumnType type = ColumnType::Numeric;
    ColumnRole role = ColumnRole::Feature;
    std::string label;                // readable name ("Duration in months"); empty = name
    std::vector<std::string> levels;  // categorical: level values, index = code used by models
    std::map<std::string, std::string> levelLabels;  // optional readable text per level
    bool allowMissing = false;  // false: a missing value in this column rejects the row
    double min = 0.0;           // numeric: range seen in training
    double max = 0.0;
    double missingRate = 0.0;  // share of missing values seen in training
    std::size_t distinctCount = 0;

    const std::string& displayName() const { return label.empty() ? name : label; }
    // Code of a categorical level, or -1 when the level was not seen in training.
    int levelCode(std::string_view level) const;
};

struct Schema {
    std::vector<ColumnSpec> columns;
    std::string target;          // target column name (may be empty for scoring-only schemas)
    std::string badValue = "1";  // the target value that means "bad"

    int indexOf(std::string_view name) const;  // -1 when absent
    const ColumnSpec* find(std::string_view name) const;
    ColumnSpec* find(std::string_view name);
    // Model inputs in schema order: role Feature and type Numeric or Categorical.
    std::vector<const ColumnSpec*> features() const;
    std::vector<std::string> featureNames() const;
    // The identifier column carried into score output, or nullptr.
    const ColumnSpec* idColumn() const;

    nlohmann::json toJson() const;
    static Result<Schema> fromJson(const nlohmann::json& json);
    Result<void> save(const std::string& path) const;
    static Result<Schema> load(const std::string& path);
};

// True for the tokens DESIGN.md treats as missing: empty, NA, N/A, ?, null (any case), after
// trimming spaces.
bool isMissingToken(std::string_view field);

}  // namespace cwb
