#include "ui/common/AppSettings.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cwb::ui {

QString AppSettings::defaultStorePath() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath("workbench.sqlite");
}

AppSettings AppSettings::load() {
    QSettings s;
    AppSettings a;
    // The stored value only: the environment overrides it in MonitorConfig::resolve, and must
    // not end up in the settings file when the user saves the dialog.
    a.pushgatewayUrl = s.value("monitoring/pushgateway").toString();
    a.pushIntervalS = s.value("monitoring/push_interval_s", 15).toInt();
    a.pushTimeoutMs = s.value("monitoring/push_timeout_ms", 2000).toInt();
    a.storePath = s.value("store/path", defaultStorePath()).toString();
    a.rightsTemplatePath = s.value("reports/rights_template").toString();
    a.overrideScaling = s.value("scoring/overrideScaling", false).toBool();
    a.scaling.basePoints = s.value("scoring/basePoints", a.scaling.basePoints).toDouble();
    a.scaling.baseOdds = s.value("scoring/baseOdds", a.scaling.baseOdds).toDouble();
    a.scaling.pdo = s.value("scoring/pdo", a.scaling.pdo).toDouble();
    a.policy.approveFrom = s.value("scoring/approveFrom", a.policy.approveFrom).toDouble();
    a.policy.declineBelow = s.value("scoring/declineBelow", a.policy.declineBelow).toDouble();
    a.threads = s.value("scoring/threads", 0).toInt();
    a.reasons = s.value("scoring/reasons", 4).toInt();
    return a;
}

void AppSettings::save() const {
    QSettings s;
    s.setValue("monitoring/pushgateway", pushgatewayUrl);
    s.setValue("monitoring/push_interval_s", pushIntervalS);
    s.setValue("monitoring/push_timeout_ms", pushTimeoutMs);
    s.setValue("store/path", storePath);
    s.setValue("reports/rights_template", rightsTemplatePath);
    s.setValue("scoring/overrideScaling", overrideScaling);
    s.setValue("scoring/basePoints", scaling.basePoints);
    s.setValue("scoring/baseOdds", scaling.baseOdds);
    s.setValue("scoring/pdo", scaling.pdo);
    s.setValue("scoring/approveFrom", policy.approveFrom);
    s.setValue("scoring/declineBelow", policy.declineBelow);
    s.setValue("scoring/threads", threads);
    s.setValue("scoring/reasons", reasons);
}

QStringList recentFiles(const QString& kind) {
    return QSettings().value("recent/" + kind).toStringList();
}

void addRecentFile(const QString& kind, const QString& path) {
    const QString absolute = QDir::cleanPath(QDir::current().absoluteFilePath(path));
    QStringList files = recentFiles(kind);
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > 8)
        files.removeLast();
    QSettings().setValue("recent/" + kind, files);
}

std::shared_ptr<const ModelBundle> effectiveBundle(std::shared_ptr<const ModelBundle> loaded,
                                                   const AppSettings& settings) {
    if (!loaded || !settings.overrideScaling) return loaded;
    auto copy = std::make_shared<ModelBundle>(*loaded);  // the model itself is shared, not copied
    copy->scaling = settings.scaling;
    copy->policy = settings.policy;
    auto& reference = copy->metrics["reference_scores"];
    if (reference.is_object() && reference.contains("edges")) {
        // Same applicants, new points: map each decile edge through the margin it stands for.
        for (auto& edge : reference["edges"])
            edge = settings.scaling.pointsFromMargin(
                loaded->scaling.marginFromPoints(edge.get<double>()));
        // A negative PDO reverses the order of points; keep the edges ascending for PSI.
        if (settings.scaling.pdo * loaded->scaling.pdo < 0) {
            std::reverse(reference["edges"].begin(), reference["edges"].end());
            std::reverse(reference["shares"].begin(), reference["shares"].end());
        }
    }
    return copy;
}

double modelAuc(const ModelBundle& bundle) {
    const auto& m = bundle.metrics;
    if (m.contains("cross_validation") && m["cross_validation"].is_array())
        for (const auto& c : m["cross_validation"])
            if (c.value("algorithm", "") == bundle.model->algorithm() && c.contains("cv_auc"))
                return c["cv_auc"].get<double>();
    if (m.contains("development") && m["development"].contains("auc"))
        return m["development"]["auc"].get<double>();
    return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace cwb::ui
