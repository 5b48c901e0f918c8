#pragma once
// Pushing metrics to a Prometheus pushgateway with a hard deadline.
//
// Why not prometheus::Gateway (prometheus-cpp 1.0.1): it has no timeout (libcurl's defaults can
// block for minutes on a gateway that accepts and never answers), its Push()/PushAdd() names
// are the reverse of the HTTP semantics, it does not escape grouping label values, and it
// prints error bodies on stdout (which would corrupt `cwb ... --json`). Waiting on it from a
// detached thread would leave a thread, a curl handle and the registry alive past the wait.
// Instead this is a small libcurl client driven by the multi interface: every request has a
// total deadline (CURLOPT_TIMEOUT_MS plus our own clock) and can be aborted within ~20 ms
// from another thread. prometheus-cpp still provides the registry, the metric types and the
// text format (RuntimeMetrics::serialize()). See docs/monitoring.md.
//
// MetricsPusher owns one worker thread that pushes periodically and on request, so the GUI
// thread and the scoring threads never wait for the network.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace cwb {

class JsonLog;
class RuntimeMetrics;

struct HttpOutcome {
    long status = 0;        // HTTP status; 0 when no response came back
    int curlCode = 0;       // CURLcode of the transfer; 0 = completed
    bool timedOut = false;  // the deadline passed
    bool aborted = false;   // abandoned on request (shutdown or a caller that gave up)
    double seconds = 0.0;   // measured wall time of the request
    std::string error;      // short text for logs; empty when ok()
    std::string body;       // response body, at most 1 MiB
    bool ok() const {
        return curlCode == 0 && !timedOut && !aborted && status >= 200 && status < 300;
    }
};

// One HTTP request (GET, PUT, POST or DELETE) that returns within `timeout` (+ ~20 ms), or
// within ~20 ms of `*abort` becoming true. Only http and https URLs are allowed.
HttpOutcome httpRequest(const std::string& method, const std::string& url, const std::string& body,
                        std::chrono::milliseconds timeout,
                        const std::atomic<bool>* abort = nullptr);

struct PushTarget {
    std::string url;  // e.g. http://gw.example:9091
    std::string job = "credit_workbench";
    std::vector<std::pair<std::string, std::string>> grouping;  // e.g. instance, app
};

// <url>/metrics/job/<job>/<label>/<value>...; values outside [A-Za-z0-9_.-] (or empty) are
// sent in the gateway's "<label>@base64/<urlsafe base64>" form, so any host name works.
std::string groupUrl(const PushTarget& target);
// scheme://host:port of a URL without user, password, path or query (for logs).
std::string redactedUrl(const std::string& url);

// PUT of the whole group: the gateway replaces every metric of the group (a metric removed
// from the registry disappears from the gateway too).
HttpOutcome pushMetrics(const PushTarget& target, const std::string& exposition,
                        std::chrono::milliseconds timeout,
                        const std::atomic<bool>* abort = nullptr);
// DELETE of the group (202 on success), e.g. when the GUI closes normally.
HttpOutcome deleteGroup(const PushTarget& target, std::chrono::milliseconds timeout);

struct PushSchedule {
    std::chrono::milliseconds interval{15000};  // periodic pushes; 0 = only on request
    std::chrono::milliseconds timeout{2000};    // deadline of one push
};

class MetricsPusher {
public:
    struct Stats {
        std::uint64_t attempts = 0;
        std::uint64_t failures = 0;
        HttpOutcome last;
        std::chrono::system_clock::time_point lastTime{};  // when the last attempt ended
    };
    // Called on the worker thread after every push attempt, with no lock held, e.g. to post
    // the outcome to a GUI. It must return quickly and must not call back into the pusher's
    // flush() (stats() is fine).
    using Observer = std::function<void(const Stats&)>;

    MetricsPusher(RuntimeMetrics& metrics, PushTarget target, PushSchedule schedule, JsonLog& log,
                  Observer observer = {});
    // Aborts a push in flight (within ~20 ms) and joins the worker.
    ~MetricsPusher();
    MetricsPusher(const MetricsPusher&) = delete;
    MetricsPusher& operator=(const MetricsPusher&) = delete;

    // Asks for a push as soon as the worker is free (e.g. at the end of a GUI batch); returns
    // at once.
    void requestPush();
    // Pushes the current metrics and waits at most `wait` for that push. When the wait runs
    // out, the push is abandoned (a push in flight is aborted) and counted as failed. Used by
    // the command line at the end of a batch, so a dead or silent gateway delays the exit by
    // `wait` at most.
    HttpOutcome flush(std::chrono::milliseconds wait);

    Stats stats() const;
    const PushTarget& target() const { return m_target; }

private:
    void run();
    HttpOutcome pushOnce();
    void recordFailureLocked(const HttpOutcome& outcome);

    RuntimeMetrics& m_metrics;
    const PushTarget m_target;
    const PushSchedule m_schedule;
    JsonLog& m_log;
    const Observer m_observer;

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::uint64_t m_requested = 0;  // request numbers handed out
    std::uint64_t m_served = 0;     // requests covered by a finished push
    std::uint64_t m_dropped = 0;    // requests a caller gave up on: not pushed any more
    bool m_busy = false;            // a push is in flight
    bool m_stop = false;
    Stats m_stats;
    std::atomic<bool> m_abort{false};
    std::thread m_thread;  // last: starts after every other member is ready
};

}  // namespace cwb
