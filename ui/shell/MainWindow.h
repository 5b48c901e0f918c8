#pragma once
// The workbench's main window: the active model always visible in the header (with a picker
// of recent models), the views as tabs, a status bar, settings and About. It owns the active
// model and hands the same bundle to every view.

#include <QMainWindow>

#include <memory>

#include "scoring/ModelBundle.h"
#include "ui/common/AppSettings.h"
#include "ui/shell/HelpDialogs.h"

class QDockWidget;
class QLabel;
class QMenu;
class QTabWidget;
class QTableWidget;

namespace cwb::ui {

class ApplicantView;
class AuditView;
class BatchView;
class CompareView;
class GuiMetrics;
class MonitoringPanel;
class ExplanationView;
class ModelHeader;
class PerformanceView;
class RegistryView;
class ScorecardEditor;
class SettingsDialog;
class StoreSession;
class TrainingView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a bundle; shows a clear message (and keeps the current model) when it cannot.
    // quiet: report failure on the status bar only (no dialog), for start-up and tests.
    // Blocks while reading; used at start-up and by tests.
    bool openModel(const QString& path, bool quiet = false);
    // Reads the bundle on a worker thread (menus, picker); modelOpened() follows.
    void openModelInBackground(const QString& path);
    // The bundle the views use: the loaded one with the user's scaling settings applied.
    std::shared_ptr<const ModelBundle> model() const { return m_model; }
    QString modelPath() const { return m_modelPath; }

    ApplicantView* applicantView() const { return m_applicant; }
    ExplanationView* explanationView() const { return m_explanation; }
    BatchView* batchView() const { return m_batch; }
    ModelHeader* modelHeader() const { return m_header; }
    TrainingView* trainingView() const { return m_training; }
    ScorecardEditor* scorecardEditor() const { return m_scorecard; }
    // Runtime metrics and their pusher (issue #6); main() calls shutdown() on a normal exit.
    GuiMetrics* monitoring() const { return m_monitoring; }
    MonitoringPanel* monitoringPanel() const { return m_monitoringPanel; }
    QMenu* recentBatchesMenu() const { return m_recentBatchesMenu; }
    PerformanceView* performanceView() const { return m_performance; }
    CompareView* compareView() const { return m_compare; }
    QTabWidget* views() const { return m_views; }
    // The workbench store (issue 11): who is signed in, and the Audit view over its trail.
    StoreSession* storeSession() const { return m_store; }
    AuditView* auditView() const { return m_audit; }
    // The model registry (issue 12): versions, the validation gate, approvals, champion.
    RegistryView* registryView() const { return m_registry; }
    // Opens the store (`path` empty: CWB_STORE, else the settings' location), creating the
    // single-user desktop store when there is none. That store signs its only user in without
    // a dialog; another asks (askToSignIn) or waits for File > Sign in. False, with a status
    // message, when the store cannot be opened: the analyst views work on without it.
    bool openStore(const QString& path = {}, bool askToSignIn = false);
    void showSignIn();
    void showUsers();
    void showView(QWidget* view);
    // The view on the current tab (each tab holds its view in a scroll area).
    QWidget* currentView() const;
    // Opens the applicant of the applicant view in the explanation view (Explain, Ctrl+E).
    void explainCurrentApplicant();
    // Opens an applicant of a scored batch file in the explanation view (double-click on a
    // Batch results row); batchRowExplained() follows, or a status message says why not.
    void explainBatchRow(const QString& file, long row, const QString& id);
    void applySettings(const AppSettings& settings);
    // Empty while the open model may score; else why the production lock (the store setting
    // require_approved, ui/store/ProductionLock.h) refuses it.
    QString productionLockRefusal() const { return m_lockRefusal; }
    // Checks the lock again (after the store's setting or an approval changed); force: hand
    // the model to the scoring views even when the outcome did not change.
    void applyProductionLock(bool force);
    // File > Settings, in two halves for tests: the production lock's field (read-only unless
    // an admin is signed in), and saving a changed lock to the store (core refuses non-admins).
    void prepareSettingsDialog(SettingsDialog& dialog) const;
    Result<void> saveStoreSettings(const SettingsDialog& dialog);
    const AppSettings& settings() const { return m_settings; }
    // The policy version (cutoffs and scaling) in force for the active model, 0 without one;
    // each change is recorded in policyLogPath() (scoring/PolicyVersions.h).
    int policyVersion() const { return m_policyVersion; }
    static QString policyLogPath();
    // Help > User guide (F1) and Keyboard shortcuts (Ctrl+/): the shipped guides, shown locally
    // in one modeless window on the given page.
    GuideDialog* showHelp(GuideDialog::Page page);
    // The About box's text: program version and the Qt, XGBoost and SQLite versions in use.
    static QString aboutText();

signals:
    void batchRowExplained(const QString& applicantName);
    void modelChanged();
    void modelOpened(bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void chooseModel();
    bool installModel(Result<ModelBundle> bundle, const QString& path, bool quiet);
    void showSettings();
    void showAbout();
    void refreshRecentMenu();
    void refreshRecentBatchesMenu();
    void refreshCharacteristics();
    void recordPolicyVersion();
    void refreshStoreStatus();

    AppSettings m_settings;
    GuideDialog* m_guide = nullptr;
    int m_policyVersion = 0;
    std::shared_ptr<const ModelBundle> m_loaded;  // as read from the file
    std::shared_ptr<const ModelBundle> m_model;   // with settings applied
    QString m_modelPath;
    ModelHeader* m_header = nullptr;
    QTabWidget* m_views = nullptr;
    ApplicantView* m_applicant = nullptr;
    ExplanationView* m_explanation = nullptr;
    BatchView* m_batch = nullptr;
    QTableWidget* m_characteristics = nullptr;
    TrainingView* m_training = nullptr;
    ScorecardEditor* m_scorecard = nullptr;
    PerformanceView* m_performance = nullptr;
    CompareView* m_compare = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_recentBatchesMenu = nullptr;
    GuiMetrics* m_monitoring = nullptr;
    MonitoringPanel* m_monitoringPanel = nullptr;
    QDockWidget* m_monitoringDock = nullptr;
    QLabel* m_statusModel = nullptr;
    StoreSession* m_store = nullptr;
    AuditView* m_audit = nullptr;
    RegistryView* m_registry = nullptr;
    QLabel* m_statusUser = nullptr;
    QLabel* m_lockBanner = nullptr;
    QString m_lockRefusal;
    QAction* m_signIn = nullptr;
    QAction* m_signOut = nullptr;
    QAction* m_users = nullptr;
};

}  // namespace cwb::ui
