#include "pipeline/TrainingSetup.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "data/CsvReader.h"
#include "data/EncodedData.h"
#include "data/SchemaInference.h"
#include "data/TextUtil.h"
#include "features/Binning.h"

namespace cwb {

namespace {

Result<void> makeCategorical(ColumnSpec& spec, const std::vector<std::string>& column) {
    std::set<std::string, bool (*)(std::string_view, std::string_view)> levels(text::naturalLess);
    for (const std::string& value : column)
        if (!isMissingToken(value)) levels.emplace(text::trim(value));
    if (levels.empty()) return Error::badInput("column '" + spec.name + "' has no values");
    spec.type = ColumnType::Categorical;
    spec.levels.assign(levels.begin(), levels.end());
    spec.distinctCount = spec.levels.size();
    return {};
}

Result<void> makeNumeric(ColumnSpec& spec, const std::vector<std::string>& column, char decimal) {
    bool any = false;
    bool allWhole = true;
    for (const std::string& value : column) {
        double x = 0.0;
        switch (parseNumber(value, decimal, x)) {
            case NumberStatus::Missing:
            case NumberStatus::OutOfRange:  // rejected row by row when encoded, with a reason
                break;
            case NumberStatus::Invalid:
                return Error::badInput("column '" + spec.name + "' cannot be numeric: '" +
                                       std::string(text::trim(value)) + "' is not a number");
            case NumberStatus::Ok:
                spec.min = any ? std::min(spec.min, x) : x;
                spec.max = any ? std::max(spec.max, x) : x;
                allWhole = allWhole && x == std::floor(x);
                any = true;
                break;
        }
    }
    if (!any) return Error::badInput("column '" + spec.name + "' holds no numbers");
    spec.type = ColumnType::Numeric;
    spec.inferValidRange(spec.min, allWhole);
    spec.levels.clear();
    spec.levelLabels.clear();
    return {};
}

}  // namespace

Result<Schema> schemaWithChoices(const Table& table, const TrainingChoices& choices) {
    if (choices.target.empty()) return Error::badInput("choose the target column");
    InferenceOptions options;
    options.target = choices.target;
    options.badValue = choices.badValue;
    for (const auto& [name, role] : choices.roles) {
        if (name == choices.target) continue;  // the target choice wins
        switch (role) {
            case ColumnRole::Id:
                options.idColumns.push_back(name);
                break;
            case ColumnRole::Excluded:
                options.excluded.push_back(name);
                break;
            case ColumnRole::Protected:
                options.protectedColumns.push_back(name);
                break;
            case ColumnRole::Pii:
                options.piiColumns.push_back(name);
                break;
            case ColumnRole::Feature:
            case ColumnRole::Target:
                break;
        }
    }
    auto inferred = inferSchema(table, options);
    if (!inferred) return inferred.error();
    Schema schema = std::move(*inferred);

    for (const auto& [name, type] : choices.types) {
        ColumnSpec* spec = schema.find(name);
        const int index = table.columnIndex(name);
        if (!spec || index < 0)
            return Error::badInput("no column '" + name + "' in '" + table.path + "'");
        if (spec->type == type || name == choices.target) continue;
        const auto& column = table.columns[static_cast<std::size_t>(index)];
        Result<void> changed;
        if (type == ColumnType::Categorical)
            changed = makeCategorical(*spec, column);
        else if (type == ColumnType::Numeric)
            changed = makeNumeric(*spec, column, table.dialect.decimalSeparator);
        else
            spec->type = type;
        if (!changed) return changed.error();
        // A column that becomes usable as a characteristic becomes one unless the analyst
        // gave it another role; one that stops being usable leaves the model.
        const bool usable = type == ColumnType::Numeric || type == ColumnType::Categorical;
        if (!choices.roles.count(name)) {
            if (usable && (spec->role == ColumnRole::Excluded || spec->role == ColumnRole::Id))
                spec->role = ColumnRole::Feature;
            if (!usable && spec->role == ColumnRole::Feature) spec->role = ColumnRole::Excluded;
        }
    }
    for (const auto& [name, role] : choices.roles) {
        ColumnSpec* spec = schema.find(name);
        if (!spec || name == choices.target) continue;
        if (role == ColumnRole::Feature) {
            if (spec->type != ColumnType::Numeric && spec->type != ColumnType::Categorical)
                return Error::badInput("column '" + name + "' is " + toString(spec->type) +
                                       "; make it numeric or categorical to use it as a "
                                       "characteristic");
            spec->role = ColumnRole::Feature;
        }
    }
    return schema;
}

Result<TrainingPreview> previewTraining(const Table& table, const TrainingChoices& choices,
                                        ProgressToken* progress) {
    const ProgressRange range(progress, 0.0, 1.0);
    auto schema = schemaWithChoices(table, choices);
    if (!schema) return schema.error();
    TrainingPreview preview;
    preview.schema = std::move(*schema);
    preview.rowsRead = table.rowsRead;
    if (preview.schema.features().empty())
        return Error::badInput("'" + table.path + "' has no usable characteristics to train on");
    auto data = encodeTable(table, preview.schema, true);
    if (!data) return data.error();
    preview.rowsUsed = data->rows;
    preview.rowsRejected = data->rejects.size();
    const BinningSettings settings;
    for (std::size_t j = 0; j < data->cols; ++j) {
        if (range.isCanceled()) return Error::failure("cancelled");
        preview.informationValue[data->featureNames[j]] =
            binCharacteristic(*data, j, settings).informationValue;
        range.report(0.8 * static_cast<double>(j + 1) / static_cast<double>(data->cols),
                     "information values");
    }
    preview.warnings = diagnose(table, preview.schema, *data);
    range.report(1.0, "done");
    return preview;
}

}  // namespace cwb
