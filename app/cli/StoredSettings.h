#pragma once
// The settings file cwb shares with the GUI, read here at the application's edge so the engine
// is handed values and never reads an application's settings itself.

#include "monitor/MonitorConfig.h"

namespace cwb::cli {

// monitoring/pushgateway, push_interval_s and push_timeout_ms of
// QSettings("CreditWorkbench", "credit-workbench"); defaults when unset.
MonitorSettings storedMonitorSettings();

}  // namespace cwb::cli
