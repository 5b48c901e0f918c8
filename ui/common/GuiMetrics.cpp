#include "ui/common/GuiMetrics.h"

#include <QMetaObject>

#include <algorithm>

#include "monitor/JsonLog.h"
#include "scoring/BatchScorer.h"
#include "scoring/ModelBundle.h"
#include "ui/common/AppSettings.h"

namespace cwb::ui {

namespace {
const char* errorKindName(ErrorKind kind) {
    return kind == ErrorKind::BadInput ? "bad_input" : "failure";
}
}  // namespace

GuiMetrics::GuiMetrics(MonitorConfig config, QObject* parent)
    : QObject(parent), m_config(std::move(config)) {
    startPusher();
}

GuiMetrics::~GuiMetrics() {
    // Joins the worker before the registry it reads goes away.
    m_pusher.reset();
}

MonitorConfig GuiMetrics::resolveConfig() {
    const AppSettings settings = AppSettings::load();
    MonitorSettings stored;
    stored.gatewayUrl = settings.pushgatewayUrl.toStdString();
    stored.pushIntervalS = settings.pushIntervalS;
    stored.pushTimeoutMs = settings.pushTimeoutMs;
    return MonitorConfig::resolve("gui", stored);
}

QString GuiMetrics::urlSource() const {
    if (qEnvironmentVariableIsSet("CWB_PUSHGATEWAY_URL")) return QStringLiteral("environment");
    return m_config.pushing() ? QStringLiteral("settings") : QStringLiteral("none");
}

void GuiMetrics::startPusher() {
    const quint64 generation = ++m_generation;
    m_status = {};
    if (!m_config.pushing()) {
        JsonLog::instance().debug("push_disabled", {{"reason", "no pushgateway configured"}});
        return;
    }
    // The observer runs on the pusher's thread: hand the outcome over to the GUI thread. A
    // queued call to a destroyed receiver is dropped by Qt, and the pusher is joined before
    // this object dies, so `this` is valid whenever the call runs.
    auto observer = [this, generation](const MetricsPusher::Stats& stats) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, stats] {
                if (generation != m_generation) return;  // from a replaced pusher
                m_status.attempts = stats.attempts;
                m_status.failures = stats.failures;
                m_status.last = stats.last;
                m_status.lastTime = QDateTime::fromMSecsSinceEpoch(
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        stats.lastTime.time_since_epoch())
                        .count());
                emit pushed();
            },
            Qt::QueuedConnection);
    };
    m_pusher = std::make_unique<MetricsPusher>(m_metrics, m_config.target(), m_config.schedule,
                                               JsonLog::instance(), std::move(observer));
}

void GuiMetrics::reconfigure(MonitorConfig config) {
    m_pusher.reset();  // aborts a push in flight within ~20 ms
    m_config = std::move(config);
    startPusher();
    if (m_pusher) m_pusher->requestPush();
    emit changed();
}

void GuiMetrics::setModel(const ModelBundle* bundle) {
    if (!bundle || !bundle->model) return;
    const std::string key = bundle->name + '\n' + bundle->version;
    if (key == m_modelInfoKey) return;  // settings re-applied to the same model
    m_modelInfoKey = key;
    m_metrics.setModelInfo(bundle->name, bundle->version, bundle->model->algorithm());
    requestPush();
    emit changed();
}

void GuiMetrics::recordScore(const std::string& model, Decision decision, double seconds) {
    const std::string name = toString(decision);
    m_metrics.recordScore(model, name, seconds);
    ++m_session.scores[name];
    emit changed();
}

void GuiMetrics::recordBatch(const std::string& model, const BatchSummary& summary,
                             std::optional<double> scorePsi,
                             const std::vector<FeaturePsi>& featurePsi) {
    m_metrics.recordBatch(model, summary);
    if (scorePsi) m_metrics.setScorePsi(model, *scorePsi);
    m_metrics.setFeaturePsi(model, featurePsi);
    ++m_session.batches;
    m_session.batchRowsScored += summary.rowsScored;
    m_session.batchRowsRejected += summary.rowsRejected;
    m_session.lastScorePsi = scorePsi;
    // The same event as cwb's, so one log search covers both (counts only, no paths).
    JsonLog& log = JsonLog::instance();
    log.info("batch_scored",
             {{"model", model},
              {"rows_read", summary.rowsRead},
              {"rows_scored", summary.rowsScored},
              {"rows_rejected", summary.rowsRejected},
              {"decisions", summary.decisions},
              {"seconds", summary.seconds},
              {"rows_per_second",
               summary.seconds > 0 ? static_cast<double>(summary.rowsRead) / summary.seconds : 0.0},
              {"score_psi", scorePsi ? nlohmann::json(*scorePsi) : nlohmann::json(nullptr)}});
    if (scorePsi && *scorePsi > 0.25)
        log.warn("score_drift", {{"model", model}, {"score_psi", *scorePsi}});
    requestPush();
    emit changed();
}

void GuiMetrics::countError(ErrorKind kind) {
    m_metrics.countError(errorKindName(kind));
    ++m_session.errors;
    JsonLog::instance().error("score_failed", {{"stage", "score"}, {"kind", errorKindName(kind)}});
    requestPush();
    emit changed();
}

void GuiMetrics::requestPush() {
    if (m_pusher) m_pusher->requestPush();
}

HttpOutcome GuiMetrics::shutdown(std::chrono::milliseconds maxWait) {
    if (!m_pusher) return {};
    // Stop pushing first: a push landing after the DELETE would bring the group back.
    m_pusher.reset();
    ++m_generation;
    const auto wait = std::min(maxWait, m_config.schedule.timeout);
    HttpOutcome outcome = deleteGroup(m_config.target(), wait);
    if (!outcome.ok())
        JsonLog::instance().warn("push_failed", {{"gateway", redactedUrl(m_config.gatewayUrl)},
                                                 {"request", "delete"},
                                                 {"status", outcome.status},
                                                 {"curl_code", outcome.curlCode},
                                                 {"timed_out", outcome.timedOut},
                                                 {"seconds", outcome.seconds},
                                                 {"error", outcome.error}});
    return outcome;
}

}  // namespace cwb::ui
