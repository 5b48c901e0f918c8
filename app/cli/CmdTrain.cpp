// cwb train: labelled CSV -> model bundle, with cross-validated results and data diagnostics.

#include "CliCommon.h"
#include "data/AtomicFile.h"
#include "model/AutoSearch.h"
#include "pipeline/TrainPipeline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cwb::cli {

namespace {

// "auto", "none", "COL=+1", or a comma-separated mix ("auto,duration_months=+1").
Result<void> parseMonotone(const std::string& text, TrainRequest& request) {
    request.monotone = MonotoneMode::Auto;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, end - start);
        start = end + 1;
        if (item.empty()) continue;
        if (item == "auto")
            request.monotone = MonotoneMode::Auto;
        else if (item == "none")
            request.monotone = MonotoneMode::None;
        else {
            const std::size_t eq = item.find('=');
            const std::string sign = eq == std::string::npos ? "" : item.substr(eq + 1);
            const int value = sign == "+1" || sign == "1" ? 1
                              : sign == "-1"              ? -1
                              : sign == "0"               ? 0
                                                          : 2;
            if (eq == 0 || value == 2)
                return Error::badInput("--monotone: '" + item +
                                       "' is not auto, none or COL=+1, COL=-1, COL=0");
            request.monotoneOverrides[item.substr(0, eq)] = value;
        }
    }
    return {};
}

// What auto's nested search tried: each configuration's mean inner AUC per outer fold and on
// all rows, a '*' at the one chosen there.
void printSearch(const SearchReport& search) {
    note("nested search, " + std::to_string(search.innerFolds) +
         " inner folds; mean inner AUC per outer fold, then on all rows (* = chosen):");
    for (std::size_t c = 0; c < search.configs.size(); ++c) {
        std::string line = (c < 9 ? " " : "") + std::to_string(c + 1) + "  ";
        const auto cell = [&](const SearchScope& scope) {
            char text[32];
            if (std::isnan(scope.innerAuc[c]))
                std::snprintf(text, sizeof text, "refused ");
            else
                std::snprintf(text, sizeof text, "%.4f%c ", scope.innerAuc[c],
                              scope.chosen == c ? '*' : ' ');
            line += text;
        };
        for (const auto& fold : search.outer)
            cell(fold);
        line += "| ";
        cell(search.final);
        note(line + " " + search.configs[c].label());
        if (!search.refused[c].empty()) note("    refused: " + search.refused[c]);
    }
    for (const auto& fold : search.outer)
        for (const auto& t : fold.tests)
            if (t.config == fold.chosen) {
                char text[80];
                std::snprintf(text, sizeof text, "outer fold %d: configuration %zu, test AUC %.4f",
                              fold.outerFold + 1, t.config + 1, t.auc);
                note(text);
            }
    note("final model: configuration " + std::to_string(search.final.chosen + 1) + ", " +
         search.configs[search.final.chosen].label());
    // The derived ratios each scope proposed for its tree configurations (decision 51).
    const auto ratios = [&](const SearchScope& scope) {
        std::string text;
        for (const auto& r : scope.ratios)
            text += (text.empty() ? "" : ", ") + ratioName(search.featureNames, r);
        return text.empty() ? std::string("none") : text;
    };
    for (const auto& fold : search.outer)
        note("ratios proposed on outer fold " + std::to_string(fold.outerFold + 1) +
             "'s training rows: " + ratios(fold));
    note("ratios proposed on all rows: " + ratios(search.final) +
         (search.configs[search.final.chosen].algorithm == Algorithm::Scorecard
              ? " (not used: the final model is a scorecard)"
              : ""));
}

}  // namespace

Runner addTrainCommand(CLI::App& app) {
    struct Options {
        TrainJob job;
        std::string algorithm = "auto";
        std::string monotone = "auto";
        std::string out;
        std::string rejects;
        bool json = false;
        bool quiet = false;
        bool noRatios = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--data", o->job.dataPath, "Training data (CSV with a header row)")
        ->required()
        ->check(CLI::ExistingFile);
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
    app.add_option("--exclude", o->job.excluded, "Columns not to use, comma-separated")
        ->delimiter(',');
    app.add_option("--protected", o->job.protectedColumns,
                   "Protected attributes (never model inputs; kept for fairness analysis)")
        ->delimiter(',');
    app.add_option("--monotone", o->monotone,
                   "Monotone constraints for tree models: auto (from each characteristic's WoE "
                   "trend), none, and/or per characteristic COL=+1 (risk rises with the value), "
                   "COL=-1 or COL=0, comma-separated, e.g. auto,duration_months=+1");
    app.add_flag("--no-ratios", o->noRatios,
                 "With auto: no derived ratio characteristics (every model reads the schema's "
                 "inputs alone)");
    app.add_option("--schema", o->job.schemaPath, "Use this schema (JSON) instead of inferring one")
        ->check(CLI::ExistingFile);
    app.add_option("--dictionary", o->job.dictionaryPath,
                   "Data dictionary CSV (column,label,reason_text); default DATA.dictionary.csv")
        ->check(CLI::ExistingFile);
    app.add_option("--name", o->job.name, "Model name (default: the data file's name)");
    app.add_option("--out", o->out, "Model bundle to write (.cwbm)")->required();
    app.add_option("--rejects", o->rejects,
                   "Rows not used (CSV: line,column,reason,record); default OUT.rejects.csv when "
                   "any row is rejected");
    app.add_flag("--json", o->json, "Print the result as one JSON object on stdout");
    app.add_flag("--quiet", o->quiet, "No progress lines on stderr");

    return [o]() -> int {
        o->job.request.algorithm = *algorithmFromString(o->algorithm);
        o->job.request.ratios = !o->noRatios;
        if (auto parsed = parseMonotone(o->monotone, o->job.request); !parsed)
            return fail(parsed.error());
        // Checked before a long training: neither output may destroy the data or each other.
        const std::vector<ProtectedInput> inputs{{o->job.dataPath, "the training data"}};
        if (auto target = resolveOutputTarget(o->out, inputs); !target) return fail(target.error());
        if (!o->rejects.empty())
            if (auto target = resolveOutputTarget(o->rejects, inputs); !target)
                return fail(target.error());
        auto progress = stderrProgress(o->quiet);
        auto report = runTraining(o->job, progress.get());
        if (!report) return fail(report.error());
        for (const auto& w : report->warnings)
            note("warning: " + w.message);
        if (auto saved = saveBundle(report->bundle, o->out); !saved) return fail(saved.error());
        std::string rejectsPath;
        if (!report->rejects.empty() || !o->rejects.empty()) {
            rejectsPath = o->rejects.empty() ? o->out + ".rejects.csv" : o->rejects;
            if (auto written = writeRejects(rejectsPath, report->rejects); !written)
                return fail(written.error());
            note(std::to_string(report->rejects.size()) + " rows not used; see " + rejectsPath);
        }
        nlohmann::json result = report->toJson();
        result["out"] = o->out;
        result["rejects"] = rejectsPath;
        if (report->search) printSearch(*report->search);
        for (const auto& c : report->candidates) {
            char line[200];
            std::snprintf(line, sizeof line,
                          "%-10s cv AUC %.4f (sd %.4f)  Gini %.4f  KS %.4f  %.1f s",
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
