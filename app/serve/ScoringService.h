#pragma once
// `cwb serve`: the HTTP/JSON scoring service over the engine (docs/serve.md), on cpp-httplib
// (decision 27 in docs/decisions.md). Routes: POST /v1/score, GET /v1/model,
// GET /healthz, GET /readyz, GET /metrics, POST /v1/admin/reload.
//
// Threads: httplib's pool serves each open connection on one thread while it stays open
// (keep-alive), so --threads bounds the connections served at once; more wait for a free thread.
// A reload swaps the model between requests (ModelSlot); a request holds the model it started
// with. Shutdown turns readiness off, waits the drain time while still serving, then stops
// accepting and returns from run() once every request being handled has been answered.

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "BearerTokens.h"
#include "EventLog.h"
#include "ScoreRequest.h"
#include "ServeMetrics.h"
#include "ServedModel.h"
#include "common/Result.h"

namespace httplib {
class Server;
}

namespace cwb::serve {

class DecisionRecorder;  // DecisionRecorder.h (the store: QtSql), kept out of this header

struct ServeOptions {
    std::string modelPath;
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: a free port chosen by the kernel (logged in the "listening" event)
    int threads = 32;
    std::size_t maxBodyBytes = 1u << 20;
    ScoreLimits limits;
    double drainSeconds = 0.0;
    int keepAliveSeconds = 2;
    // When set, every model loaded (at start and at each reload) must pass it, else the start
    // fails or the reload is refused and the old model keeps serving (`--require-approved`:
    // the registry's approval check, which lives with the store, outside this library).
    std::function<Result<void>(const ModelBundle&)> admitModel;
    // --store: record every scored applicant in this workbench store as storeUser (the password
    // from CWB_PASSWORD, never the command line). Empty: nothing is recorded.
    std::string storePath;
    std::string storeUser;
};

class ScoringService {
public:
    ScoringService(ServeOptions options, BearerTokens clientTokens, BearerTokens adminTokens,
                   std::unique_ptr<EventLog> log);
    ~ScoringService();

    // Loads the model and binds the port; returns the port.
    Result<int> start();
    // Serves until stop() or shutdown(); false when the server failed.
    bool run();
    // Re-reads the model file; the old model keeps serving when the new one cannot be loaded.
    // trigger ("signal" or "http") is logged. Reloads are serialised.
    Result<std::shared_ptr<const ServedModel>> reload(const std::string& trigger);
    // Graceful shutdown, in two steps so the caller times the drain (ServeRun): readiness off
    // (requests are still served, so a load balancer can take the instance out first), then
    // stopNow(): no new connections, and run() returns once the requests being handled are
    // answered. Both are safe from any thread. stopNow() is false while run() has not begun
    // listening yet (httplib's stop() would then do nothing and run() would never return): the
    // caller asks again a moment later, until it is true.
    void beginShutdown(const std::string& reason);
    bool stopNow();

    bool ready() const { return m_ready.load(); }
    // Records every scored applicant from now on (set before run()).
    void setRecorder(std::unique_ptr<DecisionRecorder> recorder);

private:
    void installRoutes();
    // With a recorder, a model must have an id column.
    Result<void> checkRecordable(const ServedModel& model) const;

    ServeOptions m_options;
    BearerTokens m_clientTokens;
    BearerTokens m_adminTokens;
    std::unique_ptr<EventLog> m_log;
    ServeMetrics m_metrics;
    ModelSlot m_model;
    std::unique_ptr<DecisionRecorder> m_recorder;  // declared before the server: outlives it
    std::unique_ptr<httplib::Server> m_server;
    std::mutex m_reloadMutex;
    std::atomic<bool> m_ready{false};
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_listenerClosed{false};
};

}  // namespace cwb::serve
