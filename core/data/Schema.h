#pragma once
// The input schema of a data file or model: each column's type and role, the levels of
// categorical columns, the range seen in training and whether missing values are allowed.
// Saved as JSON (docs/file-formats.md), editable by hand, stored inside every model bundle.

#include <cmath>
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
    // numeric: the valid range, what a value can be at all (a duration is never negative).
    // Unlike the training range above, a value outside it is refused, not scored with a
    // warning. Unset bounds and integerOnly false mean no check (bundles made before it).
    std::optional<double> validMin;
    std::optional<double> validMax;
    bool integerOnly = false;

    bool hasValidRange() const { return validMin || validMax || integerOnly; }
    // Whether a number lies inside the valid range: inline, because every numeric field of
    // every scored row asks (the reason text below is built only for a value outside).
    bool inValidRange(double value) const {
        return (!validMin || value >= *validMin) && (!validMax || value <= *validMax) &&
               (!integerOnly || value == std::floor(value));
    }
    // Why a number is outside the valid range ("value -5 is outside the valid range of
    // duration_months: >= 0, whole numbers"), or empty when it is inside.
    std::string validRangeProblem(double value) const;
    // The valid range in words: ">= 0, whole numbers", "1 to 4", "any number".
    std::string validRangeText() const;
    // Sets the valid range inferred from training values: non-negative when every value is
    // >= 0, whole numbers when every value is whole.
    void inferValidRange(double trainingMin, bool allWhole);

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
