// The main window around the views: model header and picker, recent files, window geometry,
// settings (scaling and cutoffs), About, and the --screenshots rendering.

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "../common/GuiTestSupport.h"
#include "ui/applicant/ApplicantView.h"
#include "ui/audit/AuditView.h"
#include "ui/batch/BatchView.h"
#include "ui/common/AppSettings.h"
#include "ui/compare/CompareView.h"
#include "ui/explanation/ExplanationView.h"
#include "ui/performance/PerformanceView.h"
#include "ui/registry/RegistryView.h"
#include "ui/scorecard/ScorecardEditor.h"
#include "ui/shell/HelpDialogs.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/ModelHeader.h"
#include "ui/shell/Screenshots.h"
#include "ui/shell/SettingsDialog.h"
#include "ui/shell/WindowPlacement.h"
#include "ui/training/TrainingView.h"

using namespace cwb;
using namespace cwb::ui;

namespace {
const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kApplicants = cwb::test::sourceFile(QStringLiteral("sample_data/applicants.csv"));
const QString kBatch = cwb::test::sourceFile(QStringLiteral("sample_data/batch_german.csv"));
const QString kGerman = cwb::test::sourceFile(QStringLiteral("sample_data/german_credit.csv"));

using test::mnemonicOf;

// Checks one view as the user sees it: every visible button can be pressed from the keyboard
// (a mnemonic or a shortcut), and no two visible mnemonics (including the menu bar's and the
// model header's) or shortcuts collide, which would make Alt+letter or the shortcut ambiguous.
QStringList keyboardProblems(MainWindow& window, QWidget* view) {
    QStringList problems;
    QMap<QChar, QString> letters;
    QMap<QString, QString> keys;
    const auto letter = [&](const QString& text, const QString& what) {
        const QChar c = mnemonicOf(text);
        if (c.isNull()) return false;
        if (letters.contains(c))
            problems << QStringLiteral("Alt+%1 for both '%2' and '%3'").arg(c, letters[c], what);
        letters[c] = what;
        return true;
    };
    const auto key = [&](const QKeySequence& k, const QString& what) {
        if (k.isEmpty()) return;
        const QString text = k.toString();
        if (keys.contains(text))
            problems << QStringLiteral("%1 for both '%2' and '%3'").arg(text, keys[text], what);
        keys[text] = what;
    };
    for (QAction* menu : window.menuBar()->actions()) {
        letter(menu->text(), menu->text());
        if (!menu->menu()) continue;
        QList<QMenu*> menus = {menu->menu()};
        while (!menus.isEmpty())
            for (QAction* a : menus.takeFirst()->actions()) {
                key(a->shortcut(), a->text());
                if (a->menu()) menus << a->menu();
            }
    }
    QList<QWidget*> scopes = {view, window.modelHeader()};
    for (QWidget* scope : scopes) {
        for (QAbstractButton* b : scope->findChildren<QAbstractButton*>()) {
            if (!b->isVisibleTo(&window) || b->text().isEmpty()) continue;
            const bool hasLetter = letter(b->text(), b->text());
            key(b->shortcut(), b->text());
            if (!hasLetter && b->shortcut().isEmpty() && b->focusPolicy() == Qt::NoFocus)
                problems
                    << QStringLiteral("'%1' cannot be reached from the keyboard").arg(b->text());
        }
        for (QLabel* l : scope->findChildren<QLabel*>())
            if (l->isVisibleTo(&window) && l->buddy()) letter(l->text(), l->text());
        for (QTabBar* bar : scope->findChildren<QTabBar*>())
            if (bar->isVisibleTo(&window))
                for (int i = 0; i < bar->count(); ++i)
                    letter(bar->tabText(i), bar->tabText(i));
    }
    return problems;
}
}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void recentModelsAndPicker() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        QCOMPARE(recentFiles("models").first(), QFileInfo(kModel).absoluteFilePath());
        QComboBox* picker = window.modelHeader()->picker();
        QVERIFY(picker->count() >= 1);
        QCOMPARE(picker->currentData().toString(), QFileInfo(kModel).absoluteFilePath());
    }

    void pickerOpensInBackground() {
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openModelInBackground(kModel);
        QVERIFY(opened.wait(20000));
        QVERIFY(opened.at(0).at(0).toBool());
        QVERIFY(window.model());
        QVERIFY(window.modelHeader()->summaryText().contains("german_credit"));
    }

    void geometryIsRemembered() {
        {
            MainWindow window;
            window.resize(781, 567);  // fits the offscreen platform's 800x600 screen
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.close();
        }
        MainWindow again;
        QCOMPARE(again.size(), QSize(781, 567));
    }

    // Issue 17: a saved size larger than the screen was restored off-screen.
    void restoredGeometryStaysOnScreen() {
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.setGeometry(4000, 3000, 2400, 1600);
            window.close();
        }
        MainWindow again;
        const QRect screen = again.screen()->availableGeometry();
        QVERIFY2(screen.contains(again.geometry()),
                 qPrintable(QStringLiteral("%1,%2 %3x%4 on %5x%6")
                                .arg(again.x())
                                .arg(again.y())
                                .arg(again.width())
                                .arg(again.height())
                                .arg(screen.width())
                                .arg(screen.height())));
        QSettings().remove("mainWindow/geometry");
        // The placement rule itself: too large and beyond the edges -> inside, top-left first.
        const QRect small(0, 0, 1280, 690);
        QCOMPARE(fitOnScreen(QRect(900, 500, 1600, 1000), QSize(600, 400), small),
                 QRect(0, 0, 1280, 690));
        QCOMPARE(fitOnScreen(QRect(1000, 600, 800, 500), QSize(600, 400), small),
                 QRect(480, 190, 800, 500));
        QCOMPARE(fitOnScreen(QRect(-300, -50, 800, 500), QSize(600, 400), small),
                 QRect(0, 0, 800, 500));
    }

    // Issue 17: the minimum size (1069x742) was taller than a 720-pixel screen.
    void usableAt1280x720() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
        // 720 pixels less a desktop panel and the title bar.
        QVERIFY2(minimum.width() <= 1280 && minimum.height() <= 650,
                 qPrintable(QStringLiteral("%1x%2").arg(minimum.width()).arg(minimum.height())));
        window.resize(1280, 650);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (QWidget* view : {static_cast<QWidget*>(window.applicantView()),
                              static_cast<QWidget*>(window.batchView()),
                              static_cast<QWidget*>(window.explanationView())}) {
            window.showView(view);
            QCOMPARE(window.currentView(), view);
        }
        QVERIFY(window.height() <= 650);
    }

    // Issue 17: at 1280x720 the Performance view's legend and tables lay below the window's
    // edge, behind a vertical scroll bar. Every analyst view fits the window of a 1280x720
    // screen (720 less a desktop panel and the title bar) without scrolling.
    void everyViewFitsAt1280x720() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        window.resize(1280, 650);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // The views as an analyst sees them at work: an applicant explained, the sample
        // evaluated (the in-sample warning and every table filled).
        QVERIFY(window.explanationView());
        PerformanceView* performance = window.performanceView();
        window.showView(performance);
        QSignalSpy evaluated(performance, &PerformanceView::evaluated);
        performance->setDataFile(kGerman);
        QVERIFY(performance->evaluate());
        QVERIFY(evaluated.wait(120000));
        QVERIFY(evaluated.first().first().toBool());
        // The Training view after an auto run, its search table shown.
        TrainingView* training = window.trainingView();
        window.showView(training);
        QSignalSpy previewed(training, &TrainingView::previewReady);
        training->setDataFile(kGerman);
        QVERIFY(previewed.wait(30000));
        previewed.clear();
        training->setTarget("class", "2");
        QVERIFY(previewed.wait(30000) && previewed.first().first().toBool());
        training->setAlgorithm(Algorithm::Auto);
        training->setFolds(3);
        QSignalSpy trained(training, &TrainingView::trainingFinished);
        QVERIFY(training->train());
        QVERIFY(trained.wait(240000));
        QVERIFY2(trained.first().first().toBool(), qPrintable(trained.first().at(2).toString()));
        QStringList problems;
        for (QWidget* view : {static_cast<QWidget*>(window.applicantView()),
                              static_cast<QWidget*>(window.explanationView()),
                              static_cast<QWidget*>(window.batchView()),
                              static_cast<QWidget*>(window.trainingView()),
                              static_cast<QWidget*>(window.scorecardEditor()),
                              static_cast<QWidget*>(window.performanceView()),
                              static_cast<QWidget*>(window.compareView()),
                              static_cast<QWidget*>(window.auditView()),
                              static_cast<QWidget*>(window.registryView())}) {
            window.showView(view);
            QTest::qWait(50);  // layouts and the scroll area's queued fit settle
            auto* scroll = qobject_cast<QScrollArea*>(view->parentWidget()->parentWidget());
            QVERIFY(scroll);
            // The scroll area gives the view the viewport's height unless the view's layout
            // needs more; then the view is taller and scrolls.
            const int needed = view->height();
            const int room = scroll->viewport()->height();
            if (needed > room)
                problems << QStringLiteral("%1 needs %2 px of %3")
                                .arg(view->metaObject()->className())
                                .arg(needed)
                                .arg(room);
            if (view->width() > scroll->viewport()->width())
                problems << QStringLiteral("%1 needs %2 px of %3 wide")
                                .arg(view->metaObject()->className())
                                .arg(view->width())
                                .arg(scroll->viewport()->width());
            // Nothing inside is cut at its right edge behind a horizontal scroll bar either:
            // the what-if form's fields, a diagnostics line.
            for (QAbstractScrollArea* inner : view->findChildren<QAbstractScrollArea*>()) {
                if (!inner->isVisibleTo(view) ||
                    (!qobject_cast<QScrollArea*>(inner) && !qobject_cast<QListView*>(inner)))
                    continue;
                if (inner->horizontalScrollBar()->isVisible())
                    problems << QStringLiteral("%1: %2 scrolls sideways")
                                    .arg(view->metaObject()->className(),
                                         inner->objectName().isEmpty()
                                             ? QString(inner->metaObject()->className())
                                             : inner->objectName());
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join("; ")));
    }

    // Issue 17: Help had only About. The user guide ships inside the program and opens locally.
    void helpShowsGuideAndShortcuts() {
        MainWindow window;
        QAction* guide = window.findChild<QAction*>("helpUserGuide");
        QAction* keys = window.findChild<QAction*>("helpShortcuts");
        QVERIFY(guide && keys);
        QCOMPARE(guide->shortcut(), QKeySequence(QKeySequence::HelpContents));
        guide->trigger();
        auto* dialog = window.findChild<GuideDialog*>("guideDialog");
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->currentPage(), GuideDialog::Page::Workbench);
        const QString workbench = dialog->browser(GuideDialog::Page::Workbench)->toPlainText();
        QVERIFY2(workbench.contains("Record score"), qPrintable(workbench.left(200)));
        QVERIFY(
            dialog->browser(GuideDialog::Page::CommandLine)->toPlainText().contains("cwb train"));
        keys->trigger();
        QCOMPARE(dialog->currentPage(), GuideDialog::Page::Shortcuts);
        const QString shortcuts = dialog->browser(GuideDialog::Page::Shortcuts)->toPlainText();
        QVERIFY(shortcuts.contains("Ctrl+R"));
        QVERIFY(shortcuts.contains("Ctrl+Shift+M"));
        QVERIFY(!shortcuts.contains("## Responsiveness"));
        // Opening it again raises the same window.
        guide->trigger();
        QCOMPARE(window.findChildren<GuideDialog*>().size(), 1);
    }

    void recentBatchFiles() {
        QTemporaryDir dir;
        const QString copy = dir.filePath("second batch.csv");
        QVERIFY(QFile::copy(kBatch, copy));
        {
            MainWindow window;
            QVERIFY(window.openModel(kModel, true));
            for (const QString& path : {kBatch, copy}) {
                QSignalSpy ready(window.batchView(), &BatchView::previewReady);
                window.batchView()->setInputFile(path);
                QVERIFY(ready.wait(20000));
            }
        }
        // Remembered across sessions, newest first, listed when the menu opens.
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        QMenu* menu = window.recentBatchesMenu();
        QVERIFY(menu);
        emit menu->aboutToShow();
        const QList<QAction*> actions = menu->actions();
        QVERIFY(actions.size() >= 2);
        QCOMPARE(actions[0]->data().toString(), QFileInfo(copy).absoluteFilePath());
        QCOMPARE(actions[1]->data().toString(), QFileInfo(kBatch).absoluteFilePath());
        QCOMPARE(mnemonicOf(actions[0]->text()), QChar('1'));
        // Choosing one opens it in the Batch view, ready to run.
        window.showView(window.applicantView());
        QSignalSpy ready(window.batchView(), &BatchView::previewReady);
        actions[1]->trigger();
        QCOMPARE(window.currentView(), static_cast<QWidget*>(window.batchView()));
        QVERIFY(ready.wait(20000));
        QCOMPARE(window.batchView()->preview()->path, QFileInfo(kBatch).absoluteFilePath());
        QVERIFY(window.batchView()->preview()->usable());
        // An unusable file is not remembered.
        const QString bad = dir.filePath("not a batch.csv");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a,b\n1,2\n");
        f.close();
        QSignalSpy again(window.batchView(), &BatchView::previewReady);
        window.batchView()->setInputFile(bad);
        QVERIFY(again.wait(20000));
        QVERIFY(!recentFiles("batches").contains(QFileInfo(bad).absoluteFilePath()));
    }

    void everyActionIsKeyboardReachable() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        // With a store open, so that the store's buttons (Record decision, Override) show too.
        QTemporaryDir storeDir;
        QVERIFY(window.openStore(storeDir.filePath("workbench.sqlite")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (QWidget* view : {static_cast<QWidget*>(window.applicantView()),
                              static_cast<QWidget*>(window.batchView()),
                              static_cast<QWidget*>(window.explanationView()),
                              static_cast<QWidget*>(window.compareView()),
                              static_cast<QWidget*>(window.auditView()),
                              static_cast<QWidget*>(window.registryView())}) {
            window.showView(view);
            const QStringList problems = keyboardProblems(window, view);
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join("; ")));
        }
        // The shortcuts work: Alt+3 shows the Batch view, Ctrl+Shift+M the monitoring panel.
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.showView(window.applicantView());
        QTest::keyClick(&window, Qt::Key_3, Qt::AltModifier);
        QCOMPARE(window.currentView(), static_cast<QWidget*>(window.batchView()));
        // The tenth view, the Registry, is Alt+0.
        QTest::keyClick(&window, Qt::Key_0, Qt::AltModifier);
        QCOMPARE(window.currentView(), static_cast<QWidget*>(window.registryView()));
        auto* dock = window.findChild<QDockWidget*>("monitoringDock");
        QVERIFY(dock);
        const bool shown = dock->isVisible();
        QTest::keyClick(&window, Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(dock->isVisible(), !shown);

        // The settings dialog: one label with a mnemonic per field, no letter twice.
        SettingsDialog dialog(window.settings(), window.model().get());
        QMap<QChar, QString> letters;
        QStringList clashes;
        const auto note = [&](const QString& text) {
            const QChar c = mnemonicOf(text);
            if (c.isNull()) return;
            if (letters.contains(c)) clashes << letters[c] + " / " + text;
            letters[c] = text;
        };
        for (QLabel* l : dialog.findChildren<QLabel*>())
            if (l->buddy()) note(l->text());
        for (QAbstractButton* b : dialog.findChildren<QAbstractButton*>())
            note(b->text());
        for (QGroupBox* g : dialog.findChildren<QGroupBox*>())
            note(g->title());
        QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join("; ")));
        for (QWidget* field : dialog.findChildren<QWidget*>())
            if (qobject_cast<QLineEdit*>(field) || qobject_cast<QAbstractSpinBox*>(field)) {
                if (!field->parentWidget() ||
                    qobject_cast<QAbstractSpinBox*>(field->parentWidget()))
                    continue;  // a spin box's own line edit
                bool labelled = false;
                for (QLabel* l : dialog.findChildren<QLabel*>())
                    labelled = labelled || (l->buddy() == field && !mnemonicOf(l->text()).isNull());
                QVERIFY2(labelled, qPrintable(field->objectName()));
            }
    }

    void aboutNamesLibraryVersions() {
        const QString text = MainWindow::aboutText();
        for (const char* name : {"Qt", "XGBoost", "SQLite"})
            QVERIFY2(text.contains(name), qPrintable(text));
    }

    void settingsChangeCutoffs() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        ApplicantView* view = window.applicantView();
        QSignalSpy loaded(view, &ApplicantView::loaded);
        view->loadFromFile(kApplicants, 1);
        QVERIFY(loaded.wait(10000));
        QVERIFY(view->result()->decision == Decision::Refer);  // 517 with bands 499 / 538
        const long score = view->result()->score;

        SettingsDialog dialog(window.settings(), window.model().get());
        dialog.findChild<QGroupBox*>("overrideScaling")->setChecked(true);
        auto* approve = dialog.findChild<QDoubleSpinBox*>("approveFrom");
        auto* decline = dialog.findChild<QDoubleSpinBox*>("declineBelow");
        // Inconsistent cutoffs are refused with a message, the dialog stays open.
        decline->setValue(600);
        approve->setValue(550);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(!dialog.findChild<QLabel*>("settingsError")->text().isEmpty());
        decline->setValue(480);
        approve->setValue(score - 1);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        window.applySettings(dialog.settings());
        QVERIFY(view->result());
        QCOMPARE(view->result()->score, score);  // same scaling, new bands
        QVERIFY(view->result()->decision == Decision::Approve);
    }

    // Issue 17: changing a model's cutoffs makes a new policy version, shown in the header and
    // recorded with who and when.
    void cutoffsMakePolicyVersions() {
        QFile::remove(MainWindow::policyLogPath());
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        QCOMPARE(window.policyVersion(), 1);
        QCOMPARE(window.modelHeader()->policyText(), QString("policy v1"));
        QVERIFY(!QFile::exists(MainWindow::policyLogPath()));  // the bundle's own: nothing new

        AppSettings changed = window.settings();
        changed.overrideScaling = true;
        changed.scaling = window.model()->scaling;
        changed.policy.approveFrom = window.model()->policy.approveFrom + 10;
        changed.policy.declineBelow = window.model()->policy.declineBelow;
        window.applySettings(changed);
        QCOMPARE(window.policyVersion(), 2);
        QCOMPARE(window.modelHeader()->policyText(), QString("policy v2"));
        window.applySettings(changed);  // the same values: no new version
        QCOMPARE(window.policyVersion(), 2);
        QStringList lines = test::readLines(MainWindow::policyLogPath());
        QCOMPARE(lines.size(), 1);
        const auto record = nlohmann::json::parse(lines[0].toStdString());
        QCOMPARE(record["policy_version"].get<int>(), 2);
        QCOMPARE(record["model"].get<std::string>(), std::string("german_credit"));
        QCOMPARE(record["source"].get<std::string>(), std::string("settings"));
        QCOMPARE(record["policy"]["approve_from"].get<double>(), changed.policy.approveFrom);
        QVERIFY(!record["changed_by"].get<std::string>().empty());
        QVERIFY(!record["changed_at"].get<std::string>().empty());

        AppSettings own = changed;
        own.overrideScaling = false;  // back to the model's own cutoffs: a version too
        window.applySettings(own);
        QCOMPARE(window.policyVersion(), 3);
        lines = test::readLines(MainWindow::policyLogPath());
        QCOMPARE(lines.size(), 2);
        // A new session finds the history.
        MainWindow again;
        QVERIFY(again.openModel(kModel, true));
        QCOMPARE(again.policyVersion(), 3);
        QFile::remove(MainWindow::policyLogPath());
    }

    void scalingOverrideMovesReferenceScores() {
        auto loaded = loadBundle(kModel.toStdString());
        QVERIFY(loaded);
        auto bundle = std::make_shared<const ModelBundle>(std::move(*loaded));
        AppSettings settings;
        settings.overrideScaling = true;
        settings.scaling = {700.0, 30.0, 40.0};
        auto moved = effectiveBundle(bundle, settings);
        const auto& before = bundle->metrics["reference_scores"]["edges"];
        const auto& after = moved->metrics["reference_scores"]["edges"];
        QCOMPARE(after.size(), before.size());
        for (std::size_t i = 0; i < before.size(); ++i) {
            const double margin = bundle->scaling.marginFromPoints(before[i].get<double>());
            QVERIFY(std::abs(after[i].get<double>() - settings.scaling.pointsFromMargin(margin)) <
                    1e-9);
        }
        settings.overrideScaling = false;
        QCOMPARE(effectiveBundle(bundle, settings), bundle);
    }

    void screenshotsAreRendered() {
        QTemporaryDir dir;
        const QString error = renderScreenshots(
            dir.path(), kModel, cwb::test::sourceFile(QStringLiteral("sample_data")));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const char* name : {"applicant.png", "explanation.png", "batch.png"}) {
            QImage image(dir.filePath(name));
            QVERIFY2(!image.isNull(), name);
            QVERIFY(image.width() >= 1000 && image.height() >= 700);
            // Not a blank image: many distinct colours.
            QSet<QRgb> colours;
            for (int y = 0; y < image.height(); y += 7)
                for (int x = 0; x < image.width(); x += 7)
                    colours.insert(image.pixel(x, y));
            QVERIFY2(colours.size() > 20, name);
        }
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
