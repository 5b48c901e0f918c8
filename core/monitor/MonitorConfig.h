#pragma once
// Where and how often metrics are pushed, from (lowest to highest precedence):
//   1. the settings shared by the GUI and cwb: QSettings("CreditWorkbench", "credit-workbench"),
//      keys monitoring/pushgateway, monitoring/push_interval_s, monitoring/push_timeout_ms;
//   2. the environment: CWB_PUSHGATEWAY_URL (set but empty turns pushing off),
//      CWB_PUSH_INTERVAL_S, CWB_PUSH_TIMEOUT_MS;
//   3. command-line flags, applied by the caller on the returned value.
// Grouping labels of the push: instance = host name, app = gui | cli (job credit_workbench).

#include <chrono>
#include <string>

#include "monitor/PushClient.h"

namespace cwb {

struct MonitorConfig {
    std::string gatewayUrl;  // empty: metrics are kept but not pushed
    PushSchedule schedule;   // defaults: every 15 s, 2000 ms deadline per push
    std::string instance;    // host name
    std::string app = "cli";

    static MonitorConfig resolve(const std::string& app);
    bool pushing() const { return !gatewayUrl.empty(); }
    PushTarget target() const;
};

// This machine's host name ("unknown" if it has none).
std::string hostName();

}  // namespace cwb
