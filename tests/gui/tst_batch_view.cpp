// The batch view driven as a user would: preview a file, run it, filter and sort the results,
// export them, cancel a long run, look at rejects. QAbstractItemModelTester watches the
// results and rejects models throughout.

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "../common/TestPaths.h"
#include "scoring/Scorer.h"
#include "ui/batch/BatchResultsModel.h"
#include "ui/batch/BatchSummaryPanel.h"
#include "ui/batch/BatchView.h"
#include "ui/explanation/ExplanationView.h"
#include "ui/shell/MainWindow.h"
#include "ui/widgets/ColumnFit.h"
#include "ui/widgets/ScorePanel.h"

using namespace cwb;
using namespace cwb::ui;

namespace {

const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kBatch = cwb::test::sourceFile(QStringLiteral("sample_data/batch_german.csv"));

QStringList readLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
}

// Writes the header of the sample batch and then its rows, repeated or edited.
QString writeBatch(const QString& dir, const QString& name, int copies,
                   const std::function<QString(int, const QString&)>& edit = {}) {
    const QStringList lines = readLines(kBatch);
    const QString path = dir + '/' + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(lines[0].toUtf8() + '\n');
    int n = 0;
    for (int c = 0; c < copies; ++c)
        for (int i = 1; i < lines.size(); ++i, ++n)
            f.write((edit ? edit(n, lines[i]) : lines[i]).toUtf8() + '\n');
    return path;
}

struct Fixture {
    MainWindow window;
    BatchView* view = nullptr;
    std::unique_ptr<QAbstractItemModelTester> tester;
    Fixture() {
        window.openModel(kModel, true);
        view = window.batchView();
        tester = std::make_unique<QAbstractItemModelTester>(
            view->resultsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    bool preview(const QString& path) {
        QSignalSpy ready(view, &BatchView::previewReady);
        view->setInputFile(path);
        return ready.wait(20000);
    }
    bool runToResults() {
        QSignalSpy results(view, &BatchView::resultsReady);
        if (!view->run()) return false;
        return results.wait(120000);
    }
    bool waitView() {
        QSignalSpy changed(view->resultsModel(), &BatchResultsModel::viewChanged);
        return changed.wait(20000);
    }
};

}  // namespace

class TestBatchView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void previewShowsDialectAndProblems() {
        Fixture f;
        QVERIFY(f.preview(kBatch));
        const BatchPreview& p = *f.view->preview();
        QVERIFY(p.usable());
        QVERIFY(p.dialect.contains("comma"));
        QCOMPARE(p.rows.size(), 20);
        QCOMPARE(p.header.first(), QString("applicant_id"));
        // Protected attributes are in the file but never used by the model.
        QVERIFY(p.problems.join(' ').contains("age_years"));
        auto* table = f.window.findChild<QTableWidget*>("previewTable");
        QCOMPARE(table->rowCount(), 20);
    }

    void dropAFileToPreviewIt() {
        Fixture f;
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(kBatch)});
        QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        enter.ignore();
        QApplication::sendEvent(f.view, &enter);
        QVERIFY(enter.isAccepted());
        QSignalSpy ready(f.view, &BatchView::previewReady);
        QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(f.view, &drop);
        QVERIFY(ready.wait(20000));
        QCOMPARE(f.view->preview()->path, kBatch);
        QVERIFY(f.view->preview()->usable());
    }

    void unusableFileIsRefusedClearly() {
        Fixture f;
        QTemporaryDir dir;
        QFile bad(dir.filePath("bad.csv"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("name,amount\nx,1\n");
        bad.close();
        QVERIFY(f.preview(bad.fileName()));
        QVERIFY(!f.view->preview()->usable());
        QVERIFY2(f.view->preview()->error.contains("checking_status"),
                 qPrintable(f.view->preview()->error));
        QVERIFY(!f.view->run());
    }

    void runShowsResultsAndSummary() {
        Fixture f;
        QVERIFY(f.preview(kBatch));
        QVERIFY(f.runToResults());
        BatchResultsModel* model = f.view->resultsModel();
        QCOMPARE(model->rowCount(), 5000);
        const BatchSummary& run = *f.view->lastRun();
        QCOMPARE(run.rowsRead, std::size_t{5000});
        QCOMPARE(run.rowsScored + run.rowsRejected, run.rowsRead);
        // Counts by decision agree between the engine, the index and the summary panel.
        const BatchStats& stats = f.view->summaryPanel()->stats();
        QCOMPARE(stats.counts[0], run.decisions.at("approve"));
        QCOMPARE(stats.counts[2], run.decisions.at("decline"));
        QVERIFY(!std::isnan(stats.psi));
        QVERIFY(stats.psi >= 0.0 && stats.psi < 0.25);  // the sample is like the training data
        double histogramTotal = 0;
        for (const auto& s : stats.histogram.series)
            for (double v : s.values)
                histogramTotal += v;
        QCOMPARE(histogramTotal, 5000.0);
        // First row: id and PD as the scorer gives them for that applicant.
        QCOMPARE(model->data(model->index(0, 0)).toString(), QString("B00001"));
        auto bundle = f.window.model();
        const QStringList header = readLines(kBatch)[0].split(',');
        const QStringList first =
            readLines(kBatch)[1].split(QRegularExpression(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)"));
        std::map<std::string, std::string> record;
        for (int c = 0; c < header.size(); ++c) {
            QString v = first[c];
            if (v.startsWith('"')) v = v.mid(1, v.size() - 2);
            if (bundle->schema.find(header[c].toStdString()) &&
                bundle->schema.find(header[c].toStdString())->role == ColumnRole::Feature)
                record[header[c].toStdString()] = v.toStdString();
        }
        auto expected = Scorer(bundle).explainRecord(record, 4);
        QVERIFY(expected);
        QCOMPARE(model->data(model->index(0, 1), BatchResultsModel::PdRole).toDouble(),
                 static_cast<double>(static_cast<float>(expected->pd)));
        QCOMPARE(model->data(model->index(0, 2), BatchResultsModel::ScoreRole).toInt(),
                 static_cast<int>(expected->score));
        QCOMPARE(model->data(model->index(0, 4), BatchResultsModel::ReasonFeatureRole).toString(),
                 QString::fromStdString(expected->reasons[0].feature));
        // Issue 17: the reason cells say what counted against the applicant (the text for its
        // own level or range, as the Applicant view says it), not only the characteristic;
        // hovering adds the characteristic. The scorer's text columns are not shown twice.
        for (int k = 0; k < static_cast<int>(expected->reasons.size()); ++k) {
            const Reason& reason = expected->reasons[static_cast<std::size_t>(k)];
            QCOMPARE(model->data(model->index(0, 4 + k)).toString().toStdString(), reason.text);
            QCOMPARE(model->data(model->index(0, 4 + k), Qt::ToolTipRole).toString().toStdString(),
                     bundle->schema.find(reason.feature)->displayName() + ": " + reason.text);
        }
        QVERIFY(expected->reasons[0].text != bundle->reasonText(expected->reasons[0].feature));
        QCOMPARE(model->columnCount(), 12);
        for (int c = 0; c < model->columnCount(); ++c)
            QCOMPARE(f.view->resultsTable()->isColumnHidden(c), c >= 8);
        QCOMPARE(model->headerData(8, Qt::Horizontal).toString(), QString("Reason 1 text"));
        QVERIFY(f.view->statusText().contains("rows/s"));
        // The summary names the bundle by its manifest hash, as cwb score's summary does.
        QCOMPARE(bundle->sha256.size(), std::size_t{64});
        QVERIFY2(f.view->summaryPanel()->runText().contains(QString::fromStdString(bundle->sha256)),
                 qPrintable(f.view->summaryPanel()->runText()));
    }

    // Issue 17: at 1280x720 the four reason columns, sized to their longest texts, wrapped
    // onto two lines and the fourth ran off the window's edge. They now share the width on one
    // line each.
    void resultsFitTheWindowAt1280x720() {
        Fixture f;
        f.window.resize(1280, 720);
        f.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.window));
        f.window.showView(f.view);
        QVERIFY(f.preview(kBatch));
        QVERIFY(f.runToResults());
        QTableView* table = f.view->resultsTable();
        QCoreApplication::processEvents();
        QVERIFY(!table->wordWrap());
        const QHeaderView* header = table->horizontalHeader();
        int total = 0, reasons = 0;
        for (int c = 0; c < header->count(); ++c) {
            if (header->isSectionHidden(c)) continue;
            total += header->sectionSize(c);
            if (header->model()->headerData(c, Qt::Horizontal).toString().startsWith("Reason")) {
                ++reasons;
                // Room for at least 15 characters of a reason: never squeezed to "Credit hi...".
                QVERIFY2(
                    header->sectionSize(c) >=
                        table->fontMetrics().horizontalAdvance(QStringLiteral("Installment rat")),
                    qPrintable(
                        QStringLiteral("column %1: %2 px").arg(c).arg(header->sectionSize(c))));
            }
        }
        QCOMPARE(reasons, 4);
        QVERIFY2(total <= table->viewport()->width(),
                 qPrintable(QStringLiteral("%1 of %2").arg(total).arg(table->viewport()->width())));
    }

    // The widths rule on its own: narrow columns keep theirs, the widest share one cap, never
    // below the floor.
    void columnWidthsShareTheRoom() {
        QCOMPARE(fitColumnWidths({50, 60, 300, 250, 400}, 2000, 80),
                 (std::vector<int>{50, 60, 300, 250, 400}));
        const std::vector<int> fitted = fitColumnWidths({50, 60, 300, 250, 400}, 700, 80);
        QCOMPARE(fitted[0], 50);
        QCOMPARE(fitted[1], 60);
        QCOMPARE(fitted[2], fitted[4]);  // one cap for the widest
        QVERIFY(fitted[3] <= fitted[2]);
        int sum = 0;
        for (int w : fitted)
            sum += w;
        QVERIFY(sum <= 700 && sum >= 697);
        QCOMPARE(fitColumnWidths({50, 300, 400}, 100, 80), (std::vector<int>{50, 80, 80}));
        QVERIFY(fitColumnWidths({}, 100, 80).empty());
    }

    void filterAndSort() {
        Fixture f;
        QVERIFY(f.preview(kBatch));
        QVERIFY(f.runToResults());
        BatchResultsModel* model = f.view->resultsModel();
        const std::size_t declines = f.view->summaryPanel()->stats().counts[2];
        // The user unticks Approve and Refer.
        auto* approve = f.window.findChild<QCheckBox*>("approveBox");
        auto* refer = f.window.findChild<QCheckBox*>("referBox");
        QVERIFY(approve && refer);
        approve->click();
        QVERIFY(f.waitView());
        refer->click();
        QVERIFY(f.waitView());
        QCOMPARE(static_cast<std::size_t>(model->rowCount()), declines);
        for (int r = 0; r < model->rowCount(); ++r)
            QCOMPARE(model->data(model->index(r, 3), BatchResultsModel::DecisionRole).toString(),
                     QString("decline"));
        // Score range on everything.
        f.view->setFilter(true, true, true, 500, 520);
        QVERIFY(f.waitView());
        QVERIFY(model->rowCount() > 0);
        for (int r = 0; r < model->rowCount(); ++r) {
            const int s = model->data(model->index(r, 2), BatchResultsModel::ScoreRole).toInt();
            QVERIFY(s >= 500 && s <= 520);
        }
        // Clicking the Score header sorts; twice sorts descending.
        QTableView* table = f.view->resultsTable();
        table->sortByColumn(2, Qt::DescendingOrder);
        QVERIFY(f.waitView());
        for (int r = 1; r < model->rowCount(); ++r)
            QVERIFY(model->data(model->index(r - 1, 2), BatchResultsModel::ScoreRole).toInt() >=
                    model->data(model->index(r, 2), BatchResultsModel::ScoreRole).toInt());
        table->sortByColumn(0, Qt::AscendingOrder);
        QVERIFY(f.waitView());
        for (int r = 1; r < model->rowCount(); ++r)
            QVERIFY(model->data(model->index(r - 1, 0)).toString() <
                    model->data(model->index(r, 0)).toString());
    }

    void exportWritesTheRowsShown() {
        Fixture f;
        QVERIFY(f.preview(kBatch));
        QVERIFY(f.runToResults());
        f.view->setFilter(false, true, false, -99999, 99999);
        QVERIFY(f.waitView());
        const int shown = f.view->resultsModel()->rowCount();
        QTemporaryDir dir;
        const QString out = dir.filePath("refer.csv");
        QSignalSpy exported(f.view, &BatchView::exportFinished);
        QVERIFY(f.view->exportResults(out));
        QVERIFY(exported.wait(20000));
        QVERIFY2(exported.at(0).at(0).toBool(), qPrintable(exported.at(0).at(1).toString()));
        const QStringList lines = readLines(out);
        QCOMPARE(lines.size(), shown + 1);
        QVERIFY(lines[0].startsWith("applicant_id,pd,score,decision,reason_1"));
        for (int i = 1; i < lines.size(); ++i)
            QVERIFY(lines[i].contains(",refer"));
    }

    // Issue 17: after another file is chosen, the previous file's results must not stay on
    // screen (or exportable) while the status says "Ready to score".
    void resultsBelongToOneFileAndRun() {
        Fixture f;
        QTemporaryDir dir;
        const QString small = dir.filePath("small.csv");
        {
            QFile out(small);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write((readLines(kBatch).mid(0, 31).join('\n') + '\n').toUtf8());
        }
        QVERIFY(f.preview(kBatch));
        QVERIFY(f.runToResults());
        QCOMPARE(f.view->resultsModel()->rowCount(), 5000);
        QVERIFY2(f.view->resultsSourceText().contains("batch_german.csv"),
                 qPrintable(f.view->resultsSourceText()));
        QVERIFY(f.view->resultsSourceText().contains("run 1"));
        auto* exportButton = f.window.findChild<QPushButton*>("exportResultsButton");
        QVERIFY(exportButton);
        QVERIFY(exportButton->isEnabled());

        QVERIFY(f.preview(small));
        QVERIFY(f.view->statusText().contains("Ready to score"));
        QCOMPARE(f.view->resultsModel()->rowCount(), 0);
        QVERIFY(!f.view->lastRun());
        QVERIFY(!exportButton->isEnabled());
        QVERIFY(!f.view->exportResults(dir.filePath("wrong.csv")));
        QVERIFY(!f.view->resultsSourceText().contains("batch_german.csv"));
        QCOMPARE(f.view->summaryPanel()->stats().counts[0], std::size_t{0});

        QVERIFY(f.runToResults());
        QCOMPARE(f.view->resultsModel()->rowCount(), 30);
        QVERIFY(f.view->resultsSourceText().contains("small.csv"));
        QVERIFY(f.view->resultsSourceText().contains("run 2"));
        // Choosing the same file again keeps its results.
        QVERIFY(f.preview(small));
        QCOMPARE(f.view->resultsModel()->rowCount(), 30);
    }

    // Issue 17: a 26-row batch reported PSI 1.13, "major shift: investigate", with no word about
    // the sample being too small to judge.
    void smallBatchGetsNoStabilityVerdict() {
        Fixture f;
        QTemporaryDir dir;
        const QString small = dir.filePath("small26.csv");
        {
            QFile out(small);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write((readLines(kBatch).mid(0, 27).join('\n') + '\n').toUtf8());
        }
        QVERIFY(f.preview(small));
        QVERIFY(f.runToResults());
        const BatchStats& stats = f.view->summaryPanel()->stats();
        QCOMPARE(stats.rows, std::size_t{26});
        QVERIFY(!std::isnan(stats.psi));
        QVERIFY(!stats.psiJudgeable());
        auto* label = f.window.findChild<QLabel*>("psiLabel");
        QVERIFY(label);
        QVERIFY2(label->text().contains("too small to judge"), qPrintable(label->text()));
        QVERIFY2(!label->text().contains("shift"), qPrintable(label->text()));
        // The full sample batch is judged.
        QVERIFY(f.preview(kBatch));
        QVERIFY(f.runToResults());
        QVERIFY(f.view->summaryPanel()->stats().psiJudgeable());
        QVERIFY2(label->text().contains("stable"), qPrintable(label->text()));
    }

    void cancelLeavesNoResults() {
        Fixture f;
        QTemporaryDir dir;
        const QString big = writeBatch(dir.path(), "big.csv", 40);  // 200,000 rows
        QVERIFY(f.preview(big));
        QSignalSpy finished(f.view, &BatchView::runFinished);
        QVERIFY(f.view->run());
        QVERIFY(f.view->isRunning());
        // The user presses Cancel (Esc) while the job runs.
        f.view->cancel();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(finished.at(0).at(1).toBool(), true);
        QVERIFY(!f.view->isRunning());
        QVERIFY(!f.view->lastRun());
        QCOMPARE(f.view->resultsModel()->rowCount(), 0);
        QVERIFY(f.view->statusText().contains("Cancelled"));
        // A run after a cancel works.
        QVERIFY(f.preview(kBatch));
        QVERIFY(f.runToResults());
        QCOMPARE(f.view->resultsModel()->rowCount(), 5000);
    }

    // Issue 17: double-clicking a results row opens that applicant's explanation, also when
    // rejected rows before it shift the rows of the input file.
    void doubleClickOpensTheExplanation() {
        Fixture f;
        QTemporaryDir dir;
        const QString path = writeBatch(dir.path(), "bad.csv", 1, [](int n, const QString& line) {
            QStringList fields = line.split(',');
            if (n == 3) fields[2] = "abc";
            if (n == 10) fields[4] = "spaceship";
            if (n == 20) return fields.mid(0, 5).join(',');
            return fields.join(',');
        });
        QVERIFY(f.preview(path));
        QVERIFY(f.runToResults());
        BatchResultsModel* model = f.view->resultsModel();
        QCOMPARE(model->data(model->index(25, 0)).toString(), QString("B00029"));
        const QString score = model->data(model->index(25, 2)).toString();
        QSignalSpy explained(&f.window, &MainWindow::batchRowExplained);
        QTableView* table = f.view->resultsTable();
        f.window.show();
        f.window.showView(f.view);
        QVERIFY(QTest::qWaitForWindowExposed(&f.window));
        // The table's double-click signal, as the view sends it for a row under the mouse.
        emit table->doubleClicked(model->index(25, 1));
        QVERIFY2(explained.wait(20000), qPrintable(f.window.statusBar()->currentMessage()));
        QVERIFY2(explained.at(0).at(0).toString().contains("B00029"),
                 qPrintable(explained.at(0).at(0).toString()));
        QCOMPARE(f.window.currentView(), static_cast<QWidget*>(f.window.explanationView()));
        QCOMPARE(f.window.explanationView()->panel()->scoreText(), score);
    }

    void rejectsAreListedAndExported() {
        Fixture f;
        QTemporaryDir dir;
        const QString path = writeBatch(dir.path(), "bad.csv", 1, [](int n, const QString& line) {
            QStringList fields = line.split(',');
            if (n == 3) fields[2] = "abc";                   // duration_months not a number
            if (n == 10) fields[4] = "spaceship";            // purpose never seen in training
            if (n == 20) return fields.mid(0, 5).join(',');  // too few fields
            return fields.join(',');
        });
        QVERIFY(f.preview(path));
        QVERIFY(f.runToResults());
        QCOMPARE(f.view->lastRun()->rowsRejected, std::size_t{3});
        QCOMPARE(f.view->resultsModel()->rowCount(), 4997);
        RejectsModel* rejects = f.view->summaryPanel()->rejectsModel();
        QAbstractItemModelTester rejectsTester(
            rejects, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(rejects->rowCount(), 3);
        QCOMPARE(rejects->data(rejects->index(0, 0)).toLongLong(), 5LL);  // header is line 1
        QCOMPARE(rejects->data(rejects->index(0, 1)).toString(), QString("duration_months"));
        QCOMPARE(rejects->data(rejects->index(1, 1)).toString(), QString("purpose"));
        QSignalSpy exported(f.view, &BatchView::exportFinished);
        const QString out = dir.filePath("rejects.csv");
        QVERIFY(f.view->exportRejects(out));
        QVERIFY(exported.wait(20000));
        QCOMPARE(readLines(out).size(), 4);
    }

    // Issue 17 (decision 43): a reason cell's tooltip is the text of the applicant's own level
    // or range of the characteristic, not the characteristic's text, whenever the results
    // carry the characteristic's value; without it the characteristic's text remains.
    void reasonTooltipIsTheRowsLevelText() {
        auto loadedBundle = loadBundle(kModel.toStdString());
        QVERIFY(loadedBundle);
        auto bundle = std::make_shared<const ModelBundle>(std::move(*loadedBundle));
        // The shipped model words levels and ranges differently from the characteristic.
        const std::string below0 = bundle->reasonTextOf("checking_status", "< 0 DM");
        const std::string none = bundle->reasonTextOf("checking_status", "no checking account");
        const std::string topic = bundle->reasonText("checking_status");
        QVERIFY(below0 != topic && none != topic && below0 != none);
        const std::string longTerm = bundle->reasonTextOf("duration_months", "48");
        QVERIFY(longTerm != bundle->reasonText("duration_months"));

        QTemporaryDir dir;
        const QString path = dir.filePath("results with fields.csv");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(
                "applicant_id,pd,score,decision,reason_1,reason_2,checking_status,"
                "duration_months\n"
                "A1,0.4,480,decline,checking_status,duration_months,< 0 DM,48\n"
                "A2,0.3,500,refer,checking_status,savings,no checking account,12\n");
        }
        BatchResultsModel model;
        QSignalSpy loaded(&model, &BatchResultsModel::loaded);
        model.load(path, bundle);
        QVERIFY(loaded.wait(20000));
        QVERIFY(loaded.at(0).at(0).toBool());
        const auto tip = [&](int row, int column) {
            return model.data(model.index(row, column), Qt::ToolTipRole).toString().toStdString();
        };
        QCOMPARE(tip(0, 4), below0);
        QCOMPARE(tip(0, 5), longTerm);
        QCOMPARE(tip(1, 4), none);
        // savings has no column in this file: its characteristic text.
        QCOMPARE(tip(1, 5), bundle->reasonText("savings"));
        // The cell itself still shows the characteristic's label.
        QCOMPARE(model.data(model.index(0, 4)).toString().toStdString(),
                 bundle->schema.find("checking_status")->displayName());
    }

    void modelHandlesAMillionRows() {
        // A results file as the scorer writes it, a million rows: indexed, sorted, filtered.
        QTemporaryDir dir;
        const QString path = dir.filePath("million.csv");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            std::string text = "applicant_id,pd,score,decision,reason_1\n";
            char line[96];
            for (int i = 0; i < 1000000; ++i) {
                const int score = 420 + static_cast<int>((static_cast<long long>(i) * 7919) % 200);
                const char* decision = score >= 538 ? "approve" : score < 499 ? "decline" : "refer";
                std::snprintf(line, sizeof line, "P%07d,0.%d,%d,%s,\"a, b\"\n", i,
                              1000 - (score - 420) * 4, score, decision);
                text += line;
            }
            f.write(text.data(), static_cast<qint64>(text.size()));
        }
        // No QAbstractItemModelTester here: it visits every cell after each reset, which is
        // what a view never does; the tester runs on the 5,000-row results above.
        BatchResultsModel model;
        QElapsedTimer clock;
        clock.start();
        QSignalSpy loaded(&model, &BatchResultsModel::loaded);
        model.load(path, nullptr);
        QVERIFY(loaded.wait(120000));
        QVERIFY(loaded.at(0).at(0).toBool());
        QCOMPARE(model.rowCount(), 1000000);
        qInfo() << "indexed a million rows in" << clock.elapsed() << "ms";
        QCOMPARE(model.data(model.index(999999, 0)).toString(), QString("P0999999"));
        QCOMPARE(model.data(model.index(5, 4)).toString(), QString("a, b"));
        QSignalSpy changed(&model, &BatchResultsModel::viewChanged);
        model.sort(2, Qt::AscendingOrder);
        QVERIFY(changed.wait(60000));
        QCOMPARE(model.data(model.index(0, 2), BatchResultsModel::ScoreRole).toInt(), 420);
        QCOMPARE(model.data(model.index(999999, 2), BatchResultsModel::ScoreRole).toInt(), 619);
        const bool declineOnly[3] = {false, false, true};
        model.setFilter(declineOnly, -1000000, 1000000);
        QVERIFY(changed.wait(60000));
        QCOMPARE(model.rowCount(), 79 * 5000);  // scores 420..498, 5000 rows each
    }
};

QTEST_MAIN(TestBatchView)
#include "tst_batch_view.moc"
