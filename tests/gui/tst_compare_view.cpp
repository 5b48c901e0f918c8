// The compare view on two real models: the shipped scorecard (A) and a boosted-tree model
// trained here with the real `cwb train` (B), on the sample data. The swap set is checked
// against counts made independently from `cwb score` with each model; the metrics against
// `cwb evaluate`. Every item model is watched by QAbstractItemModelTester.

#include <QAbstractItemModelTester>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <map>
#include <memory>

#include "../common/GuiTestSupport.h"
#include "ui/compare/CompareView.h"
#include "ui/performance/ReportPanels.h"
#include "ui/widgets/ReportTableModel.h"

using namespace cwb;
using namespace cwb::ui;

namespace {

const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kData = cwb::test::sourceFile(QStringLiteral("sample_data/german_credit.csv"));

using test::readLines;

struct Counts {
    std::size_t onlyA = 0, onlyB = 0, both = 0, neither = 0, onlyABads = 0, onlyBBads = 0;
};

}  // namespace

class TestCompareView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void swapSetMatchesCwbScore();
    void metricsMatchCwbEvaluate();
    void overlaidChartsAndSwapTableExport();
    void refusesABadModelFile();

private:
    // Counts from the cwb score outputs of both models at the given cutoffs.
    Counts count(int cutoffA, int cutoffB) const;
    bool compare(CompareView& view, const QString& modelB);

    QTemporaryDir m_dir;
    QString m_modelB;
    std::map<QString, int> m_scoresA, m_scoresB;
    std::map<QString, bool> m_bad;
};

void TestCompareView::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_modelB = m_dir.filePath("trees.cwbm");
    const auto train = test::runCli({"train",
                                     "--data",
                                     kData,
                                     "--target",
                                     "class",
                                     "--bad",
                                     "2",
                                     "--algorithm",
                                     "xgboost",
                                     "--cv",
                                     "2",
                                     "--seed",
                                     "7",
                                     "--protected",
                                     "personal_status_sex,age_years,foreign_worker",
                                     "--name",
                                     "german_trees",
                                     "--out",
                                     m_modelB,
                                     "--quiet"});
    QVERIFY2(train.exitCode == 0, train.err.constData());
    m_scoresA = test::cliScores(kModel, kData, m_dir.filePath("a.csv"));
    m_scoresB = test::cliScores(m_modelB, kData, m_dir.filePath("b.csv"));
    QCOMPARE(m_scoresA.size(), std::size_t(1000));
    QCOMPARE(m_scoresB.size(), std::size_t(1000));
    const QStringList lines = readLines(kData);
    for (int i = 1; i < lines.size(); ++i)
        m_bad[lines[i].section(',', 0, 0)] = lines[i].section(',', -1) == QLatin1String("2");
}

Counts TestCompareView::count(int cutoffA, int cutoffB) const {
    Counts c;
    for (const auto& [id, a] : m_scoresA) {
        const bool approvedA = a >= cutoffA, approvedB = m_scoresB.at(id) >= cutoffB;
        const bool bad = m_bad.at(id);
        if (approvedA && approvedB)
            ++c.both;
        else if (!approvedA && !approvedB)
            ++c.neither;
        else if (approvedA) {
            ++c.onlyA;
            c.onlyABads += bad;
        } else {
            ++c.onlyB;
            c.onlyBBads += bad;
        }
    }
    return c;
}

bool TestCompareView::compare(CompareView& view, const QString& modelB) {
    QSignalSpy done(&view, &CompareView::compared);
    view.setModelBFile(modelB);
    view.setDataFile(kData);
    if (!view.compare()) return false;
    if (!done.wait(120000)) return false;
    return done[0][0].toBool();
}

void TestCompareView::swapSetMatchesCwbScore() {
    auto a = loadBundle(kModel.toStdString());
    QVERIFY(a.ok());
    CompareView view;
    view.setModel(std::make_shared<const ModelBundle>(std::move(*a)));
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (const QString& name : view.tableNames())
        testers.push_back(std::make_unique<QAbstractItemModelTester>(
            view.table(name)->model(), QAbstractItemModelTester::FailureReportingMode::QtTest));
    QVERIFY(compare(view, m_modelB));
    QVERIFY(view.comparison());
    QCOMPARE(view.comparison()->a.rows, std::size_t(1000));
    QCOMPARE(view.comparison()->rowsOnlyA + view.comparison()->rowsOnlyB, std::size_t(0));
    // Each model starts at its own decline boundary.
    QCOMPARE(view.cutoffA(), 499);

    for (const auto& [ca, cb] : std::vector<std::pair<int, int>>{
             {view.cutoffA(), view.cutoffB()}, {499, 520}, {540, 480}, {500, 500}}) {
        view.setCutoffs(ca, cb);
        const Counts expected = count(ca, cb);
        const SwapSet* s = view.swaps();
        QVERIFY(s);
        QCOMPARE(s->onlyA, expected.onlyA);
        QCOMPARE(s->onlyB, expected.onlyB);
        QCOMPARE(s->bothApproved, expected.both);
        QCOMPARE(s->bothDeclined, expected.neither);
        QCOMPARE(s->onlyABads, expected.onlyABads);
        QCOMPARE(s->onlyBBads, expected.onlyBBads);
        // Two different models disagree on someone at these cutoffs.
        QVERIFY(s->onlyA + s->onlyB > 0);
        // The tables show the same counts.
        const ReportTableModel* summary = view.table("swap-summary")->model();
        QCOMPARE(summary->index(1, 1).data(ReportTableModel::ValueRole).toULongLong(),
                 expected.onlyA);
        QCOMPARE(summary->index(2, 1).data(ReportTableModel::ValueRole).toULongLong(),
                 expected.onlyB);
        QCOMPARE(summary->index(1, 2).data(ReportTableModel::ValueRole).toULongLong(),
                 expected.onlyABads);
        QCOMPARE(view.table("swaps")->model()->rowCount(),
                 static_cast<int>(expected.onlyA + expected.onlyB));
        // Every listed swap really is one, by cwb score.
        const ReportTableModel* swaps = view.table("swaps")->model();
        for (int r = 0; r < swaps->rowCount(); ++r) {
            const QString id = swaps->index(r, 1).data().toString();
            const bool approvedA = m_scoresA.at(id) >= ca, approvedB = m_scoresB.at(id) >= cb;
            QVERIFY2(approvedA != approvedB, qPrintable(id));
        }
    }
}

void TestCompareView::metricsMatchCwbEvaluate() {
    auto a = loadBundle(kModel.toStdString());
    QVERIFY(a.ok());
    CompareView view;
    view.setModel(std::make_shared<const ModelBundle>(std::move(*a)));
    QVERIFY(compare(view, m_modelB));
    const auto evalA = test::runCli({"evaluate", "--model", kModel, "--data", kData, "--json"});
    const auto evalB = test::runCli({"evaluate", "--model", m_modelB, "--data", kData, "--json"});
    QCOMPARE(evalA.exitCode, 0);
    QCOMPARE(evalB.exitCode, 0);
    const ReportTableModel* metrics = view.table("metrics")->model();
    QCOMPARE(metrics->valueFor("AUC", 1).toDouble(), evalA.json()["auc"].get<double>());
    QCOMPARE(metrics->valueFor("AUC", 2).toDouble(), evalB.json()["auc"].get<double>());
    QCOMPARE(metrics->valueFor("KS", 2).toDouble(), evalB.json()["ks"].get<double>());
    QVERIFY(std::abs(metrics->valueFor("AUC", 3).toDouble() -
                     (evalB.json()["auc"].get<double>() - evalA.json()["auc"].get<double>())) <
            1e-12);
}

void TestCompareView::overlaidChartsAndSwapTableExport() {
    auto a = loadBundle(kModel.toStdString());
    QVERIFY(a.ok());
    CompareView view;
    view.setModel(std::make_shared<const ModelBundle>(std::move(*a)));
    QVERIFY(compare(view, m_modelB));
    // Both models' ROC curves and the diagonal.
    const auto& roc = view.chart("roc")->chart()->data();
    QCOMPARE(roc.series.size(), std::size_t(3));
    QVERIFY(roc.series[0].name.contains("german_credit"));
    QVERIFY(roc.series[1].name.contains("german_trees"));
    QString error;
    const QString svg = m_dir.filePath("compare-roc.svg"), png = m_dir.filePath("compare-roc.png");
    QVERIFY2(view.chart("roc")->exportTo(svg, &error), qPrintable(error));
    QVERIFY2(view.chart("roc")->exportTo(png, &error), qPrintable(error));
    QVERIFY(!QImage(png).isNull());
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    bool sawSvg = false;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("svg"))
            sawSvg = true;
    QVERIFY(!xml.hasError());
    QVERIFY(sawSvg);
    // The swap list exports with one line per swapped applicant.
    const QString csv = m_dir.filePath("swaps.csv");
    QVERIFY2(view.table("swaps")->exportTo(csv, &error), qPrintable(error));
    const QStringList lines = readLines(csv);
    QCOMPARE(lines[0], QString("Line,Id,Score A,Score B,Approved by,Outcome"));
    QCOMPARE(lines.size() - 1, static_cast<int>(view.swaps()->onlyA + view.swaps()->onlyB));
}

void TestCompareView::refusesABadModelFile() {
    auto a = loadBundle(kModel.toStdString());
    QVERIFY(a.ok());
    CompareView view;
    view.setModel(std::make_shared<const ModelBundle>(std::move(*a)));
    QSignalSpy done(&view, &CompareView::compared);
    view.setModelBFile(kData);  // a CSV file, not a bundle
    view.setDataFile(kData);
    QVERIFY(view.compare());
    QVERIFY(done.wait(60000));
    QVERIFY(!done[0][0].toBool());
    QVERIFY(view.statusText().startsWith("Cannot compare"));
    QVERIFY(!view.comparison());
}

QTEST_MAIN(TestCompareView)
#include "tst_compare_view.moc"
