// cwb score: a CSV file of applicants -> pd, score, decision and reason codes per row.
// Monitoring (issue #6, docs/monitoring.md): batch metrics and PSI against the development
// sample are pushed to the pushgateway in the background while scoring and once at the end;
// the final push waits at most the push timeout, so a dead or silent gateway never holds up
// the command for long and never changes its exit code.

#include <memory>
#include <optional>

#include "CliCommon.h"
#include "CliStore.h"
#include "StoredSettings.h"
#include "common/Hash.h"
#include "eval/PsiSample.h"
#include "monitor/Drift.h"
#include "monitor/JsonLog.h"
#include "monitor/MonitorConfig.h"
#include "monitor/PushClient.h"
#include "monitor/RuntimeMetrics.h"
#include "scoring/BatchScorer.h"
#include "store/BatchRecorder.h"

namespace cwb::cli {

namespace {

std::string errorKind(const Error& error) {
    return error.kind == ErrorKind::BadInput ? "bad_input" : "failure";
}

}  // namespace

Runner addScoreCommand(CLI::App& app) {
    struct Options {
        std::string model;
        BatchOptions batch;
        bool json = false;
        bool quiet = false;
        std::string encoding = "auto";
        std::string pushgateway;
        int pushIntervalS = 0;
        int pushTimeoutMs = 0;
        StoreOptions store;  // --store: record the batch run (issue 11)
        bool requireApproved = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--model", o->model, "Model bundle (.cwbm)")->required();
    app.add_option("--in", o->batch.input, "Applicants to score (CSV)")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--out", o->batch.output, "Scored output (CSV)")->required();
    app.add_option("--reasons", o->batch.reasons, "Reason codes per row (default: 4)")
        ->check(CLI::Range(0, 20));
    app.add_flag("--reason-text", o->batch.reasonTexts,
                 "Also write reason_K_text columns: what counted against the applicant, in the "
                 "model's words for the row's value (needs --reasons above 0)");
    app.add_option("--rejects", o->batch.rejects,
                   "Rejected rows (CSV: line,column,reason,record); default OUT.rejects.csv when "
                   "any row is rejected");
    app.add_option("--threads", o->batch.threads, "Threads (default: all cores)")
        ->check(CLI::Range(0, 1024));
    app.add_option("--chunk-rows", o->batch.chunkRows,
                   "Rows read and scored per chunk (default: 16384); memory grows with it")
        ->check(CLI::Range(1, 1 << 20));
    app.add_option("--encoding", o->encoding,
                   std::string("Character encoding of --in: ") + kEncodingNames +
                       " (default: UTF-8, or Windows-1252 when the file is not UTF-8)")
        ->check([](const std::string& name) -> std::string {
            return parseEncodingName(name) ? "" : "unknown encoding '" + name + "'";
        });
    app.add_flag("--json", o->json, "Print the result as one JSON object on stdout");
    app.add_flag("--quiet", o->quiet, "No progress lines on stderr");
    CLI::Option* gatewayOption = app.add_option(
        "--pushgateway", o->pushgateway,
        "Prometheus pushgateway URL for metrics (default: CWB_PUSHGATEWAY_URL or the workbench "
        "settings; \"\" = do not push)");
    CLI::Option* intervalOption =
        app.add_option("--push-interval", o->pushIntervalS,
                       "Seconds between metric pushes while scoring (default: 15)")
            ->check(CLI::Range(1, 86400));
    CLI::Option* timeoutOption =
        app.add_option("--push-timeout", o->pushTimeoutMs,
                       "Milliseconds one push may take; the final push waits no longer "
                       "(default: 2000)")
            ->check(CLI::Range(1, 600000));
    app.add_option("--store", o->store.store, "Record the batch run and its rows in this store");
    app.add_option("--user", o->store.user, "Record as this user (default: $CWB_USER, else you)")
        ->envname("CWB_USER");
    app.add_flag("--require-approved", o->requireApproved,
                 "Refuse a model without a valid approval signature in the store (--store, else "
                 "$CWB_STORE, else the default store)");
    return [o, gatewayOption, intervalOption, timeoutOption]() -> int {
        const bool recording = !o->store.store.empty();
        JsonLog& log = JsonLog::instance();
        MonitorConfig monitor = MonitorConfig::resolve("cli", storedMonitorSettings());
        if (gatewayOption->count() > 0) monitor.gatewayUrl = o->pushgateway;
        if (intervalOption->count() > 0)
            monitor.schedule.interval = std::chrono::seconds(o->pushIntervalS);
        if (timeoutOption->count() > 0)
            monitor.schedule.timeout = std::chrono::milliseconds(o->pushTimeoutMs);

        // Declared before the pusher, which pushes them from its thread until it is destroyed.
        RuntimeMetrics metrics;
        std::unique_ptr<MetricsPusher> pusher;
        if (monitor.pushing())
            pusher =
                std::make_unique<MetricsPusher>(metrics, monitor.target(), monitor.schedule, log);
        else
            log.debug("push_disabled", {{"reason", "no pushgateway configured"}});
        HttpOutcome lastPush;
        // The final push: bounded by the push timeout; its failure is reported, never fatal.
        const auto finalPush = [&] {
            if (!pusher) return;
            lastPush = pusher->flush(monitor.schedule.timeout);
            if (!lastPush.ok())
                note("warning: metrics not pushed to " + redactedUrl(monitor.gatewayUrl) + ": " +
                     lastPush.error);
        };
        const auto failed = [&](const char* stage, const Error& error) {
            metrics.countError(errorKind(error));
            log.error("score_failed", {{"stage", stage}, {"kind", errorKind(error)}});
            finalPush();
            return fail(error);
        };

        auto bundle = loadModel(o->model);
        if (!bundle) return failed("load_model", bundle.error());
        const ModelBundle& model = **bundle;
        if (o->requireApproved)
            if (auto r = requireApproved(model, o->store.store); !r)
                return failed("require_approved", r.error());
        metrics.setModelInfo(model.name, model.version, model.model->algorithm());
        // A first push as the batch starts: the model shows up on the gateway at once, and a
        // long batch is visible before it ends (then every push interval).
        if (pusher) pusher->requestPush();
        const DriftSpec drift = DriftSpec::fromBundle(model);
        BatchOptions batch = o->batch;
        batch.modelPath = o->model;
        batch.encoding = parseEncodingName(o->encoding).value_or(TextEncoding::Auto);
        batch.drift = drift.empty() ? nullptr : &drift;
        // Recording (issue 11): logged in and the run registered before scoring starts.
        std::optional<StoreSession> session;
        std::unique_ptr<store::BatchRecorder> recorder;
        if (recording) {
            auto opened = openSession(o->store);
            if (!opened) return failed("store", opened.error());
            session = std::move(*opened);
            auto sha = sha256OfFile(o->model);
            if (!sha) return failed("store", sha.error());
            auto started = store::BatchRecorder::start(
                *session->store, session->actor, {batch.input, model.name, model.version, *sha});
            if (!started) return failed("store", started.error());
            recorder = std::move(*started);
            batch.scoredSink = [r = recorder.get()](std::string_view text) { return r->add(text); };
        }
        log.info("batch_started", {{"model", model.name},
                                   {"bundle_sha256", model.sha256},
                                   {"version", model.version},
                                   {"algorithm", model.model->algorithm()},
                                   {"threads", batch.threads},
                                   {"reasons", batch.reasons},
                                   {"reason_texts", batch.reasonTexts},
                                   {"score_psi", drift.hasScore()},
                                   {"feature_psi", drift.featureCount()}});

        auto progress = stderrProgress(o->quiet);
        auto summary = scoreFile(model, batch, progress.get());
        if (!summary) {
            if (recorder) recorder->fail(summary.error().message);
            return failed("score", summary.error());
        }
        nlohmann::json recorded = nullptr;
        if (recorder) {
            auto done = recorder->finish(summary->toJson());
            if (!done) return failed("store", done.error());
            recorded = *done;
        }

        metrics.recordBatch(model.name, *summary);
        nlohmann::json psiJson = nullptr;
        nlohmann::json featureJson = nlohmann::json::object();
        // Below this many rows a PSI is mostly sampling noise: it is reported, said to be too
        // small to judge, and kept out of the gauges and the drift warning.
        const std::size_t psiMinimumRows = minimumPsiRows(drift.scoreBins());
        const bool psiJudgeable = summary->rowsScored >= psiMinimumRows;
        if (drift.hasScore() && summary->drift.scoreRows() > 0) {
            const double psi = drift.scorePsi(summary->drift);
            if (psiJudgeable) metrics.setScorePsi(model.name, psi);
            psiJson = psi;
        }
        const auto featurePsi = drift.featurePsi(summary->drift);
        if (psiJudgeable) metrics.setFeaturePsi(model.name, featurePsi);
        for (const auto& f : featurePsi)
            featureJson[f.feature] = f.psi;
        log.info("batch_scored",
                 {{"model", model.name},
                  {"bundle_sha256", model.sha256},
                  {"rows_read", summary->rowsRead},
                  {"rows_scored", summary->rowsScored},
                  {"rows_rejected", summary->rowsRejected},
                  {"decisions", summary->decisions},
                  {"seconds", summary->seconds},
                  {"rows_per_second",
                   summary->seconds > 0 ? static_cast<double>(summary->rowsRead) / summary->seconds
                                        : 0.0},
                  {"score_psi", psiJson}});
        if (psiJson.is_number() && !psiJudgeable)
            note("note: " + std::to_string(summary->rowsScored) +
                 " rows are too few to judge stability (PSI needs at least " +
                 std::to_string(psiMinimumRows) + "); the PSI is not a verdict");
        if (psiJson.is_number() && psiJudgeable && psiJson.get<double>() > 0.25)
            log.warn(
                "score_drift",
                {{"model", model.name}, {"bundle_sha256", model.sha256}, {"score_psi", psiJson}});

        for (const auto& w : summary->warnings)
            note("warning: " + w);
        note("read " + std::to_string(summary->rowsRead) +
             " rows: " + std::to_string(summary->rowsScored) + " scored, " +
             std::to_string(summary->rowsRejected) + " rejected" +
             (summary->rejectsPath.empty() ? "" : " (see " + summary->rejectsPath + ")") + " in " +
             std::to_string(summary->seconds) + " s");
        finalPush();
        if (o->json) {
            nlohmann::json j = summary->toJson();
            j["bundle_sha256"] = model.sha256;
            j["monitoring"] = {
                {"pushgateway", monitor.pushing() ? nlohmann::json(redactedUrl(monitor.gatewayUrl))
                                                  : nlohmann::json(nullptr)},
                {"pushed", pusher && lastPush.ok()},
                {"push_seconds", lastPush.seconds},
                {"push_failures", metrics.pushFailures()},
                {"score_psi", psiJson},
                {"psi_minimum_rows", psiMinimumRows},
                {"psi_judgeable", psiJudgeable},
                {"feature_psi", featureJson}};
            if (recorder) j["store"] = recorded;
            printJson(j);
        }
        return kExitOk;
    };
}

}  // namespace cwb::cli
