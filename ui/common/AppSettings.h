#pragma once
// The user's settings (QSettings, per user): pushgateway, store location, optional score
// scaling and cutoffs that replace the model's own, worker threads, recent files.

#include <QString>
#include <QStringList>

#include <memory>

#include "scoring/ModelBundle.h"

namespace cwb::ui {

struct AppSettings {
    // Monitoring, as stored in the settings. What the GUI uses is MonitorConfig::resolve("gui"),
    // where a set CWB_PUSHGATEWAY_URL (and CWB_PUSH_*) wins over these, exactly as in cwb.
    QString pushgatewayUrl;  // empty: no pushing (unless the environment names a gateway)
    int pushIntervalS = 15;
    int pushTimeoutMs = 2000;
    QString storePath;  // workbench.sqlite, or a team store's postgresql:// address
    // The statement of rights on adverse action notices (a text file, as `cwb report
    // adverse-action --template`); empty: the shipped neutral text.
    QString rightsTemplatePath;
    // Off: each model's own scaling and decision bands. On: the values below for every model.
    bool overrideScaling = false;
    ScoreScaling scaling;
    DecisionPolicy policy;
    int threads = 0;  // batch scoring threads, 0 = all cores
    int reasons = 4;  // reason codes shown and written per applicant

    static AppSettings load();
    void save() const;
    static QString defaultStorePath();
};

// Recent files of one kind ("models", "batches", "applicants"), newest first, at most 8.
QStringList recentFiles(const QString& kind);
void addRecentFile(const QString& kind, const QString& path);

// The bundle the views work with: the loaded one, or a copy with the user's scaling and cutoffs.
// The reference score distribution is carried over to the new scale so PSI stays meaningful.
std::shared_ptr<const ModelBundle> effectiveBundle(std::shared_ptr<const ModelBundle> loaded,
                                                   const AppSettings& settings);

// The cross-validated AUC of the model's algorithm, else the development AUC; NaN when neither.
double modelAuc(const ModelBundle& bundle);

}  // namespace cwb::ui
