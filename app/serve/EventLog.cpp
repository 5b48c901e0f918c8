#include "EventLog.h"

#include <chrono>
#include <ctime>

namespace cwb::serve {

namespace {

std::string utcNow() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[40];
    const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis));
    return text;
}

}  // namespace

Result<std::unique_ptr<EventLog>> EventLog::open(const std::string& target) {
    std::unique_ptr<EventLog> log(new EventLog());
    if (target == "off") return log;
    if (target == "-") {
        log->m_file = stdout;
        return log;
    }
    log->m_file = std::fopen(target.c_str(), "ae");
    if (!log->m_file) return Error::badInput("log file '" + target + "' cannot be opened");
    log->m_ownsFile = true;
    return log;
}

EventLog::~EventLog() {
    if (m_ownsFile && m_file) std::fclose(m_file);
}

void EventLog::write(std::string_view event, nlohmann::json fields) {
    if (!m_file) return;
    nlohmann::json line = {{"time", utcNow()}, {"event", event}};
    line.update(fields);
    const std::string text =
        line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(m_mutex);
    std::fwrite(text.data(), 1, text.size(), m_file);
    std::fflush(m_file);  // one line per event, visible at once to the collector
}

}  // namespace cwb::serve
