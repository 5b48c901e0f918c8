#pragma once
// The service's log: one JSON object per line on standard output (where container platforms
// collect it) or appended to a file. Request lines carry the method, route, status, duration and
// applicant count only: no bodies, no applicant values or identifiers, no client addresses, no
// query strings, no tokens (docs/serve.md). Thread-safe; a write failure never fails a request.

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/Result.h"

namespace cwb::serve {

class EventLog {
public:
    // target: "-" for standard output, "off" for nothing, otherwise a file appended to.
    static Result<std::unique_ptr<EventLog>> open(const std::string& target);
    ~EventLog();

    void write(std::string_view event, nlohmann::json fields = nlohmann::json::object());

private:
    EventLog() = default;
    std::mutex m_mutex;
    std::FILE* m_file = nullptr;
    bool m_ownsFile = false;
};

}  // namespace cwb::serve
