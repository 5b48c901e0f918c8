#include "ScoringService.h"

#include "DecisionRecorder.h"
#include "store/RecordScore.h"

#include <httplib.h>

#include <chrono>

namespace cwb::serve {

namespace {

constexpr const char* kJson = "application/json";

// Per-request bookkeeping between the pre-routing handler and the logger, which httplib runs on
// the same worker thread as the handler itself.
struct RequestScope {
    bool active = false;
    std::chrono::steady_clock::time_point start;
    std::size_t applicants = 0;
};
thread_local RequestScope t_request;

const char* routeOf(const std::string& path) {
    static const char* const routes[] = {"/v1/score", "/v1/model", "/healthz",
                                         "/readyz",   "/metrics",  "/v1/admin/reload"};
    for (const char* route : routes)
        if (path == route) return route;
    return "other";
}

void sendJson(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJson);
}

std::string statusText(int status) {
    switch (status) {
        case 400:
            return "bad request";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "no such route";
        case 405:
            return "method not allowed";
        case 413:
            return "request body too large";
        case 414:
            return "request URI too long";
        case 503:
            return "not ready";
        default:
            return status >= 500 ? "internal error" : "request refused";
    }
}

// What the store keeps of each scored applicant (store/RecordScore.h), source "serve".
Result<std::vector<store::DecisionInput>> decisionsOf(const ServedModel& model,
                                                      const ScoreOutcome& outcome) {
    std::vector<store::DecisionInput> decisions;
    decisions.reserve(outcome.scored.size());
    for (const ScoredApplicant& a : outcome.scored) {
        auto input =
            store::makeDecisionInput(*model.bundle, model.sha256, a.values, a.result, "", "serve");
        if (!input) return input.error();
        decisions.push_back(std::move(*input));
    }
    return decisions;
}

}  // namespace

ScoringService::ScoringService(ServeOptions options, BearerTokens clientTokens,
                               BearerTokens adminTokens, std::unique_ptr<EventLog> log)
    : m_options(std::move(options)),
      m_clientTokens(std::move(clientTokens)),
      m_adminTokens(std::move(adminTokens)),
      m_log(std::move(log)),
      m_server(std::make_unique<httplib::Server>()) {}

ScoringService::~ScoringService() = default;

void ScoringService::setRecorder(std::unique_ptr<DecisionRecorder> recorder) {
    m_recorder = std::move(recorder);
}

Result<int> ScoringService::start() {
    auto model = ServedModel::load(m_options.modelPath);
    if (!model) return model.error();
    if (m_options.admitModel)
        if (auto admitted = m_options.admitModel(*(*model)->bundle); !admitted)
            return admitted.error();
    if (auto r = checkRecordable(**model); !r) return r.error();
    m_model.replace(*model);
    m_metrics.setModel((*model)->bundle->name, (*model)->bundle->version, (*model)->sha256);

    httplib::Server& server = *m_server;
    const int threads = m_options.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // httplib's default closes a connection after 5 requests; clients (and wrk) keep them open.
    server.set_keep_alive_max_count(100000);
    server.set_keep_alive_timeout(m_options.keepAliveSeconds);
    server.set_read_timeout(5);
    server.set_write_timeout(5);
    // Responses go out as header and body writes; without TCP_NODELAY, Nagle's algorithm holds
    // the body until the client's delayed ACK (tens of milliseconds).
    server.set_tcp_nodelay(true);
    server.set_payload_max_length(m_options.maxBodyBytes);
    installRoutes();

    int port = m_options.port;
    if (port == 0) {
        port = server.bind_to_any_port(m_options.host);
        if (port < 0) return Error::failure("cannot listen on " + m_options.host);
    } else if (!server.bind_to_port(m_options.host, port)) {
        return Error::failure("cannot listen on " + m_options.host + ":" + std::to_string(port) +
                              " (in use, or not an address of this machine)");
    }
    m_ready = true;
    m_metrics.setReady(true);
    m_log->write("listening", {{"host", m_options.host},
                               {"port", port},
                               {"threads", threads},
                               {"model", (*model)->identity},
                               {"authentication", !m_clientTokens.empty()},
                               {"admin_reload", !m_adminTokens.empty()}});
    return port;
}

Result<void> ScoringService::checkRecordable(const ServedModel& model) const {
    if (m_recorder && !model.bundle->schema.idColumn())
        return Error::badInput("'" + m_options.modelPath +
                               "' has no id column: recording decisions (--store) needs the "
                               "applicant's id, which the store finds and erases records by");
    return {};
}

bool ScoringService::run() {
    const bool ok = m_server->listen_after_bind();
    m_ready = false;
    m_metrics.setReady(false);
    m_log->write("stopped");
    return ok || m_stopping;
}

Result<std::shared_ptr<const ServedModel>> ScoringService::reload(const std::string& trigger) {
    std::lock_guard lock(m_reloadMutex);
    const auto started = std::chrono::steady_clock::now();
    auto model = ServedModel::load(m_options.modelPath);
    if (model && m_options.admitModel)
        if (auto admitted = m_options.admitModel(*(*model)->bundle); !admitted)
            model = admitted.error();
    if (model)
        if (auto r = checkRecordable(**model); !r) model = r.error();
    m_metrics.recordReload(model.ok());
    if (!model) {
        // The message names the file and what is wrong with it; no applicant data.
        m_log->write("reload_failed", {{"trigger", trigger}, {"reason", model.error().message}});
        return model.error();
    }
    const auto previous = m_model.current();
    m_model.replace(*model);
    m_metrics.setModel((*model)->bundle->name, (*model)->bundle->version, (*model)->sha256);
    m_log->write(
        "reloaded",
        {{"trigger", trigger},
         {"model", (*model)->identity},
         {"previous_sha256", previous ? previous->sha256 : ""},
         {"seconds",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
    return *model;
}

void ScoringService::beginShutdown(const std::string& reason) {
    if (m_stopping.exchange(true)) return;
    m_ready = false;
    m_metrics.setReady(false);
    m_log->write("shutdown_started",
                 {{"reason", reason}, {"drain_seconds", m_options.drainSeconds}});
}

bool ScoringService::stopNow() {
    m_stopping = true;
    if (m_listenerClosed) return true;
    // Between start() (which logs "listening") and run()'s listen loop, httplib's stop() finds
    // the server not running and does nothing: a SIGTERM sent as soon as the log said
    // "listening" was lost that way, and cwb serve ran on (seen under ASan, where the gap is
    // long). Once it runs, the first caller closes the listener, exactly once.
    if (!m_server->is_running()) return false;
    if (!m_listenerClosed.exchange(true)) m_server->stop();
    return true;
}

void ScoringService::installRoutes() {
    httplib::Server& server = *m_server;

    server.set_pre_routing_handler([this](const httplib::Request&, httplib::Response&) {
        t_request = {true, std::chrono::steady_clock::now(), 0};
        m_metrics.addInFlight(1);
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        const char* route = routeOf(req.path);
        double seconds = 0.0;
        if (t_request.active) {
            seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t_request.start)
                    .count();
            m_metrics.addInFlight(-1);
        }
        m_metrics.recordRequest(route, res.status, seconds);
        // Probes and scrapes come every few seconds from the platform: counted, not logged.
        if (route != std::string_view("/healthz") && route != std::string_view("/readyz") &&
            route != std::string_view("/metrics"))
            m_log->write("request", {{"method", req.method},
                                     {"route", route},
                                     {"status", res.status},
                                     {"ms", seconds * 1000.0},
                                     {"applicants", t_request.applicants},
                                     {"bytes_in", req.body.size()}});
        t_request = {};
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            nlohmann::json body = errorBody(statusText(res.status));
            if (res.status == 413)
                body["reason"] = "the body exceeds " + std::to_string(m_options.maxBodyBytes) +
                                 " bytes (--max-body-bytes)";
            sendJson(res, res.status, body);
            return httplib::Server::HandlerResponse::Handled;
        }));
    server.set_exception_handler(
        [this](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
            // A broken invariant: answered, counted and logged, never a crash.
            m_log->write("internal_error");
            sendJson(res, 500, errorBody("internal error"));
        });

    // Client routes accept client and admin tokens; with no client token configured they are
    // open (the README says to configure tokens in production).
    const auto authorised = [this](const httplib::Request& req, httplib::Response& res) {
        if (m_clientTokens.empty()) return true;
        const std::string header = req.get_header_value("Authorization");
        if (m_clientTokens.accepts(header) || m_adminTokens.accepts(header)) return true;
        res.set_header("WWW-Authenticate", "Bearer");
        sendJson(res, 401,
                 errorBody("unauthorized", "Authorization", "a valid bearer token is required"));
        return false;
    };

    server.Post("/v1/score",
                [this, authorised](const httplib::Request& req, httplib::Response& res) {
                    if (!authorised(req, res)) return;
                    const auto model = m_model.current();
                    if (!model) return sendJson(res, 503, errorBody("no model loaded"));
                    ScoreLimits limits = m_options.limits;
                    if (req.has_param("reasons")) {
                        const std::string text = req.get_param_value("reasons");
                        int k = -1;
                        if (text.size() <= 2 && !text.empty() &&
                            text.find_first_not_of("0123456789") == std::string::npos)
                            k = std::stoi(text);
                        if (k < 0 || k > 20)
                            return sendJson(res, 400,
                                            errorBody("invalid request", "reasons",
                                                      "must be a whole number from 0 to 20"));
                        limits.reasons = k;
                    }
                    limits.forRecording = m_recorder != nullptr;
                    ScoreOutcome outcome = scoreBody(*model, req.body, limits);
                    t_request.applicants = outcome.applicants;
                    if (outcome.status == 200 && m_recorder) {
                        auto decisions = decisionsOf(*model, outcome);
                        auto recorded = decisions ? m_recorder->record(std::move(*decisions))
                                                  : Result<std::size_t>(decisions.error());
                        if (!recorded) {
                            m_log->write("record_failed", {{"applicants", outcome.applicants},
                                                           {"reason", recorded.error().message}});
                            return sendJson(res, 503,
                                            errorBody("the decisions could not be recorded in "
                                                      "the store"));
                        }
                    }
                    if (outcome.status == 200)
                        m_metrics.recordDecisions(model->bundle->name, outcome.decisions);
                    else if (outcome.applicants > 0)
                        m_metrics.recordRefused(model->bundle->name, outcome.applicants);
                    sendJson(res, outcome.status, outcome.body);
                });
    server.Get("/v1/model",
               [this, authorised](const httplib::Request& req, httplib::Response& res) {
                   if (!authorised(req, res)) return;
                   const auto model = m_model.current();
                   if (!model) return sendJson(res, 503, errorBody("no model loaded"));
                   nlohmann::json body = model->description;
                   body["limits"] = {{"max_batch", m_options.limits.maxBatch},
                                     {"max_body_bytes", m_options.maxBodyBytes},
                                     {"default_reasons", m_options.limits.reasons}};
                   sendJson(res, 200, body);
               });
    server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
        sendJson(res, 200, {{"status", "ok"}});
    });
    server.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
        const auto model = m_model.current();
        if (!m_ready || !model)
            return sendJson(
                res, 503,
                {{"ready", false}, {"reason", m_stopping ? "shutting down" : "no model loaded"}});
        sendJson(res, 200, {{"ready", true}, {"model", model->identity}});
    });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(m_metrics.serialize(), "text/plain; version=0.0.4; charset=utf-8");
    });
    server.Post("/v1/admin/reload", [this](const httplib::Request& req, httplib::Response& res) {
        if (m_adminTokens.empty())
            return sendJson(res, 403,
                            errorBody("reload over HTTP is off", "",
                                      "no admin token is configured (--admin-token-file or "
                                      "CWB_SERVE_ADMIN_TOKENS); send SIGHUP instead"));
        if (!m_adminTokens.accepts(req.get_header_value("Authorization"))) {
            res.set_header("WWW-Authenticate", "Bearer");
            return sendJson(
                res, 401,
                errorBody("unauthorized", "Authorization", "an admin bearer token is required"));
        }
        auto model = reload("http");
        if (!model)
            return sendJson(res, 500,
                            errorBody("reload failed; the previous model is still served", "",
                                      model.error().message));
        sendJson(res, 200, {{"reloaded", true}, {"model", (*model)->identity}});
    });

    // Every other method on a known route: 405 with the methods it has.
    const auto notAllowed = [](const char* allow) {
        return [allow](const httplib::Request&, httplib::Response& res) {
            res.set_header("Allow", allow);
            sendJson(res, 405, errorBody("method not allowed", "", std::string("use ") + allow));
        };
    };
    for (const char* path : {"/v1/score", "/v1/admin/reload"}) {
        server.Get(path, notAllowed("POST"));
        server.Put(path, notAllowed("POST"));
        server.Patch(path, notAllowed("POST"));
        server.Delete(path, notAllowed("POST"));
        server.Options(path, notAllowed("POST"));
    }
    for (const char* path : {"/v1/model", "/healthz", "/readyz", "/metrics"}) {
        server.Post(path, notAllowed("GET, HEAD"));
        server.Put(path, notAllowed("GET, HEAD"));
        server.Patch(path, notAllowed("GET, HEAD"));
        server.Delete(path, notAllowed("GET, HEAD"));
        server.Options(path, notAllowed("GET, HEAD"));
    }
}

}  // namespace cwb::serve
