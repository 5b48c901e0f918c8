// The performance view's Export report action and Fairness tab, driven offscreen: the
// validation report is built on a worker, previewed page by page in a QPdfView and saved as
// PDF and Excel; the Fairness tab shows the figures of `cwb fairness` on the same file. The batch
// view's Export report previews the batch report of its file, with the bundle's SHA-256.

#include <QCryptographicHash>
#include <QFile>
#include <QPdfDocument>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include <nlohmann/json.hpp>

#include "../common/TestPaths.h"
#include "scoring/ModelBundle.h"
#include "ui/batch/BatchView.h"
#include "ui/performance/FairnessPanel.h"
#include "ui/performance/PerformanceView.h"
#include "ui/performance/ReportPanels.h"
#include "ui/reports/ReportPreviewDialog.h"
#include "ui/widgets/ReportTableModel.h"

using namespace cwb;
using namespace cwb::ui;

namespace {
const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kData = cwb::test::sourceFile(QStringLiteral("sample_data/german_credit.csv"));
const QString kBatch = cwb::test::sourceFile(QStringLiteral("sample_data/batch_german.csv"));
}  // namespace

class ReportPreviewTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::shared_ptr<const ModelBundle> m_bundle;

private slots:
    void initTestCase() {
        auto loaded = loadBundle(kModel.toStdString());
        QVERIFY(loaded.ok());
        m_bundle = std::make_shared<const ModelBundle>(std::move(*loaded));
    }

    void exportReportPreviewsAndSaves() {
        PerformanceView view;
        view.setModel(m_bundle);
        view.setModelPath(kModel);
        view.setDataFile(kData);
        ReportPreviewDialog* dialog = view.exportReport();
        QVERIFY(dialog);
        QSignalSpy ready(dialog, &ReportPreviewDialog::ready);
        QVERIFY(ready.wait(120000));
        QVERIFY2(ready.at(0).at(0).toBool(), qPrintable(ready.at(0).at(1).toString()));
        QVERIFY(dialog->pageCount() >= 5);
        QCOMPARE(dialog->document()->status(), QPdfDocument::Status::Ready);
        // The preview's text is the report's: the title and the bundle's name are on page 1.
        const QString page1 = dialog->document()->getAllText(0).text();
        QVERIFY(page1.contains("Model validation report"));
        QVERIFY(page1.contains("german_credit"));

        const QString pdf = m_dir.filePath("saved.pdf");
        const QString xlsx = m_dir.filePath("saved.xlsx");
        QString error;
        QVERIFY2(dialog->savePdfTo(pdf, &error), qPrintable(error));
        QVERIFY2(dialog->saveXlsxTo(xlsx, &error), qPrintable(error));
        QPdfDocument reopened;
        reopened.load(pdf);
        QCOMPARE(reopened.pageCount(), dialog->pageCount());
        QVERIFY(QFile(xlsx).size() > 5000);
        dialog->close();
    }

    void noReportWithoutAFile() {
        PerformanceView view;
        view.setModel(m_bundle);
        QVERIFY(view.exportReport() == nullptr);
    }

    void batchViewExportsTheBatchReport() {
        BatchView view;
        QVERIFY(view.findChild<QPushButton*>("exportReport"));
        QVERIFY(view.exportReport() == nullptr);  // no model, no file yet
        view.setModel(m_bundle, 4, 2);
        view.setModelPath(kModel);
        QSignalSpy previewed(&view, &BatchView::previewReady);
        view.setInputFile(kBatch);
        QVERIFY(previewed.wait(60000));
        QVERIFY(view.findChild<QPushButton*>("exportReport")->isEnabled());
        ReportPreviewDialog* dialog = view.exportReport();
        QVERIFY(dialog);
        QSignalSpy ready(dialog, &ReportPreviewDialog::ready);
        QVERIFY(ready.wait(120000));
        QVERIFY2(ready.at(0).at(0).toBool(), qPrintable(ready.at(0).at(1).toString()));
        QString text = dialog->document()->getAllText(0).text();
        QVERIFY(text.contains("Batch scoring report"));
        QFile model(kModel);
        QVERIFY(model.open(QIODevice::ReadOnly));
        const QString sha =
            QCryptographicHash::hash(model.readAll(), QCryptographicHash::Sha256).toHex();
        text.remove(QRegularExpression("\\s"));
        QVERIFY2(text.contains(sha), qPrintable(text.left(400)));
        const QString xlsx = m_dir.filePath("batch.xlsx");
        QString error;
        QVERIFY2(dialog->saveXlsxTo(xlsx, &error), qPrintable(error));
        QVERIFY(QFile(xlsx).size() > 5000);
        dialog->close();
    }

    void fairnessTabMatchesTheCommandLine() {
        PerformanceView view;
        view.setModel(m_bundle);
        view.setDataFile(kData);
        FairnessPanel* panel = view.fairness();
        QVERIFY(panel);
        auto* tabs = view.findChild<QTabWidget*>("performanceTabs");
        QVERIFY(tabs && tabs->indexOf(panel) >= 0);
        panel->setColumns("personal_status_sex");
        QSignalSpy analysed(panel, &FairnessPanel::analysed);
        QVERIFY(panel->analyse());
        QVERIFY(analysed.wait(60000));
        QVERIFY2(analysed.at(0).at(0).toBool(), qPrintable(analysed.at(0).at(1).toString()));

        QProcess cli;
        cli.start(cwb::test::cliExecutable(),
                  {"fairness", "--model", kModel, "--data", kData, "--protected",
                   "personal_status_sex", "--json", "--quiet"});
        QVERIFY(cli.waitForFinished(60000));
        const auto j = nlohmann::json::parse(cli.readAllStandardOutput().toStdString());
        const auto& groups = j["attributes"][0]["groups"];
        ReportTableModel* model = panel->table()->model();
        QCOMPARE(model->rowCount(), static_cast<int>(groups.size()));
        for (int r = 0; r < model->rowCount(); ++r) {
            QCOMPARE(model->index(r, 1).data().toString(),
                     QString::fromStdString(groups[r]["group"].get<std::string>()));
            QCOMPARE(model->index(r, 2).data(ReportTableModel::ValueRole).toULongLong(),
                     groups[r]["count"].get<qulonglong>());
            QCOMPARE(model->index(r, 4).data(ReportTableModel::ValueRole).toDouble(),
                     groups[r]["adverse_impact_ratio"].get<double>());
        }
    }
};

QTEST_MAIN(ReportPreviewTest)
#include "tst_report_preview.moc"
