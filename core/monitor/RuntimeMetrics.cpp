#include "monitor/RuntimeMetrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <mutex>

#include "monitor/Drift.h"
#include "monitor/ProcessStats.h"
#include "scoring/BatchScorer.h"

namespace cwb {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

struct RuntimeMetrics::Impl {
    std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();

    Family<Counter>& scores = BuildCounter()
                                  .Name("cwb_scores_total")
                                  .Help(
                                      "Applicants scored, by model and decision (batch and "
                                      "interactive)")
                                  .Register(*registry);
    Family<Histogram>& scoreDuration =
        BuildHistogram()
            .Name("cwb_score_duration_seconds")
            .Help("Duration of one interactive score (with explanation)")
            .Register(*registry);
    Family<Counter>& batchRows = BuildCounter()
                                     .Name("cwb_batch_rows_total")
                                     .Help(
                                         "Rows of batch files, by model and status "
                                         "(scored or rejected)")
                                     .Register(*registry);
    Family<Gauge>& batchDuration = BuildGauge()
                                       .Name("cwb_batch_duration_seconds")
                                       .Help("Wall time of the last batch, by model")
                                       .Register(*registry);
    Family<Gauge>& batchThroughput = BuildGauge()
                                         .Name("cwb_batch_rows_per_second")
                                         .Help("Rows read per second in the last batch")
                                         .Register(*registry);
    Family<Gauge>& modelInfo =
        BuildGauge().Name("cwb_model_info").Help("The loaded model (value 1)").Register(*registry);
    Family<Gauge>& scorePsi = BuildGauge()
                                  .Name("cwb_score_psi")
                                  .Help(
                                      "PSI of the last batch's scores against the "
                                      "development sample")
                                  .Register(*registry);
    Family<Gauge>& featurePsi = BuildGauge()
                                    .Name("cwb_feature_psi")
                                    .Help(
                                        "PSI of a characteristic in the last batch against "
                                        "the development sample (scorecards)")
                                    .Register(*registry);
    Family<Counter>& errors = BuildCounter()
                                  .Name("cwb_errors_total")
                                  .Help("Failed operations, by kind")
                                  .Register(*registry);
    Counter& pushFailures = BuildCounter()
                                .Name("cwb_push_failures_total")
                                .Help("Metric pushes that failed or timed out")
                                .Register(*registry)
                                .Add({});
    Gauge& pushDuration = BuildGauge()
                              .Name("cwb_push_duration_seconds")
                              .Help("Duration of the previous push attempt")
                              .Register(*registry)
                              .Add({});
    Gauge& residentMemory = BuildGauge()
                                .Name("cwb_process_resident_memory_bytes")
                                .Help("Resident memory of the process")
                                .Register(*registry)
                                .Add({});
    Counter& cpuSeconds = BuildCounter()
                              .Name("cwb_process_cpu_seconds_total")
                              .Help("User and system CPU time of the process")
                              .Register(*registry)
                              .Add({});

    // Model -> its info series, so loading another version of a model replaces the old one.
    std::mutex mutex;
    std::map<std::string, Gauge*> infoByModel;
    double cpuReported = 0.0;      // the counter only grows: add the difference since last time
    Histogram* latency = nullptr;  // the one cwb_score_duration_seconds series

    Impl() {
        // Latency buckets: explanation of one applicant takes well under a millisecond for a
        // scorecard and a few milliseconds for large tree ensembles.
        latency = &scoreDuration.Add(
            {}, Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                            0.025, 0.05, 0.1, 0.25, 1});
        // Series that exist from the start, so rate() and absent() work before the first error.
        for (const char* kind : {"bad_input", "failure"})
            errors.Add({{"kind", kind}});
    }
};

RuntimeMetrics::RuntimeMetrics() : d(std::make_unique<Impl>()) {}
RuntimeMetrics::~RuntimeMetrics() = default;

void RuntimeMetrics::setModelInfo(const std::string& model, const std::string& version,
                                  const std::string& algorithm) {
    const std::lock_guard lock(d->mutex);
    auto& slot = d->infoByModel[model];
    if (slot) d->modelInfo.Remove(slot);
    slot = &d->modelInfo.Add({{"model", model}, {"version", version}, {"algorithm", algorithm}});
    slot->Set(1.0);
}

void RuntimeMetrics::recordScore(const std::string& model, const std::string& decision,
                                 double seconds) {
    d->scores.Add({{"model", model}, {"decision", decision}}).Increment();
    d->latency->Observe(seconds);
}

void RuntimeMetrics::recordBatch(const std::string& model, const BatchSummary& summary) {
    d->batchRows.Add({{"model", model}, {"status", "scored"}})
        .Increment(static_cast<double>(summary.rowsScored));
    d->batchRows.Add({{"model", model}, {"status", "rejected"}})
        .Increment(static_cast<double>(summary.rowsRejected));
    for (const auto& [decision, count] : summary.decisions)
        d->scores.Add({{"model", model}, {"decision", decision}})
            .Increment(static_cast<double>(count));
    d->batchDuration.Add({{"model", model}}).Set(summary.seconds);
    d->batchThroughput.Add({{"model", model}})
        .Set(summary.seconds > 0.0 ? static_cast<double>(summary.rowsRead) / summary.seconds : 0.0);
}

void RuntimeMetrics::setScorePsi(const std::string& model, double psi) {
    d->scorePsi.Add({{"model", model}}).Set(psi);
}

void RuntimeMetrics::setFeaturePsi(const std::string& model, const std::vector<FeaturePsi>& psi) {
    for (const FeaturePsi& f : psi)
        d->featurePsi.Add({{"model", model}, {"feature", f.feature}}).Set(f.psi);
}

void RuntimeMetrics::countError(const std::string& kind) {
    d->errors.Add({{"kind", kind}}).Increment();
}

void RuntimeMetrics::countPushFailure() {
    d->pushFailures.Increment();
}

void RuntimeMetrics::setLastPushSeconds(double seconds) {
    d->pushDuration.Set(seconds);
}

void RuntimeMetrics::updateProcessStats() {
    const auto stats = readProcessStats();
    if (!stats) return;
    d->residentMemory.Set(static_cast<double>(stats->residentBytes));
    const std::lock_guard lock(d->mutex);
    if (stats->cpuSeconds > d->cpuReported) {
        d->cpuSeconds.Increment(stats->cpuSeconds - d->cpuReported);
        d->cpuReported = stats->cpuSeconds;
    }
}

std::string RuntimeMetrics::serialize() const {
    return prometheus::TextSerializer().Serialize(d->registry->Collect());
}

double RuntimeMetrics::pushFailures() const {
    return d->pushFailures.Value();
}

}  // namespace cwb
