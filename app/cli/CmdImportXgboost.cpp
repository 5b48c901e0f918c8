// cwb import-xgboost: an XGBoost JSON model trained elsewhere -> model bundle.

#include "CliCommon.h"
#include "pipeline/ImportXgboost.h"

namespace cwb::cli {

Runner addImportXgboostCommand(CLI::App& app) {
    struct Options {
        ImportJob job;
        std::string out;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--xgboost-model", o->job.xgboostModelPath, "XGBoost model (JSON or UBJSON)")
        ->required()
        ->check(CLI::ExistingFile);
    auto* schema = app.add_option("--schema", o->job.schemaPath, "Input schema (JSON)")
                       ->check(CLI::ExistingFile);
    auto* data = app.add_option("--data", o->job.dataPath, "Sample data to infer the schema from")
                     ->check(CLI::ExistingFile);
    schema->excludes(data);
    app.add_option("--id", o->job.idColumn, "Identifier column carried into score output");
    app.add_option("--name", o->job.name, "Model name");
    app.add_option("--out", o->out, "Model bundle to write (.cwbm)")->required();
    app.add_flag("--json", o->json, "Print the result as one JSON object on stdout");
    return [o]() -> int {
        auto bundle = importXgboost(o->job);
        if (!bundle) return fail(bundle.error());
        if (auto saved = saveBundle(*bundle, o->out); !saved) return fail(saved.error());
        note("imported " + std::to_string(bundle->schema.features().size()) +
             " characteristics; saved " + o->out);
        if (o->json) {
            nlohmann::json info = bundleInfo(*bundle);
            info["out"] = o->out;
            printJson(info);
        }
        return kExitOk;
    };
}

}  // namespace cwb::cli
