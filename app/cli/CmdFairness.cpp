// cwb fairness: approval rates, adverse impact ratios and (on labelled files) bad rate, AUC,
// calibration and score differences by protected group.

#include "CliCommon.h"
#include "report/FairnessAnalysis.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cwb::cli {

namespace {

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * v);
    return buf;
}

void printTable(const FairnessReport& report) {
    for (const auto& a : report.attributes) {
        note(a.label + (a.label == a.column ? "" : " (" + a.column + ")") +
             ", reference group: " + a.referenceGroup);
        for (const auto& g : a.groups) {
            char line[320];
            std::snprintf(line, sizeof line, "  %-36s n=%-6zu approved %-7s AIR %.3f%s%s",
                          g.group.c_str(), g.count, percent(g.approvalRate).c_str(),
                          g.adverseImpactRatio, g.belowFourFifths ? " below four-fifths" : "",
                          g.tooSmall ? " (too small to judge)" : "");
            std::string text = line;
            if (report.labelled) {
                char auc[16] = "n/a";
                if (!std::isnan(g.auc)) std::snprintf(auc, sizeof auc, "%.4f", g.auc);
                std::snprintf(line, sizeof line, "  bad rate %s  mean PD %s  AUC %s  SMD %+.3f",
                              percent(g.badRate).c_str(), percent(g.meanPd).c_str(), auc,
                              g.standardisedMeanDifference);
                text += line;
            }
            note(text);
        }
    }
}

}  // namespace

Runner addFairnessCommand(CLI::App& app) {
    struct Options {
        std::string model, data, target, bad;
        std::vector<std::string> columns;
        std::vector<double> bands;
        std::size_t minGroup = 30;
        bool json = false, quiet = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--model", o->model, "Model bundle (.cwbm)")->required();
    app.add_option("--data", o->data, "Data file (CSV), labelled or not")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--protected", o->columns,
                   "Protected column (repeat or comma-separate; default: the model's protected "
                   "columns)")
        ->delimiter(',');
    app.add_option("--target", o->target,
                   "Target column (default: the model's); bad rate and AUC need it");
    app.add_option("--bad", o->bad, "Target value that means bad (default: the model's)");
    app.add_option("--bands", o->bands,
                   "Band edges for numeric attributes such as age (default: 25,40,60)")
        ->delimiter(',');
    app.add_option("--min-group", o->minGroup,
                   "Groups smaller than this are marked too small to judge (default: 30)");
    app.add_flag("--json", o->json, "Print the result as one JSON object on stdout");
    app.add_flag("--quiet", o->quiet, "No progress on stderr");
    return [o]() -> int {
        auto bundle = loadModel(o->model);
        if (!bundle) return fail(bundle.error());
        FairnessOptions options;
        if (!o->bands.empty()) {
            if (auto r = checkBandEdges(o->bands); !r)
                return fail(Error::badInput("--bands: " + r.error().message));
            options.bandEdges = o->bands;
        }
        options.minGroupSize = o->minGroup;
        auto progress = stderrProgress(o->quiet || o->json);
        auto report = buildFairnessReport(**bundle, o->data, o->target, o->bad, o->columns, options,
                                          progress.get());
        if (!report) return fail(report.error());
        if (!o->json || !o->quiet) printTable(*report);
        if (o->json) printJson(report->toJson());
        return kExitOk;
    };
}

}  // namespace cwb::cli
