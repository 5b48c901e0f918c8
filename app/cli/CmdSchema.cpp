// cwb schema: infer a data file's schema (types, roles, levels, ranges) and save it as JSON, to be
// reviewed, edited by hand and given back to `cwb train --schema`.

#include "CliCommon.h"
#include "data/SchemaInference.h"
#include "data/Table.h"

#include <nlohmann/json.hpp>

namespace cwb::cli {

Runner addSchemaCommand(CLI::App& app) {
    struct Options {
        std::string data, out;
        InferenceOptions inference;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--data", o->data, "Data file (CSV with a header row)")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--target", o->inference.target, "Target column");
    app.add_option("--bad", o->inference.badValue, "Target value that means bad (default: 1)");
    app.add_option("--id", o->inference.idColumns, "Identifier column(s)")->delimiter(',');
    app.add_option("--exclude", o->inference.excluded, "Columns not to use")->delimiter(',');
    app.add_option("--protected", o->inference.protectedColumns, "Protected attributes")
        ->delimiter(',');
    app.add_option("--pii", o->inference.piiColumns, "Columns holding personal data")
        ->delimiter(',');
    app.add_option("--out", o->out, "Schema file to write (JSON)")->required();
    app.add_flag("--json", o->json, "Also print the schema on stdout");
    return [o]() -> int {
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
                 (c.allowMissing ? ", missing allowed" : ""));
        if (o->json) printJson(schema->toJson());
        return kExitOk;
    };
}

}  // namespace cwb::cli
