#include "monitor/MonitorConfig.h"

#include <unistd.h>

#include <QString>
#include <QtGlobal>

namespace cwb {

namespace {

// A positive integer from the environment, or fallback when unset or not a number.
long long positiveEnv(const char* name, long long fallback) {
    bool ok = false;
    const long long value = qEnvironmentVariable(name).toLongLong(&ok);
    return ok && value > 0 ? value : fallback;
}

}  // namespace

std::string hostName() {
    char name[256] = {0};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "unknown";
    return name;
}

MonitorConfig MonitorConfig::resolve(const std::string& app, const MonitorSettings& stored) {
    MonitorConfig config;
    config.app = app;
    config.instance = hostName();

    config.gatewayUrl = QString::fromStdString(stored.gatewayUrl).trimmed().toStdString();
    const long long intervalS = stored.pushIntervalS;
    const long long timeoutMs = stored.pushTimeoutMs;
    config.schedule.interval = std::chrono::seconds(intervalS > 0 ? intervalS : 15);
    config.schedule.timeout = std::chrono::milliseconds(timeoutMs > 0 ? timeoutMs : 2000);

    if (qEnvironmentVariableIsSet("CWB_PUSHGATEWAY_URL"))
        config.gatewayUrl = qEnvironmentVariable("CWB_PUSHGATEWAY_URL").trimmed().toStdString();
    config.schedule.interval = std::chrono::seconds(positiveEnv(
        "CWB_PUSH_INTERVAL_S",
        std::chrono::duration_cast<std::chrono::seconds>(config.schedule.interval).count()));
    config.schedule.timeout = std::chrono::milliseconds(
        positiveEnv("CWB_PUSH_TIMEOUT_MS", config.schedule.timeout.count()));
    return config;
}

PushTarget MonitorConfig::target() const {
    PushTarget target;
    target.url = gatewayUrl;
    target.grouping = {{"instance", instance}, {"app", app}};
    return target;
}

}  // namespace cwb
