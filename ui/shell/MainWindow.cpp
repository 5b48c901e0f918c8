#include "ui/shell/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/Version.h"
#include "scoring/PolicyVersions.h"
#include "ui/applicant/ApplicantView.h"
#include "ui/applicant/RecordFile.h"
#include "ui/audit/AuditView.h"
#include "ui/batch/BatchView.h"
#include "ui/common/Async.h"
#include "ui/common/GuiMetrics.h"
#include "ui/compare/CompareView.h"
#include "ui/explanation/ExplanationView.h"
#include "ui/performance/PerformanceView.h"
#include "ui/registry/RegistryView.h"
#include "ui/scorecard/ScorecardEditor.h"
#include "ui/shell/HelpDialogs.h"
#include "ui/shell/ModelHeader.h"
#include "ui/shell/MonitoringPanel.h"
#include "ui/shell/SettingsDialog.h"
#include "ui/shell/ViewScrollArea.h"
#include "ui/shell/WindowPlacement.h"
#include "ui/store/ProductionLock.h"
#include "ui/store/SignInDialog.h"
#include "ui/store/StorePasswordDialog.h"
#include "ui/store/StoreSession.h"
#include "ui/store/UserAdminDialog.h"
#include "ui/training/TrainingView.h"

namespace cwb::ui {

namespace {

// A view in a scroll area: on a small screen the window may be smaller than a view's minimum
// size; the view then scrolls instead of making the window taller than the screen.
QWidget* scrollable(QWidget* view) {
    return new ViewScrollArea(view, view->parentWidget());
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Credit Workbench"));
    m_settings = AppSettings::load();
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    m_header = new ModelHeader(central);
    layout->addWidget(m_header);
    // The production lock's refusal, in plain sight while it holds (issue 12).
    m_lockBanner = new QLabel(central);
    m_lockBanner->setObjectName("productionLockBanner");
    m_lockBanner->setWordWrap(true);
    m_lockBanner->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
    m_lockBanner->hide();
    layout->addWidget(m_lockBanner);
    m_views = new QTabWidget(central);
    m_views->setObjectName("views");
    m_applicant = new ApplicantView(m_views);
    m_views->addTab(scrollable(m_applicant), tr("Applicant"));
    m_explanation = new ExplanationView(m_views);
    m_views->addTab(scrollable(m_explanation), tr("Explanation"));
    m_batch = new BatchView(m_views);
    m_views->addTab(scrollable(m_batch), tr("Batch"));
    m_characteristics = new QTableWidget(0, 5, m_views);
    m_characteristics->setObjectName("characteristics");
    m_characteristics->setHorizontalHeaderLabels({tr("Characteristic"), tr("Column"), tr("Type"),
                                                  tr("Training range / levels"),
                                                  tr("Reason text")});
    m_characteristics->horizontalHeader()->setStretchLastSection(true);
    m_characteristics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_views->addTab(m_characteristics, tr("Model"));
    m_training = new TrainingView(m_views);
    m_views->addTab(scrollable(m_training), tr("Training"));
    m_scorecard = new ScorecardEditor(m_views);
    m_views->addTab(scrollable(m_scorecard), tr("Scorecard"));
    m_performance = new PerformanceView(m_views);
    m_views->addTab(scrollable(m_performance), tr("Performance"));
    m_compare = new CompareView(m_views);
    m_views->addTab(scrollable(m_compare), tr("Compare"));
    m_store = new StoreSession(this);
    // A team store's password is asked in a dialog over this window (decision 38).
    StorePasswordDialog::install(this);
    m_audit = new AuditView(m_views);
    m_audit->setObjectName("auditView");
    m_views->addTab(scrollable(m_audit), tr("Audit"));
    m_registry = new RegistryView(m_views);
    m_registry->setObjectName("registryView");
    m_views->addTab(scrollable(m_registry), tr("Registry"));
    layout->addWidget(m_views, 1);
    setCentralWidget(central);

    m_statusModel = new QLabel(this);
    statusBar()->addPermanentWidget(m_statusModel);
    m_statusUser = new QLabel(this);
    m_statusUser->setObjectName("statusUser");
    statusBar()->addPermanentWidget(m_statusUser);
    m_applicant->setStoreSession(m_store);
    m_audit->setStoreSession(m_store);
    m_registry->setStoreSession(m_store);
    m_explanation->setStoreSession(m_store);
    // Monitoring (issue #6): same configuration rules as cwb (MonitorConfig::resolve("gui")).
    m_monitoring = new GuiMetrics(GuiMetrics::resolveConfig(), this);
    m_applicant->setMetrics(m_monitoring);
    m_batch->setMetrics(m_monitoring);
    m_monitoringDock = new QDockWidget(tr("Monitoring"), this);
    m_monitoringDock->setObjectName("monitoringDock");
    m_monitoringPanel = new MonitoringPanel(m_monitoring, m_monitoringDock);
    m_monitoringDock->setWidget(m_monitoringPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_monitoringDock);
    m_monitoringDock->hide();  // restoreState() below shows it if it was open last time
    buildMenus();
    connect(m_header, &ModelHeader::browseRequested, this, &MainWindow::chooseModel);
    connect(m_header, &ModelHeader::modelPicked, this,
            [this](const QString& p) { openModelInBackground(p); });
    connect(m_applicant, &ApplicantView::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 5000); });
    connect(m_batch, &BatchView::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_applicant, &ApplicantView::explainRequested, this,
            &MainWindow::explainCurrentApplicant);
    connect(m_batch, &BatchView::explainRequested, this, &MainWindow::explainBatchRow);
    connect(m_training, &TrainingView::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_scorecard, &ScorecardEditor::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_performance, &PerformanceView::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_compare, &CompareView::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_audit, &AuditView::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_registry, &RegistryView::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_explanation, &ExplanationView::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_store, &StoreSession::changed, this, &MainWindow::refreshStoreStatus);
    // Another store (or none) may hold the lock differently; so may an approval given meanwhile.
    connect(m_store, &StoreSession::changed, this, [this] { applyProductionLock(false); });
    connect(m_registry, &RegistryView::registryChanged, this,
            [this] { applyProductionLock(false); });
    // A saved model (trained or edited) becomes the active one, ready to score.
    connect(m_training, &TrainingView::saved, this, [this](bool ok, const QString& path) {
        if (ok) openModelInBackground(path);
    });
    connect(m_scorecard, &ScorecardEditor::saved, this, [this](bool ok, const QString& path) {
        if (ok) openModelInBackground(path);
    });
    connect(m_training, &TrainingView::editScorecardRequested, this,
            [this](std::shared_ptr<const TrainReport> report) {
                m_scorecard->setSource(std::make_shared<const ModelBundle>(report->bundle),
                                       report->development);
                showView(m_scorecard);
            });
    m_header->setRecentModels(recentFiles("models"));
    statusBar()->showMessage(tr("Ready"));

    QSettings settings;
    // The default fits a 1280x720 screen with its panel and title bar.
    const bool restored = restoreGeometry(settings.value("mainWindow/geometry").toByteArray());
    if (!restored) resize(1100, 640);
    restoreState(settings.value("mainWindow/state").toByteArray());
    // A size saved on a larger screen, or a position on a monitor that is gone, must not leave
    // the window beyond this screen's edges (issue 17).
    if (restored && !isMaximized() && !isFullScreen())
        if (const QScreen* where = screen())
            setGeometry(fitOnScreen(geometry(), minimumSizeHint().expandedTo(minimumSize()),
                                    where->availableGeometry()));
    m_applicant->setModel(nullptr, m_settings.reasons);
    refreshStoreStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open model..."), this, &MainWindow::chooseModel);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("&Recent models"));
    refreshRecentMenu();
    m_recentBatchesMenu = file->addMenu(tr("Recent &batch files"));
    m_recentBatchesMenu->setObjectName("recentBatches");
    // The batch view adds files as they are previewed: list them afresh whenever shown.
    connect(m_recentBatchesMenu, &QMenu::aboutToShow, this, &MainWindow::refreshRecentBatchesMenu);
    refreshRecentBatchesMenu();
    QAction* loadApplicant = file->addAction(tr("&Load applicant from file..."), this, [this] {
        showView(m_applicant);
        m_applicant->chooseFileRow();
    });
    loadApplicant->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    file->addSeparator();
    QAction* settings = file->addAction(tr("&Settings..."), this, &MainWindow::showSettings);
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    // The store (issue 11). In the File menu: every letter of a "Store" menu is taken by a
    // view's buttons already. The Audit view is a tab (View menu, Alt+9), the Registry the next one
    // (Alt+0).
    m_signIn = file->addAction(tr("Sign &in..."), this, &MainWindow::showSignIn);
    m_signIn->setObjectName("storeSignIn");
    m_signOut = file->addAction(tr("Sign ou&t"), this, [this] {
        m_store->signOut();
        statusBar()->showMessage(tr("Signed out"), 5000);
    });
    m_signOut->setObjectName("storeSignOut");
    m_users = file->addAction(tr("Store us&ers..."), this, &MainWindow::showUsers);
    m_users->setObjectName("storeUsers");
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_views->count(); ++i) {
        QAction* a =
            view->addAction(m_views->tabText(i), this, [this, i] { m_views->setCurrentIndex(i); });
        // Alt+1 .. Alt+9, then Alt+0 for the tenth view (the Registry).
        const int digit = (i + 1) % 10;
        if (i < 10) a->setShortcut(QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_0 + digit)));
    }

    view->addSeparator();
    QAction* monitoring = m_monitoringDock->toggleViewAction();
    monitoring->setText(tr("&Monitoring panel"));
    monitoring->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    view->addAction(monitoring);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* guide = help->addAction(tr("&User guide"), this,
                                     [this] { showHelp(GuideDialog::Page::Workbench); });
    guide->setObjectName("helpUserGuide");
    guide->setShortcut(QKeySequence::HelpContents);
    QAction* keys = help->addAction(tr("&Keyboard shortcuts"), this,
                                    [this] { showHelp(GuideDialog::Page::Shortcuts); });
    keys->setObjectName("helpShortcuts");
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    help->addSeparator();
    help->addAction(tr("&About Credit Workbench"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::refreshRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = recentFiles("models");
    for (const QString& f : files)
        m_recentMenu
            ->addAction(QFileInfo(f).fileName(), this, [this, f] { openModelInBackground(f); })
            ->setToolTip(f);
    m_recentMenu->setEnabled(!files.isEmpty());
    m_header->setRecentModels(files);
}

void MainWindow::refreshRecentBatchesMenu() {
    m_recentBatchesMenu->clear();
    const QStringList files = recentFiles("batches");
    for (int i = 0; i < files.size(); ++i) {
        const QString f = files[i];
        // &1..&8: each entry is one key press away once the menu is open.
        QAction* a = m_recentBatchesMenu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(f).fileName()), this, [this, f] {
                showView(m_batch);
                m_batch->setInputFile(f);
            });
        a->setToolTip(f);
        a->setData(f);
    }
    // Left enabled when empty, so aboutToShow can still fill it after the first preview.
    if (files.isEmpty()) m_recentBatchesMenu->addAction(tr("(none yet)"))->setEnabled(false);
}

void MainWindow::showView(QWidget* view) {
    for (int i = 0; i < m_views->count(); ++i) {
        QWidget* page = m_views->widget(i);
        const auto* scroll = qobject_cast<QScrollArea*>(page);
        if (page == view || (scroll && scroll->widget() == view)) {
            m_views->setCurrentIndex(i);
            return;
        }
    }
}

QWidget* MainWindow::currentView() const {
    QWidget* page = m_views->currentWidget();
    if (const auto* scroll = qobject_cast<QScrollArea*>(page)) return scroll->widget();
    return page;
}

bool MainWindow::openModel(const QString& path, bool quiet) {
    return installModel(loadBundle(path.toStdString()), path, quiet);
}

void MainWindow::openModelInBackground(const QString& path) {
    // A large tree ensemble takes a while to read and verify; the window stays responsive.
    statusBar()->showMessage(tr("Opening %1...").arg(path));
    m_header->setEnabled(false);
    runAsync(
        this,
        [path] { return std::make_shared<Result<ModelBundle>>(loadBundle(path.toStdString())); },
        [this, path](std::shared_ptr<Result<ModelBundle>> bundle) {
            m_header->setEnabled(true);
            const bool ok = installModel(std::move(*bundle), path, false);
            emit modelOpened(ok);
        });
}

bool MainWindow::installModel(Result<ModelBundle> bundle, const QString& path, bool quiet) {
    if (!bundle) {
        const QString message = QString::fromStdString(bundle.error().message);
        statusBar()->showMessage(tr("Cannot open model: %1").arg(message));
        if (!quiet) QMessageBox::warning(this, tr("Cannot open model"), message);
        return false;
    }
    m_loaded = std::make_shared<const ModelBundle>(std::move(*bundle));
    m_modelPath = path;
    addRecentFile("models", path);
    refreshRecentMenu();
    applySettings(m_settings);
    statusBar()->showMessage(tr("Model loaded: %1").arg(path), 5000);
    return true;
}

void MainWindow::applySettings(const AppSettings& settings) {
    m_settings = settings;
    m_model = effectiveBundle(m_loaded, m_settings);
    m_header->setModel(m_model.get(), m_modelPath);
    recordPolicyVersion();
    m_statusModel->setText(m_model ? QString::fromStdString(m_model->name) : tr("no model"));
    setWindowTitle(m_model ? tr("%1 — Credit Workbench").arg(QString::fromStdString(m_model->name))
                           : tr("Credit Workbench"));
    m_applicant->setModelFile(m_modelPath);
    applyProductionLock(true);
    m_explanation->setRightsTemplate(m_settings.rightsTemplatePath);
    m_performance->setModel(m_model);
    m_performance->setModelPath(m_modelPath);
    m_registry->setOpenModel(m_model ? m_modelPath : QString(),
                             m_model ? QString::fromStdString(m_model->name) : QString());
    m_batch->setModelPath(m_modelPath);
    m_compare->setModel(m_model);
    m_monitoring->setModel(m_model.get());
    refreshCharacteristics();
    m_scorecard->setActiveModel(m_loaded);
    emit modelChanged();
}

QString MainWindow::policyLogPath() {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return QDir(dir).filePath(QStringLiteral("policy-versions.jsonl"));
}

void MainWindow::recordPolicyVersion() {
    m_policyVersion = 0;
    if (!m_loaded || !m_model) {
        m_header->setPolicyText({});
        return;
    }
    // Cutoffs and scaling other than the bundle's own make a new policy version of this model,
    // recorded with who and when (and back to its own values is one too).
    PolicyLog log(policyLogPath().toStdString());
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty()) user = QDir::home().dirName();
    const auto version =
        log.apply(*m_loaded, m_model->policy, m_model->scaling,
                  m_settings.overrideScaling ? "settings" : "model", user.toStdString(),
                  QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString());
    if (!version) {
        m_header->setPolicyText(tr("policy: not recorded"),
                                QString::fromStdString(version.error().message));
        statusBar()->showMessage(tr("Cannot record the policy version: %1")
                                     .arg(QString::fromStdString(version.error().message)),
                                 8000);
        return;
    }
    const PolicyVersion& v = *version;
    const QString cutoffs = tr("approve from %1, decline below %2")
                                .arg(v.policy.approveFrom)
                                .arg(v.policy.declineBelow);
    const QString origin = v.version == 1 ? tr("the model's own")
                                          : tr("%1, %2, %3")
                                                .arg(QString::fromStdString(v.source),
                                                     QString::fromStdString(v.changedBy),
                                                     QString::fromStdString(v.changedAt));
    m_header->setPolicyText(
        tr("policy v%1").arg(v.version),
        tr("Policy version %1 of %2: %3 (%4). Recorded in %5")
            .arg(v.version)
            .arg(QString::fromStdString(v.model), cutoffs, origin, policyLogPath()));
    m_policyVersion = v.version;
}

void MainWindow::chooseModel() {
    const QStringList recent = recentFiles("models");
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open model"), recent.isEmpty() ? QString() : QFileInfo(recent[0]).path(),
        tr("Model bundles (*.cwbm)"));
    if (!path.isEmpty()) openModelInBackground(path);
}

void MainWindow::refreshCharacteristics() {
    const auto features = m_model ? m_model->schema.features() : std::vector<const ColumnSpec*>{};
    m_characteristics->setRowCount(static_cast<int>(features.size()));
    for (int r = 0; r < static_cast<int>(features.size()); ++r) {
        const ColumnSpec* spec = features[static_cast<std::size_t>(r)];
        const QString range = spec->type == ColumnType::Numeric
                                  ? QStringLiteral("%1 – %2").arg(spec->min).arg(spec->max)
                                  : tr("levels: %1").arg(spec->levels.size());
        const QStringList cells = {QString::fromStdString(spec->displayName()),
                                   QString::fromStdString(spec->name),
                                   QString::fromStdString(toString(spec->type)), range,
                                   QString::fromStdString(m_model->reasonText(spec->name))};
        for (int c = 0; c < cells.size(); ++c)
            m_characteristics->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
    m_characteristics->resizeColumnsToContents();
}

void MainWindow::applyProductionLock(bool force) {
    const LockState lock = productionLock(m_store, m_loaded.get(), m_settings.overrideScaling);
    const bool refused = !lock.refusal.isEmpty();
    if (!force && lock.refusal == m_lockRefusal) return;
    m_lockRefusal = lock.refusal;
    // The scoring views get no model while the lock refuses it: nothing scores or explains.
    const auto scoring = refused ? nullptr : m_model;
    m_applicant->setModel(scoring, m_settings.reasons);
    m_explanation->setModel(scoring, m_settings.reasons);
    m_batch->setModel(scoring, m_settings.reasons, m_settings.threads);
    m_lockBanner->setText(refused ? tr("Production lock: scoring refused, %1").arg(lock.refusal)
                                  : QString());
    m_lockBanner->setVisible(refused);
    if (refused) statusBar()->showMessage(tr("Production lock: %1").arg(lock.refusal), 10000);
}

void MainWindow::explainBatchRow(const QString& file, long row, const QString& id) {
    if (!m_model || !m_lockRefusal.isEmpty()) return;
    auto model = m_model;
    const std::string path = file.toStdString();
    runAsync(
        this,
        [path, row, model] {
            return std::make_shared<Result<FileApplicant>>(
                readApplicantRow(path, row, model->schema));
        },
        [this, file, row, id](std::shared_ptr<Result<FileApplicant>> applicant) {
            if (!*applicant) {
                statusBar()->showMessage(
                    tr("Cannot read the applicant: %1")
                        .arg(QString::fromStdString(applicant->error().message)),
                    8000);
                return;
            }
            // The row found must be the one clicked; never explain another applicant.
            if (!id.isEmpty() && QString::fromStdString((*applicant)->id) != id) {
                statusBar()->showMessage(
                    tr("Cannot find applicant %1 in %2.").arg(id, QFileInfo(file).fileName()),
                    8000);
                return;
            }
            const QString name =
                id.isEmpty()
                    ? tr("%1 row %2").arg(QFileInfo(file).fileName()).arg(row)
                    : tr("Applicant %1 (%2 row %3)").arg(id, QFileInfo(file).fileName()).arg(row);
            m_explanation->setApplicant((*applicant)->values, name,
                                        QString::fromStdString((*applicant)->id));
            showView(m_explanation);
            emit batchRowExplained(name);
        });
}

void MainWindow::explainCurrentApplicant() {
    m_explanation->setApplicant(m_applicant->values(), m_applicant->applicantName(),
                                m_applicant->applicantId());
    showView(m_explanation);
}

void MainWindow::prepareSettingsDialog(SettingsDialog& dialog) const {
    if (!m_store->isOpen()) return;  // the dialog says there is no store
    auto on = m_store->store()->settings().requireApproved();
    const bool admin = m_store->require(store::Action::ChangeSettings).ok();
    dialog.setProductionLock(on ? *on : true, admin && on.ok(),
                             !on ? QString::fromStdString(on.error().message)
                             : admin
                                 ? tr("A store setting: it applies to everyone using this store; "
                                      "the change is audited.")
                                 : tr("Locked: a store setting that only an admin changes."));
}

Result<void> MainWindow::saveStoreSettings(const SettingsDialog& dialog) {
    if (!m_store->isOpen() || !m_store->signedIn()) return {};
    auto on = m_store->store()->settings().requireApproved();
    if (!on) return on.error();
    if (*on == dialog.requireApproved()) return {};
    // Core checks the admin role and audits the change with the previous value.
    return m_store->store()->settings().set(*m_store->actor(), store::kSettingRequireApproved,
                                            dialog.requireApproved() ? "true" : "false");
}

void MainWindow::showSettings() {
    SettingsDialog dialog(m_settings, m_loaded.get(), this);
    prepareSettingsDialog(dialog);
    if (dialog.exec() != QDialog::Accepted) return;
    if (auto r = saveStoreSettings(dialog); !r)
        QMessageBox::warning(this, tr("Production lock not changed"),
                             QString::fromStdString(r.error().message));
    const AppSettings settings = dialog.settings();
    settings.save();
    const bool storeMoved = StoreSession::resolvePath(settings.storePath) !=
                            StoreSession::resolvePath(m_settings.storePath);
    applySettings(settings);
    if (storeMoved) openStore({}, true);
    m_monitoring->reconfigure(GuiMetrics::resolveConfig());
    statusBar()->showMessage(tr("Settings saved"), 5000);
}

QString MainWindow::aboutText() {
    QString versions;
    for (const auto& [name, v] : libraryVersions())
        versions += QStringLiteral("<li>%1 %2</li>")
                        .arg(QString::fromStdString(name).toHtmlEscaped(),
                             QString::fromStdString(v).toHtmlEscaped());
    return tr("<h3>Credit Workbench %1</h3><p>Credit scoring: train, explain, score and govern "
              "models.</p><p>Running on:</p><ul>%2</ul>")
        .arg(QString::fromLatin1(version()), versions);
}

GuideDialog* MainWindow::showHelp(GuideDialog::Page page) {
    // One modeless window, raised again on the next F1: reading it should not block the work.
    if (!m_guide) {
        m_guide = new GuideDialog(page, this);
        m_guide->setModal(false);
    }
    m_guide->showPage(page);
    m_guide->show();
    m_guide->raise();
    m_guide->activateWindow();
    return m_guide;
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About Credit Workbench"), aboutText());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue("mainWindow/geometry", saveGeometry());
    settings.setValue("mainWindow/state", saveState());
    event->accept();
}

bool MainWindow::openStore(const QString& path, bool askToSignIn) {
    const QString where = path.isEmpty() ? StoreSession::resolvePath(m_settings.storePath) : path;
    if (auto opened = m_store->open(where); !opened) {
        statusBar()->showMessage(
            tr("No store: %1").arg(QString::fromStdString(opened.error().message)), 10000);
        return false;
    }
    // The single-user desktop store: the OS account is the login, no dialog.
    if (m_store->signInSingleUser()) return true;
    if (askToSignIn) showSignIn();
    return true;
}

void MainWindow::showSignIn() {
    if (!m_store->isOpen() && !openStore({}, false)) return;
    if (m_store->signedIn()) return;
    if (m_store->signInSingleUser()) return;
    SignInDialog dialog(m_store, this);
    if (dialog.exec() == QDialog::Accepted)
        statusBar()->showMessage(tr("Signed in as %1").arg(m_store->describe()), 5000);
}

void MainWindow::showUsers() {
    UserAdminDialog dialog(m_store, this);
    dialog.exec();
}

void MainWindow::refreshStoreStatus() {
    const bool open = m_store->isOpen();
    const QString who = open ? m_store->describe() : tr("no store");
    m_statusUser->setText(who);
    m_statusUser->setToolTip(open ? tr("Store: %1").arg(m_store->path()) : QString());
    if (m_signIn) {
        m_signIn->setEnabled(!m_store->signedIn());
        m_signOut->setEnabled(m_store->signedIn());
        m_users->setEnabled(m_store->signedIn());
    }
}

}  // namespace cwb::ui
