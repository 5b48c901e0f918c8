#pragma once
// Where and how often metrics are pushed, from (lowest to highest precedence):
//   1. the stored settings, passed in by the caller (MonitorSettings): the GUI's AppSettings, and
//      in cwb the same settings file read by app/cli (QSettings("CreditWorkbench",
//      "credit-workbench"), keys monitoring/pushgateway, push_interval_s, push_timeout_ms). The
//      engine itself never reads an application's settings;
//   2. the environment: CWB_PUSHGATEWAY_URL (set but empty turns pushing off),
//      CWB_PUSH_INTERVAL_S, CWB_PUSH_TIMEOUT_MS;
//   3. command-line flags, applied by the caller on the returned value.
// Grouping labels of the push: instance = host name, app = gui | cli (job credit_workbench).

#include <chrono>
#include <string>

#include "monitor/PushClient.h"

namespace cwb {

// The monitoring values as stored in the user's settings.
struct MonitorSettings {
    std::string gatewayUrl;  // empty: no pushing (unless the environment names a gateway)
    long long pushIntervalS = 15;
    long long pushTimeoutMs = 2000;
};

struct MonitorConfig {
    std::string gatewayUrl;  // empty: metrics are kept but not pushed
    PushSchedule schedule;   // defaults: every 15 s, 2000 ms deadline per push
    std::string instance;    // host name
    std::string app = "cli";

    // The stored settings with the environment on top. Non-positive stored values fall back to
    // the defaults.
    static MonitorConfig resolve(const std::string& app, const MonitorSettings& stored);
    bool pushing() const { return !gatewayUrl.empty(); }
    PushTarget target() const;
};

// This machine's host name ("unknown" if it has none).
std::string hostName();

}  // namespace cwb
