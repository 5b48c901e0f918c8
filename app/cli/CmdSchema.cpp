// cwb schema: infer a data file's schema (types, roles, levels, ranges) and save it as JSON, to be
// reviewed, edited by hand and given back to `cwb train --schema`.
// cwb schema set-range: change a numeric characteristic's valid range in a model bundle (a value
// outside it is refused when scoring), writing a new bundle.

#include "CliCommon.h"
#include "data/SchemaInference.h"
#include "data/Table.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace cwb::cli {

namespace {

struct RangeOptions {
    std::string model, column, out;
    std::optional<double> min, max;
    bool noMin = false, noMax = false, integer = false, noInteger = false, json = false;
};

int setRange(const RangeOptions& o) {
    for (const auto& [bound, flag] : {std::pair{o.min, "--min"}, {o.max, "--max"}})
        if (bound && !std::isfinite(*bound))
            return fail(Error::badInput(std::string(flag) + " must be a finite number"));
    auto loaded = loadBundle(o.model);
    if (!loaded) return fail(loaded.error());
    ModelBundle& bundle = *loaded;
    ColumnSpec* spec = bundle.schema.find(o.column);
    if (!spec || spec->role != ColumnRole::Feature || spec->type != ColumnType::Numeric)
        return fail(
            Error::badInput("'" + o.column + "' is not a numeric characteristic of " + o.model));
    if (o.min) spec->validMin = *o.min;
    if (o.noMin) spec->validMin.reset();
    if (o.max) spec->validMax = *o.max;
    if (o.noMax) spec->validMax.reset();
    if (o.integer) spec->integerOnly = true;
    if (o.noInteger) spec->integerOnly = false;
    if (spec->validMin && spec->validMax && *spec->validMin > *spec->validMax)
        return fail(Error::badInput("the valid range of " + o.column + " would be empty: minimum " +
                                    std::to_string(*spec->validMin) + " is above maximum " +
                                    std::to_string(*spec->validMax)));
    if (auto saved = saveBundle(bundle, o.out); !saved) return fail(saved.error());
    note("valid range of " + o.column + ": " + spec->validRangeText() + " (training range " +
         std::to_string(spec->min) + " to " + std::to_string(spec->max) + "); saved " + o.out);
    if (o.json) {
        nlohmann::json j = {{"column", spec->name}, {"integer_only", spec->integerOnly}};
        j["valid_min"] = spec->validMin ? nlohmann::json(*spec->validMin) : nullptr;
        j["valid_max"] = spec->validMax ? nlohmann::json(*spec->validMax) : nullptr;
        printJson(j);
    }
    return kExitOk;
}

Runner addSetRangeCommand(CLI::App& app) {
    auto o = std::make_shared<RangeOptions>();
    app.add_option("--model", o->model, "Model bundle (.cwbm) to read")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--column", o->column, "Numeric characteristic")->required();
    auto* min = app.add_option("--min", o->min, "Smallest valid value");
    auto* max = app.add_option("--max", o->max, "Largest valid value");
    app.add_flag("--no-min", o->noMin, "Remove the lower bound")->excludes(min);
    app.add_flag("--no-max", o->noMax, "Remove the upper bound")->excludes(max);
    auto* integer = app.add_flag("--integer", o->integer, "Only whole numbers are valid");
    app.add_flag("--no-integer", o->noInteger, "Fractions are valid")->excludes(integer);
    app.add_option("--out", o->out, "Model bundle to write (may be the same file)")->required();
    app.add_flag("--json", o->json, "Print the new valid range as JSON");
    return [o]() { return setRange(*o); };
}

}  // namespace

Runner addSchemaCommand(CLI::App& app) {
    struct Options {
        std::string data, out;
        InferenceOptions inference;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    // Not ->required(): `cwb schema set-range` works on a bundle and has no data file.
    app.add_option("--data", o->data, "Data file (CSV with a header row)")
        ->check(CLI::ExistingFile);
    app.add_option("--target", o->inference.target, "Target column");
    app.add_option("--bad", o->inference.badValue, "Target value that means bad (default: 1)");
    app.add_option("--id", o->inference.idColumns, "Identifier column(s)")->delimiter(',');
    app.add_option("--exclude", o->inference.excluded, "Columns not to use")->delimiter(',');
    app.add_option("--protected", o->inference.protectedColumns, "Protected attributes")
        ->delimiter(',');
    app.add_option("--pii", o->inference.piiColumns, "Columns holding personal data")
        ->delimiter(',');
    app.add_option("--out", o->out, "Schema file to write (JSON)");
    app.add_flag("--json", o->json, "Also print the schema on stdout");
    CLI::App* rangeApp = app.add_subcommand(
        "set-range", "Set a numeric characteristic's valid range in a model bundle");
    Runner setRangeRunner = addSetRangeCommand(*rangeApp);
    return [o, rangeApp, setRangeRunner]() -> int {
        if (rangeApp->parsed()) return setRangeRunner();
        if (o->data.empty() || o->out.empty())
            return fail(
                Error::badInput("cwb schema needs --data and --out (or: cwb schema "
                                "set-range --model M --column C ... --out M2)"));
        auto table = readTable(o->data);
        if (!table) return fail(table.error());
        auto schema = inferSchema(*table, o->inference);
        if (!schema) return fail(schema.error());
        if (auto saved = schema->save(o->out); !saved) return fail(saved.error());
        std::size_t features = schema->features().size();
        note("inferred " + std::to_string(schema->columns.size()) + " columns (" +
             std::to_string(features) + " model inputs) from " + o->data + "; saved " + o->out);
        for (const ColumnSpec& c : schema->columns)
            note("  " + c.name + ": " + toString(c.type) + ", " + toString(c.role) +
                 (c.allowMissing ? ", missing allowed" : "") +
                 (c.hasValidRange() ? ", valid " + c.validRangeText() : ""));
        if (o->json) printJson(schema->toJson());
        return kExitOk;
    };
}

}  // namespace cwb::cli
