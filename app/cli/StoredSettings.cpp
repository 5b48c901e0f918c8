#include "StoredSettings.h"

#include <QSettings>

namespace cwb::cli {

MonitorSettings storedMonitorSettings() {
    // Explicit names: cwb has no QCoreApplication instance and its own application name, but
    // must read the settings the GUI writes.
    const QSettings settings(QStringLiteral("CreditWorkbench"), QStringLiteral("credit-workbench"));
    MonitorSettings stored;
    stored.gatewayUrl = settings.value("monitoring/pushgateway").toString().toStdString();
    stored.pushIntervalS = settings.value("monitoring/push_interval_s", 15).toLongLong();
    stored.pushTimeoutMs = settings.value("monitoring/push_timeout_ms", 2000).toLongLong();
    return stored;
}

}  // namespace cwb::cli
