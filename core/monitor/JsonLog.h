#pragma once
// Structured logs: one JSON object per line,
//   {"time":"2024-05-01T12:00:00.123Z","level":"info","event":"batch_scored","app":"cli",
//    "pid":123,"fields":{...}}
// appended to <state dir>/<app>.log, where the state directory is
// $XDG_STATE_HOME/credit-workbench (or ~/.local/state/credit-workbench). Files rotate by size
// (<app>.log.1 ... .N). Callers log counts, durations, model names and error kinds only, never
// row values, identifiers or file paths (no personal data; DESIGN.md "Monitoring").
//
// Logging never fails the program: a directory that cannot be created or a full disk turns
// logging off for the rest of the process. Thread-safe.

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cwb {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };

std::optional<LogLevel> logLevelFromString(std::string_view text);  // debug|info|warn|error|off
std::string_view toString(LogLevel level);

struct LogConfig {
    std::string directory;    // empty: defaultLogDirectory()
    std::string app = "cli";  // file name <app>.log and the "app" key
    LogLevel level = LogLevel::Info;
    std::size_t maxBytes = 5u << 20;  // rotate when the file would grow beyond this
    int keep = 3;                     // rotated files kept (<app>.log.1 .. .keep)
};

class JsonLog {
public:
    JsonLog() = default;
    explicit JsonLog(LogConfig config) { configure(std::move(config)); }
    ~JsonLog();
    JsonLog(const JsonLog&) = delete;
    JsonLog& operator=(const JsonLog&) = delete;

    // The process-wide log, configured once by main(); off until configured.
    static JsonLog& instance();
    // $XDG_STATE_HOME/credit-workbench when XDG_STATE_HOME is an absolute path, else
    // $HOME/.local/state/credit-workbench (XDG Base Directory Specification 0.8).
    static std::string defaultLogDirectory();

    void configure(LogConfig config);
    bool enabled(LogLevel level) const;
    std::string path() const;  // the current file ("" when off)

    void write(LogLevel level, std::string_view event,
               const nlohmann::json& fields = nlohmann::json::object());
    void debug(std::string_view event, const nlohmann::json& f = nlohmann::json::object()) {
        write(LogLevel::Debug, event, f);
    }
    void info(std::string_view event, const nlohmann::json& f = nlohmann::json::object()) {
        write(LogLevel::Info, event, f);
    }
    void warn(std::string_view event, const nlohmann::json& f = nlohmann::json::object()) {
        write(LogLevel::Warn, event, f);
    }
    void error(std::string_view event, const nlohmann::json& f = nlohmann::json::object()) {
        write(LogLevel::Error, event, f);
    }

private:
    bool openLocked();
    void rotateLocked();
    void closeLocked();

    mutable std::mutex m_mutex;
    LogConfig m_config;
    std::atomic<LogLevel> m_level{LogLevel::Off};  // apart from m_config: enabled() takes no lock
    std::string m_path;
    std::FILE* m_file = nullptr;
    std::size_t m_size = 0;
};

}  // namespace cwb
