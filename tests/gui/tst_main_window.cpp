// The main window around the views: model header and picker, recent files, window geometry,
// settings (scaling and cutoffs), About, and the --screenshots rendering.

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QImage>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/AppSettings.h"
#include "ui/ApplicantView.h"
#include "ui/MainWindow.h"
#include "ui/ModelHeader.h"
#include "ui/Screenshots.h"
#include "ui/SettingsDialog.h"

using namespace cwb;
using namespace cwb::ui;

namespace {
const QString kModel = QStringLiteral(CWB_SOURCE_DIR "/models/german_credit.cwbm");
const QString kApplicants = QStringLiteral(CWB_SOURCE_DIR "/sample_data/applicants.csv");
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
            window.resize(1211, 857);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.close();
        }
        MainWindow again;
        QCOMPARE(again.size(), QSize(1211, 857));
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
        const QString error = renderScreenshots(dir.path(), kModel, CWB_SOURCE_DIR "/sample_data");
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
