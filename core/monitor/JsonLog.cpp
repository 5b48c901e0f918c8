#include "monitor/JsonLog.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace cwb {

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

std::optional<LogLevel> logLevelFromString(std::string_view text) {
    if (text == "debug") return LogLevel::Debug;
    if (text == "info") return LogLevel::Info;
    if (text == "warn" || text == "warning") return LogLevel::Warn;
    if (text == "error") return LogLevel::Error;
    if (text == "off") return LogLevel::Off;
    return std::nullopt;
}

std::string_view toString(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return "debug";
        case LogLevel::Info:
            return "info";
        case LogLevel::Warn:
            return "warn";
        case LogLevel::Error:
            return "error";
        case LogLevel::Off:
            break;
    }
    return "off";
}

JsonLog::~JsonLog() {
    const std::lock_guard lock(m_mutex);
    closeLocked();
}

JsonLog& JsonLog::instance() {
    static JsonLog log;
    return log;
}

std::string JsonLog::defaultLogDirectory() {
    // The spec says a relative XDG_STATE_HOME is invalid and must be ignored.
    const char* state = std::getenv("XDG_STATE_HOME");
    if (state && state[0] == '/') return std::string(state) + "/credit-workbench";
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.local/state/credit-workbench";
}

void JsonLog::configure(LogConfig config) {
    const std::lock_guard lock(m_mutex);
    closeLocked();
    if (config.directory.empty()) config.directory = defaultLogDirectory();
    m_config = std::move(config);
    m_path = m_config.directory + "/" + m_config.app + ".log";
    m_level = m_config.level;
}

bool JsonLog::enabled(LogLevel level) const {
    const LogLevel threshold = m_level.load(std::memory_order_relaxed);
    return threshold != LogLevel::Off && level >= threshold && level != LogLevel::Off;
}

std::string JsonLog::path() const {
    const std::lock_guard lock(m_mutex);
    return m_level == LogLevel::Off ? std::string() : m_path;
}

void JsonLog::write(LogLevel level, std::string_view event, const nlohmann::json& fields) {
    if (!enabled(level)) return;
    const std::lock_guard lock(m_mutex);
    // ordered_json: keys in this order, so the lines read naturally (time first).
    const nlohmann::ordered_json line = {
        {"time", utcNow()},
        {"level", toString(level)},
        {"event", event},
        {"app", m_config.app},
        {"pid", static_cast<long>(::getpid())},
        {"fields", fields.is_object() ? fields : nlohmann::json::object()}};
    // Invalid UTF-8 in a field must not throw out of a log call.
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text.push_back('\n');
    if (m_level == LogLevel::Off || !openLocked()) return;
    if (m_size > 0 && m_size + text.size() > m_config.maxBytes) {
        rotateLocked();
        if (!openLocked()) return;
    }
    if (std::fwrite(text.data(), 1, text.size(), m_file) != text.size() ||
        std::fflush(m_file) != 0) {
        closeLocked();
        m_level = LogLevel::Off;  // disk full or file gone: stop trying, keep working
        return;
    }
    m_size += text.size();
}

// Opens (or reopens) the file. Several processes (GUI and cwb runs) may share the directory;
// when another one rotated the file away, the path names a new inode and we follow it.
bool JsonLog::openLocked() {
    struct stat onDisk {};
    if (m_file) {
        struct stat open {};
        if (::stat(m_path.c_str(), &onDisk) == 0 && ::fstat(::fileno(m_file), &open) == 0 &&
            onDisk.st_ino == open.st_ino && onDisk.st_dev == open.st_dev) {
            m_size = static_cast<std::size_t>(open.st_size);
            return true;
        }
        closeLocked();
    }
    std::error_code ec;
    // The logs are the user's own operational records: a directory we create is private.
    if (std::filesystem::create_directories(m_config.directory, ec))
        std::filesystem::permissions(m_config.directory, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, ec);
    if (ec) {
        m_level = LogLevel::Off;
        return false;
    }
    m_file = std::fopen(m_path.c_str(), "a");
    if (!m_file) {
        m_level = LogLevel::Off;
        return false;
    }
    m_size = ::fstat(::fileno(m_file), &onDisk) == 0 ? static_cast<std::size_t>(onDisk.st_size) : 0;
    return true;
}

void JsonLog::rotateLocked() {
    closeLocked();
    const int keep = std::max(m_config.keep, 0);
    std::error_code ec;
    if (keep == 0) {
        std::filesystem::remove(m_path, ec);
        return;
    }
    std::filesystem::remove(m_path + "." + std::to_string(keep), ec);
    for (int i = keep - 1; i >= 1; --i)
        std::filesystem::rename(m_path + "." + std::to_string(i),
                                m_path + "." + std::to_string(i + 1), ec);
    std::filesystem::rename(m_path, m_path + ".1", ec);
}

void JsonLog::closeLocked() {
    if (m_file) std::fclose(m_file);
    m_file = nullptr;
    m_size = 0;
}

}  // namespace cwb
