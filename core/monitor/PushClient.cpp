#include "monitor/PushClient.h"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include <nlohmann/json.hpp>

#include "monitor/JsonLog.h"
#include "monitor/RuntimeMetrics.h"

namespace cwb {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxBody = 1u << 20;
constexpr long kPollMs = 20;  // how soon an abort or our own deadline is noticed

std::size_t collectBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    const std::size_t n = size * count;
    // Keep the start of a large answer but accept all bytes (returning less aborts curl).
    if (body->size() < kMaxBody) body->append(data, std::min(n, kMaxBody - body->size()));
    return n;
}

bool safeLabelValue(const std::string& value) {
    return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == '-';
    });
}

// RFC 4648 section 5 (URL- and file-name-safe alphabet), as the pushgateway expects.
std::string base64Url(const std::string& in) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                           (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        for (int shift : {18, 12, 6, 0})
            out.push_back(alphabet[(v >> shift) & 63]);
    }
    if (const std::size_t rest = in.size() - i; rest > 0) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out.push_back(alphabet[(v >> 18) & 63]);
        out.push_back(alphabet[(v >> 12) & 63]);
        out += rest == 2 ? std::string(1, alphabet[(v >> 6) & 63]) + "=" : std::string("==");
    }
    return out.empty() ? "=" : out;  // the gateway's spelling of an empty value
}

std::string pathSegment(const std::string& name, const std::string& value) {
    return safeLabelValue(value) ? name + "/" + value : name + "@base64/" + base64Url(value);
}

struct CurlCleanup {
    CURLM* multi = nullptr;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    ~CurlCleanup() {
        if (multi && easy) curl_multi_remove_handle(multi, easy);
        if (easy) curl_easy_cleanup(easy);
        if (multi) curl_multi_cleanup(multi);
        if (headers) curl_slist_free_all(headers);
    }
};

}  // namespace

HttpOutcome httpRequest(const std::string& method, const std::string& url, const std::string& body,
                        std::chrono::milliseconds timeout, const std::atomic<bool>* abort) {
    // curl_global_init is thread-safe only in libcurl >= 7.84; once per process is enough.
    static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    HttpOutcome out;
    const auto started = Clock::now();
    const auto finish = [&](HttpOutcome& o) -> HttpOutcome& {
        o.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return o;
    };
    char detail[CURL_ERROR_SIZE] = {0};  // before c: curl may write to it until cleanup
    CurlCleanup c;
    if (!initialized || !(c.easy = curl_easy_init()) || !(c.multi = curl_multi_init())) {
        out.curlCode = CURLE_FAILED_INIT;
        out.error = "libcurl could not be initialised";
        return finish(out);
    }
    const long ms = static_cast<long>(std::max<std::int64_t>(1, timeout.count()));
    curl_easy_setopt(c.easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c.easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c.easy, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a multi-threaded program
    curl_easy_setopt(c.easy, CURLOPT_TIMEOUT_MS, ms);
    curl_easy_setopt(c.easy, CURLOPT_CONNECTTIMEOUT_MS, ms);
    curl_easy_setopt(c.easy, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt(c.easy, CURLOPT_WRITEFUNCTION, collectBody);
    curl_easy_setopt(c.easy, CURLOPT_WRITEDATA, &out.body);
    if (method == "GET") {
        curl_easy_setopt(c.easy, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(c.easy, CURLOPT_CUSTOMREQUEST, method.c_str());
        if (method != "DELETE" || !body.empty()) {
            curl_easy_setopt(c.easy, CURLOPT_POSTFIELDS, body.data());
            curl_easy_setopt(c.easy, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(body.size()));
        }
    }
    c.headers =
        curl_slist_append(c.headers, "Content-Type: text/plain; version=0.0.4; charset=utf-8");
    // Without this, curl waits up to a second for "100 Continue" before sending a large body.
    c.headers = curl_slist_append(c.headers, "Expect:");
    curl_easy_setopt(c.easy, CURLOPT_HTTPHEADER, c.headers);
    curl_multi_add_handle(c.multi, c.easy);

    // Drive the transfer ourselves rather than with curl_easy_perform, so an abort request and
    // our own deadline are seen within kPollMs whatever state curl is in (DNS, connect, read).
    const auto deadline = started + timeout + std::chrono::milliseconds(kPollMs);
    int running = 1;
    while (running) {
        if (const CURLMcode mc = curl_multi_perform(c.multi, &running); mc != CURLM_OK) {
            out.curlCode = CURLE_FAILED_INIT;
            out.error = curl_multi_strerror(mc);
            return finish(out);
        }
        if (!running) break;
        if (abort && abort->load()) {
            out.aborted = true;
            finish(out);
            out.error =
                "abandoned after " + std::to_string(std::lround(out.seconds * 1000)) + " ms";
            return out;
        }
        if (Clock::now() >= deadline) {
            out.timedOut = true;
            out.curlCode = CURLE_OPERATION_TIMEDOUT;
            out.error = "no answer within " + std::to_string(ms) + " ms";
            return finish(out);
        }
        curl_multi_poll(c.multi, nullptr, 0, kPollMs, nullptr);
    }
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(c.multi, &left))
        if (msg->msg == CURLMSG_DONE) out.curlCode = msg->data.result;
    curl_easy_getinfo(c.easy, CURLINFO_RESPONSE_CODE, &out.status);
    if (out.curlCode == CURLE_OPERATION_TIMEDOUT) out.timedOut = true;
    if (out.curlCode != CURLE_OK) {
        out.error = detail[0] ? detail : curl_easy_strerror(static_cast<CURLcode>(out.curlCode));
    } else if (out.status < 200 || out.status >= 300) {
        // The gateway explains a refusal (e.g. a type clash) in one short line.
        out.error = "HTTP " + std::to_string(out.status) + ": " + out.body.substr(0, 200);
        while (!out.error.empty() && (out.error.back() == '\n' || out.error.back() == ' '))
            out.error.pop_back();
    }
    return finish(out);
}

std::string groupUrl(const PushTarget& target) {
    std::string url = target.url;
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    url += "/metrics/" + pathSegment("job", target.job);
    for (const auto& [name, value] : target.grouping)
        url += "/" + pathSegment(name, value);
    return url;
}

std::string redactedUrl(const std::string& url) {
    const auto scheme = url.find("://");
    const std::size_t hostStart = scheme == std::string::npos ? 0 : scheme + 3;
    std::size_t hostEnd = url.find_first_of("/?#", hostStart);
    if (hostEnd == std::string::npos) hostEnd = url.size();
    std::string host = url.substr(hostStart, hostEnd - hostStart);
    if (const auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
    return url.substr(0, hostStart) + host;
}

HttpOutcome pushMetrics(const PushTarget& target, const std::string& exposition,
                        std::chrono::milliseconds timeout, const std::atomic<bool>* abort) {
    return httpRequest("PUT", groupUrl(target), exposition, timeout, abort);
}

HttpOutcome deleteGroup(const PushTarget& target, std::chrono::milliseconds timeout) {
    return httpRequest("DELETE", groupUrl(target), {}, timeout);
}

// ---------------------------------------------------------------------------------------------

MetricsPusher::MetricsPusher(RuntimeMetrics& metrics, PushTarget target, PushSchedule schedule,
                             JsonLog& log, Observer observer)
    : m_metrics(metrics),
      m_target(std::move(target)),
      m_schedule(schedule),
      m_log(log),
      m_observer(std::move(observer)),
      m_thread([this] { run(); }) {}

MetricsPusher::~MetricsPusher() {
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
        m_abort = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

void MetricsPusher::requestPush() {
    {
        const std::lock_guard lock(m_mutex);
        ++m_requested;
    }
    m_cv.notify_all();
}

HttpOutcome MetricsPusher::flush(std::chrono::milliseconds wait) {
    const auto started = Clock::now();
    std::unique_lock lock(m_mutex);
    const std::uint64_t mine = ++m_requested;
    m_cv.notify_all();
    if (m_cv.wait_until(lock, started + wait, [&] { return m_served >= mine || m_stop; }) &&
        m_served >= mine)
        return m_stats.last;

    // Give up: no push for this request any more, and a push in flight is abandoned. The
    // worker counts an aborted push as a failure; if none was in flight, count it here.
    m_dropped = std::max(m_dropped, mine);
    HttpOutcome out;
    out.timedOut = true;
    out.error = "gave up waiting for the push after " + std::to_string(wait.count()) + " ms";
    if (m_busy) {
        m_abort = true;
        m_cv.wait_for(lock, std::chrono::milliseconds(500), [&] { return !m_busy; });
    } else {
        recordFailureLocked(out);
    }
    out.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return out;
}

MetricsPusher::Stats MetricsPusher::stats() const {
    const std::lock_guard lock(m_mutex);
    return m_stats;
}

HttpOutcome MetricsPusher::pushOnce() {
    m_metrics.updateProcessStats();
    return pushMetrics(m_target, m_metrics.serialize(), m_schedule.timeout, &m_abort);
}

void MetricsPusher::recordFailureLocked(const HttpOutcome& outcome) {
    ++m_stats.failures;
    m_metrics.countPushFailure();
    m_log.warn("push_failed", {{"gateway", redactedUrl(m_target.url)},
                               {"status", outcome.status},
                               {"curl_code", outcome.curlCode},
                               {"timed_out", outcome.timedOut},
                               {"aborted", outcome.aborted},
                               {"seconds", outcome.seconds},
                               {"timeout_ms", m_schedule.timeout.count()},
                               {"error", outcome.error}});
}

void MetricsPusher::run() {
    const bool periodic = m_schedule.interval.count() > 0;
    // Without periodic pushes, wake up once an hour anyway (keeps wait_until away from
    // time_point::max(), which some implementations overflow).
    const auto period = periodic ? m_schedule.interval : std::chrono::milliseconds(3600000);
    auto next = Clock::now() + period;
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_cv.wait_until(lock, next, [&] { return m_stop || m_requested > m_served; });
        if (m_stop) break;
        const bool due = periodic && Clock::now() >= next;
        const bool requested = m_requested > m_served;
        if (!due && !requested) {
            if (Clock::now() >= next) next = Clock::now() + period;
            continue;
        }
        const std::uint64_t serving = m_requested;
        if (!due && serving <= m_dropped) {  // only requests somebody gave up on
            m_served = serving;
            continue;
        }
        m_busy = true;
        lock.unlock();
        const HttpOutcome outcome = pushOnce();
        m_metrics.setLastPushSeconds(outcome.seconds);
        lock.lock();
        m_busy = false;
        m_abort = m_stop;  // an abort was meant for this push only, unless we are stopping
        m_served = std::max(m_served, serving);
        ++m_stats.attempts;
        m_stats.last = outcome;
        m_stats.lastTime = std::chrono::system_clock::now();
        if (outcome.ok())
            m_log.debug("push_ok", {{"gateway", redactedUrl(m_target.url)},
                                    {"status", outcome.status},
                                    {"seconds", outcome.seconds}});
        else
            recordFailureLocked(outcome);
        next = Clock::now() + period;
        m_cv.notify_all();
        if (m_observer) {
            const Stats snapshot = m_stats;
            lock.unlock();
            m_observer(snapshot);
            lock.lock();
        }
    }
}

}  // namespace cwb
