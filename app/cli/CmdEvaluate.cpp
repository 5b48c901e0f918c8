// cwb evaluate: a model's performance on a labelled CSV file.

#include "CliCommon.h"
#include "pipeline/DevelopmentSample.h"
#include "report/PerformanceReport.h"

#include <cstdio>

namespace cwb::cli {

Runner addEvaluateCommand(CLI::App& app) {
    struct Options {
        std::string model, data, target, bad, rejects;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--model", o->model, "Model bundle (.cwbm)")->required();
    app.add_option("--data", o->data, "Labelled data (CSV)")->required()->check(CLI::ExistingFile);
    app.add_option("--target", o->target, "Target column (default: the model's)");
    app.add_option("--bad", o->bad, "Target value that means bad (default: the model's)");
    app.add_option("--rejects", o->rejects, "Rows not used (CSV: line,column,reason,record)");
    app.add_flag("--json", o->json, "Print the result as one JSON object on stdout");
    return [o]() -> int {
        auto bundle = loadModel(o->model);
        if (!bundle) return fail(bundle.error());
        // The headline figures only: importance and IV are for the view and the reports.
        PerformanceOptions figures;
        figures.importance = figures.informationValue = false;
        auto report =
            buildPerformanceReport(**bundle, o->data, o->target, o->bad, figures, nullptr);
        if (!report) return fail(report.error());
        char line[256];
        std::snprintf(line, sizeof line,
                      "AUC %.4f  Gini %.4f  KS %.4f  Brier %.4f  log loss %.4f  on %zu rows "
                      "(bad rate %.3f, %zu rejected)",
                      report->auc, report->gini, report->ks, report->brier, report->logLoss,
                      report->rows, report->badRate, report->rowsRejected);
        note(line);
        if (report->developmentSample) note("warning: " + developmentSampleWarning());
        if (!o->rejects.empty())
            if (auto written = writeRejects(o->rejects, report->rejects); !written)
                return fail(written.error());
        if (o->json) printJson(report->toJson());
        return kExitOk;
    };
}

}  // namespace cwb::cli
