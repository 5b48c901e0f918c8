// cwb score: a CSV file of applicants -> pd, score, decision and reason codes per row.

#include "CliCommon.h"
#include "scoring/BatchScorer.h"

namespace cwb::cli {

Runner addScoreCommand(CLI::App& app) {
    struct Options {
        std::string model;
        BatchOptions batch;
        bool json = false;
        bool quiet = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--model", o->model, "Model bundle (.cwbm)")->required();
    app.add_option("--in", o->batch.input, "Applicants to score (CSV)")->required()
        ->check(CLI::ExistingFile);
    app.add_option("--out", o->batch.output, "Scored output (CSV)")->required();
    app.add_option("--reasons", o->batch.reasons, "Reason codes per row (default: 4)")
        ->check(CLI::Range(0, 20));
    app.add_option("--rejects", o->batch.rejects,
                   "Rejected rows (CSV: line,column,reason,record); default OUT.rejects.csv when "
                   "any row is rejected");
    app.add_option("--threads", o->batch.threads, "Threads (default: all cores)")
        ->check(CLI::Range(0, 1024));
    app.add_flag("--json", o->json, "Print the result as one JSON object on stdout");
    app.add_flag("--quiet", o->quiet, "No progress lines on stderr");
    return [o]() -> int {
        auto bundle = loadModel(o->model);
        if (!bundle) return fail(bundle.error());
        auto progress = stderrProgress(o->quiet);
        auto summary = scoreFile(**bundle, o->batch, progress.get());
        if (!summary) return fail(summary.error());
        for (const auto& w : summary->warnings) note("warning: " + w);
        note("read " + std::to_string(summary->rowsRead) + " rows: " +
             std::to_string(summary->rowsScored) + " scored, " +
             std::to_string(summary->rowsRejected) + " rejected" +
             (summary->rejectsPath.empty() ? "" : " (see " + summary->rejectsPath + ")") + " in " +
             std::to_string(summary->seconds) + " s");
        if (o->json) printJson(summary->toJson());
        return kExitOk;
    };
}

}  // namespace cwb::cli
