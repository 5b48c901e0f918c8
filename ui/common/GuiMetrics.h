#pragma once
// The GUI's runtime metrics (issue #6): one RuntimeMetrics for the session and a MetricsPusher
// configured by MonitorConfig::resolve("gui"), so the GUI and cwb read the gateway URL, push
// interval and deadline with the same precedence (settings < environment). Views record into
// it on the GUI thread (cheap, no I/O beyond one log line); every network call happens on the
// pusher's own thread, so a slow or dead gateway never delays the GUI or scoring.
//
// Push outcomes come back from the pusher's thread as queued calls, and pushed() is emitted on
// the GUI thread, which is what the monitoring panel listens to.

#include <QDateTime>
#include <QObject>
#include <QString>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/Result.h"
#include "monitor/Drift.h"
#include "monitor/MonitorConfig.h"
#include "monitor/PushClient.h"
#include "monitor/RuntimeMetrics.h"
#include "scoring/DecisionPolicy.h"

namespace cwb {
struct BatchSummary;
struct ModelBundle;
}  // namespace cwb

namespace cwb::ui {

class GuiMetrics : public QObject {
    Q_OBJECT
public:
    // What the GUI does on its own: counts kept for the panel, next to the pushed registry.
    struct Session {
        std::map<std::string, std::uint64_t> scores;  // decision -> interactive scores
        std::uint64_t batches = 0;
        std::uint64_t batchRowsScored = 0;
        std::uint64_t batchRowsRejected = 0;
        std::optional<double> lastScorePsi;
        std::uint64_t errors = 0;
    };
    struct PushStatus {
        std::uint64_t attempts = 0;
        std::uint64_t failures = 0;
        HttpOutcome last;
        QDateTime lastTime;  // invalid before the first attempt
    };

    explicit GuiMetrics(MonitorConfig config, QObject* parent = nullptr);
    // Stops the pusher: a push in flight is aborted within ~20 ms. Does not delete the group
    // (that is shutdown(), for a normal exit only).
    ~GuiMetrics() override;

    // MonitorConfig::resolve("gui"): settings, then the environment on top.
    static MonitorConfig resolveConfig();

    // A new gateway, interval or deadline (after the settings changed). The counters stay;
    // the new gateway gets the whole session at its first push.
    void reconfigure(MonitorConfig config);
    const MonitorConfig& config() const { return m_config; }
    bool pushing() const { return m_pusher != nullptr; }
    // Where the gateway URL came from: "environment", "settings" or "none".
    QString urlSource() const;

    // cwb_model_info for the active model; asks for a push, so it shows up at once.
    void setModel(const ModelBundle* bundle);
    // One interactive score (cwb_scores_total, cwb_score_duration_seconds).
    void recordScore(const std::string& model, Decision decision, double seconds);
    // A finished batch: rows, decisions, duration, score and characteristic PSI (when the
    // model has a reference), a batch_scored log line, then a push.
    void recordBatch(const std::string& model, const BatchSummary& summary,
                     std::optional<double> scorePsi, const std::vector<FeaturePsi>& featurePsi);
    void countError(ErrorKind kind);
    void requestPush();

    // A normal exit: stops pushing, then deletes this app's group (instance, app=gui) from
    // the gateway, so a closed GUI does not raise CwbNoRecentPush. Waits at most
    // min(push deadline, maxWait); the outcome is returned (and logged when it failed).
    HttpOutcome shutdown(std::chrono::milliseconds maxWait = std::chrono::milliseconds(1000));

    const Session& session() const { return m_session; }
    const PushStatus& pushStatus() const { return m_status; }
    RuntimeMetrics& metrics() { return m_metrics; }

signals:
    void pushed();   // after every push attempt
    void changed();  // something was recorded, or the configuration changed

private:
    void startPusher();

    MonitorConfig m_config;
    RuntimeMetrics m_metrics;  // before the pusher, which reads it from its thread
    std::unique_ptr<MetricsPusher> m_pusher;
    quint64 m_generation = 0;  // outcomes of a replaced pusher are ignored
    Session m_session;
    PushStatus m_status;
    std::string m_modelInfoKey;
};

}  // namespace cwb::ui
