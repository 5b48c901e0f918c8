// cwb train: labelled CSV -> model bundle, with cross-validated results and data diagnostics.

#include "CliCommon.h"
#include "pipeline/TrainPipeline.h"

#include <cstdio>

namespace cwb::cli {

Runner addTrainCommand(CLI::App& app) {
    struct Options {
        TrainJob job;
        std::string algorithm = "auto";
        std::string monotone = "auto";
        std::string out;
        bool json = false;
        bool quiet = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--data", o->job.dataPath, "Training data (CSV with a header row)")
        ->required()->check(CLI::ExistingFile);
    app.add_option("--target", o->job.target, "Target column")->required();
    app.add_option("--bad", o->job.badValue, "Target value that means bad (default: 1)");
    app.add_option("--algorithm", o->algorithm, "auto, xgboost, scorecard or forest")
        ->check(CLI::IsMember({"auto", "xgboost", "scorecard", "forest"}));
    app.add_option("--cv", o->job.request.folds, "Cross-validation folds (default: 5)")
        ->check(CLI::Range(0, 20));
    app.add_option("--seed", o->job.request.seed, "Random seed (default: 42)");
    app.add_option("--threads", o->job.request.threads, "Threads (default: all cores)")
        ->check(CLI::Range(0, 1024));
    app.add_option("--id", o->job.idColumns, "Identifier column(s)")->delimiter(',');
    app.add_option("--exclude", o->job.excluded, "Columns not to use, comma-separated")->delimiter(',');
    app.add_option("--protected", o->job.protectedColumns,
                   "Protected attributes (never model inputs; kept for fairness analysis)")
        ->delimiter(',');
    app.add_option("--monotone", o->monotone,
                   "Monotone constraints for tree models: auto (from each characteristic's WoE "
                   "trend) or none")
        ->check(CLI::IsMember({"auto", "none"}));
    app.add_option("--schema", o->job.schemaPath, "Use this schema (JSON) instead of inferring one")
        ->check(CLI::ExistingFile);
    app.add_option("--dictionary", o->job.dictionaryPath,
                   "Data dictionary CSV (column,label,reason_text); default DATA.dictionary.csv")
        ->check(CLI::ExistingFile);
    app.add_option("--name", o->job.name, "Model name (default: the data file's name)");
    app.add_option("--out", o->out, "Model bundle to write (.cwbm)")->required();
    app.add_flag("--json", o->json, "Print the result as one JSON object on stdout");
    app.add_flag("--quiet", o->quiet, "No progress lines on stderr");

    return [o]() -> int {
        o->job.request.algorithm = *algorithmFromString(o->algorithm);
        o->job.request.monotone = o->monotone == "none" ? MonotoneMode::None : MonotoneMode::Auto;
        auto progress = stderrProgress(o->quiet);
        auto report = runTraining(o->job, progress.get());
        if (!report) return fail(report.error());
        for (const auto& w : report->warnings) note("warning: " + w.message);
        if (auto saved = saveBundle(report->bundle, o->out); !saved) return fail(saved.error());
        nlohmann::json result = report->toJson();
        result["out"] = o->out;
        for (const auto& c : report->candidates) {
            char line[200];
            std::snprintf(line, sizeof line, "%-10s cv AUC %.4f (sd %.4f)  Gini %.4f  KS %.4f  %.1f s",
                          c.algorithm.c_str(), c.meanAuc, c.sdAuc, c.meanGini, c.meanKs, c.seconds);
            note(line);
        }
        note("trained " + report->bundle.model->algorithm() + " on " +
             std::to_string(report->rowsUsed) + " rows (" + std::to_string(report->rowsRejected) +
             " rejected), " + std::to_string(report->bundle.schema.features().size()) +
             " characteristics; saved " + o->out);
        if (o->json) printJson(result);
        return kExitOk;
    };
}

}  // namespace cwb::cli
