#pragma once
// The workbench's Prometheus metrics (issue #6), held in a prometheus-cpp registry and
// rendered in the text exposition format for pushing (monitor/PushClient.h). Names, types and
// labels are listed in docs/monitoring.md; every name starts with cwb_.
//
// prometheus-cpp stays behind this interface (pimpl): it is linked PRIVATE to cwb_core, so the
// app and the tests never include its headers. All methods are thread-safe (the metric types
// are atomic or locked inside prometheus-cpp), so the scoring side records while the pusher
// thread serializes.
//
// Label values are model names, characteristic names, decisions and fixed kinds only: never
// applicant data.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cwb {

struct BatchSummary;
struct FeaturePsi;

class RuntimeMetrics {
public:
    RuntimeMetrics();
    ~RuntimeMetrics();
    RuntimeMetrics(const RuntimeMetrics&) = delete;
    RuntimeMetrics& operator=(const RuntimeMetrics&) = delete;

    // cwb_model_info{model,version,algorithm} = 1.
    void setModelInfo(const std::string& model, const std::string& version,
                      const std::string& algorithm);
    // One interactive score: cwb_scores_total{model,decision} += 1 and its duration in the
    // cwb_score_duration_seconds histogram.
    void recordScore(const std::string& model, const std::string& decision, double seconds);
    // A finished batch: cwb_batch_rows_total{model,status=scored|rejected},
    // cwb_scores_total{model,decision} by the batch's decisions, and the gauges
    // cwb_batch_duration_seconds / cwb_batch_rows_per_second of this (the last) batch.
    void recordBatch(const std::string& model, const BatchSummary& summary);
    void setScorePsi(const std::string& model, double psi);  // cwb_score_psi
    void setFeaturePsi(const std::string& model, const std::vector<FeaturePsi>& psi);
    void countError(const std::string& kind);  // cwb_errors_total
    void countPushFailure();                   // cwb_push_failures_total
    void setLastPushSeconds(double seconds);   // cwb_push_duration_seconds
    // cwb_process_resident_memory_bytes and cwb_process_cpu_seconds_total from /proc/self.
    void updateProcessStats();

    // The text exposition format (prometheus::TextSerializer) of every metric.
    std::string serialize() const;

    // Read-back for reports and tests.
    double pushFailures() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace cwb
