// The figures behind the performance and comparison views. Small cases are worked out by hand
// in the comment beside them; the end-to-end cases run the shipped model on the sample data
// and hold the full report to the headline-only one that `cwb evaluate` prints.
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "TestSupport.h"
#include "eval/Curves.h"
#include "eval/Metrics.h"
#include "pipeline/EvaluatePipeline.h"
#include "report/ModelComparison.h"
#include "report/PerformanceReport.h"
#include "scoring/Scorer.h"

using namespace cwb;
using Doubles = std::vector<double>;
using Labels = std::vector<float>;

namespace {

const std::string kModel = cwb::test::sourcePath("models/german_credit.cwbm");
const std::string kData = cwb::test::sourcePath("sample_data/german_credit.csv");

bool near(double a, double b, double tol = 1e-12) {
    return std::abs(a - b) <= tol;
}

// Risk falls along the rows; bads at rows 0, 1 and 3 (used by several cases).
const Doubles kRisk{0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
const Labels kBad{1, 1, 0, 1, 0, 0};

}  // namespace

class TestPerformanceReport : public QObject {
    Q_OBJECT

private slots:
    void rocPointsByHand();
    void rocWithTiesAndAreaEqualsAuc_data();
    void rocWithTiesAndAreaEqualsAuc();
    void rocWithoutBothClassesIsEmpty();
    void precisionRecallByHand();
    void ksCurveByHand();
    void calibrationByDecile();
    void scoreDistributionsByHand();
    void gainsAndLift();
    void importanceIsMeanAbsoluteContribution();
    void cutoffOutcomeByHand();
    void cutoffTableMatchesRowByRow();
    void cutoffAgreesWithDecisionPolicy();
    void swapSetByHand();
    void mismatchedSizesThrow();

    void reportMatchesEvaluateFile();
    void reportRefusesBadInput();
    void reportStopsWhenCancelled();
    void comparisonOfAModelWithItselfHasNoSwaps();
};

void TestPerformanceReport::rocPointsByHand() {
    // Riskiest first: bad, bad, good, bad, good, good over 3 bads and 3 goods.
    const auto roc = rocCurve(kRisk, kBad);
    const std::vector<CurvePoint> expected{
        {0, 0}, {0, 1.0 / 3}, {0, 2.0 / 3}, {1.0 / 3, 2.0 / 3}, {1.0 / 3, 1}, {2.0 / 3, 1}, {1, 1}};
    QCOMPARE(roc.size(), expected.size());
    for (std::size_t i = 0; i < roc.size(); ++i) {
        QVERIFY2(near(roc[i].x, expected[i].x) && near(roc[i].y, expected[i].y),
                 qPrintable(QString("point %1").arg(i)));
    }
    // Trapezoids: 2/9 (x 0 to 1/3) + 1/3 + 1/3 = 8/9; pairs: 3 + 3 + 2 of 9 bad-good pairs.
    QVERIFY(near(trapezoidArea(roc), 8.0 / 9));
    QVERIFY(near(cwb::auc(kRisk, kBad), 8.0 / 9));
}

void TestPerformanceReport::rocWithTiesAndAreaEqualsAuc_data() {
    QTest::addColumn<Doubles>("risk");
    QTest::addColumn<Labels>("bad");
    QTest::addColumn<int>("points");
    // A tied bad-good pair moves diagonally: (0,0), (1/2,1/2), (1,1); area 1/2.
    QTest::newRow("all ties") << Doubles{1, 1, 0, 0} << Labels{1, 0, 1, 0} << 3;
    QTest::newRow("mixed ties") << Doubles{0.2, 0.5, 0.5, 0.5, 0.9} << Labels{0, 0, 1, 1, 0} << 4;
    QTest::newRow("hand set") << kRisk << kBad << 7;
}

void TestPerformanceReport::rocWithTiesAndAreaEqualsAuc() {
    QFETCH(Doubles, risk);
    QFETCH(Labels, bad);
    QFETCH(int, points);
    const auto roc = rocCurve(risk, bad);
    QCOMPARE(static_cast<int>(roc.size()), points);
    QVERIFY(near(roc.front().x, 0) && near(roc.front().y, 0));
    QVERIFY(near(roc.back().x, 1) && near(roc.back().y, 1));
    QVERIFY(near(trapezoidArea(roc), cwb::auc(risk, bad)));
}

void TestPerformanceReport::rocWithoutBothClassesIsEmpty() {
    QVERIFY(rocCurve({1, 2}, {1, 1}).empty());
    QVERIFY(precisionRecallCurve({1, 2}, {0, 0}).empty());
    QVERIFY(ksCurve({1, 2}, {0, 0}).score.empty());
}

void TestPerformanceReport::precisionRecallByHand() {
    // Flagging riskiest first: after 1 row 1/1, 2 rows 2/2, 3 rows 2/3, 4 rows 3/4, 5: 3/5, 6: 3/6.
    const auto pr = precisionRecallCurve(kRisk, kBad);
    const std::vector<CurvePoint> expected{
        {0, 1}, {1.0 / 3, 1}, {2.0 / 3, 1}, {2.0 / 3, 2.0 / 3}, {1, 0.75}, {1, 0.6}, {1, 0.5}};
    QCOMPARE(pr.size(), expected.size());
    for (std::size_t i = 0; i < pr.size(); ++i)
        QVERIFY2(near(pr[i].x, expected[i].x) && near(pr[i].y, expected[i].y),
                 qPrintable(QString("point %1").arg(i)));
}

void TestPerformanceReport::ksCurveByHand() {
    // Points rise as risk falls. Cumulative (bads, goods) by score: 400 (1/3,0), 420 (2/3,0),
    // 440 (2/3,1/3), 460 (1,1/3), 480 (1,2/3), 500 (1,1): largest gap 2/3, first at 420.
    const Doubles score{400, 420, 440, 460, 480, 500};
    const auto curve = ksCurve(score, kBad);
    QCOMPARE(curve.score, score);
    QVERIFY(near(curve.cumulativeBadShare[1], 2.0 / 3) &&
            near(curve.cumulativeGoodShare[2], 1.0 / 3));
    QVERIFY(near(curve.ks, 2.0 / 3));
    QCOMPARE(curve.atScore, 420.0);
    QVERIFY(near(curve.ks, cwb::ks(kRisk, kBad)));
}

void TestPerformanceReport::calibrationByDecile() {
    // 20 rows, pd 0.05 .. 1.0; ten groups of two. Bads at the top pd of each pair from the
    // sixth group on: observed 0 for groups 1..5 and 0.5 for 6..10.
    Doubles pd;
    Labels bad;
    for (int i = 1; i <= 20; ++i) {
        pd.push_back(i * 0.05);
        bad.push_back(i > 10 && i % 2 == 0 ? 1.f : 0.f);
    }
    const auto table = calibrationTable(pd, bad, 10);
    QCOMPARE(table.size(), std::size_t(10));
    QVERIFY(near(table[0].meanPredicted, 0.075));
    QVERIFY(near(table[9].meanPredicted, 0.975));
    QCOMPARE(table[4].observedRate, 0.0);
    QCOMPARE(table[5].observedRate, 0.5);
    QCOMPARE(table[9].count, std::size_t(2));
}

void TestPerformanceReport::scoreDistributionsByHand() {
    // Range 500..520 in 2 bins of 10: [500,510) holds 500 (good) and 505 (bad); [510,520]
    // holds 510 (good), 519.6 (bad) and the top edge 520 (good).
    const auto d = scoreDistribution({500, 505, 510, 519.6, 520}, {0, 1, 0, 1, 0}, 2);
    QCOMPARE(d.edges, (Doubles{500, 510, 520}));
    QCOMPARE(d.goods, (std::vector<std::size_t>{1, 2}));
    QCOMPARE(d.bads, (std::vector<std::size_t>{1, 1}));
    QVERIFY(near(d.goodShare[0], 1.0 / 3) && near(d.goodShare[1], 2.0 / 3));
    QVERIFY(near(d.badShare[0], 0.5) && near(d.badShare[1], 0.5));
}

void TestPerformanceReport::gainsAndLift() {
    // Scores 1..10, bads the two lowest; 5 bands of 2. The riskiest band holds both bads:
    // bad rate 1, lift 1 / 0.2 = 5, all bads captured in the first 20 % of the population.
    Doubles score;
    Labels bad;
    for (int i = 1; i <= 10; ++i) {
        score.push_back(i);
        bad.push_back(i <= 2 ? 1.f : 0.f);
    }
    const auto gains = gainsTable(score, bad, 5);
    QCOMPARE(gains.size(), std::size_t(5));
    QCOMPARE(gains[0].bads, std::size_t(2));
    QVERIFY(near(gains[0].lift, 5.0));
    QVERIFY(near(gains[0].cumulativeBadShare, 1.0));
    QVERIFY(near(gains[0].cumulativePopulationShare, 0.2));
    QCOMPARE(gains[1].lift, 0.0);
    QVERIFY(near(gains[4].cumulativePopulationShare, 1.0));
}

void TestPerformanceReport::importanceIsMeanAbsoluteContribution() {
    // Rows (1, -2) and (-3, 0): mean |c| = 2 for f0 and 1 for f1; shares 2/3 and 1/3.
    const auto imp = importanceFromContributions({1, -2, -3, 0}, {"f0", "f1"});
    QCOMPARE(imp.size(), std::size_t(2));
    QCOMPARE(imp[0].feature, std::string("f0"));
    QVERIFY(near(imp[0].meanAbsContribution, 2.0) && near(imp[0].share, 2.0 / 3));
    QVERIFY(near(imp[1].meanAbsContribution, 1.0) && near(imp[1].share, 1.0 / 3));
    // Order follows size: swapping the columns swaps the ranking.
    QCOMPARE(importanceFromContributions({-2, 1, 0, -3}, {"f0", "f1"})[0].feature,
             std::string("f1"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             importanceFromContributions({1, 2, 3}, {"f0", "f1"}));
}

void TestPerformanceReport::cutoffOutcomeByHand() {
    // Rounded scores 480, 490, 501, 510, 520 (489.6 rounds up to 490). Cutoff 490 approves the
    // last four, of which 489.6 and 510 are bad: approval 4/5, bad rate 2/4; the one decline
    // (480.4) is bad.
    const Doubles score{480.4, 489.6, 500.5, 510, 520};
    const Labels bad{1, 1, 0, 1, 0};
    const CutoffOutcome o = CutoffTable(score, bad).at(490);
    QCOMPARE(o.approved, std::size_t(4));
    QCOMPARE(o.declined, std::size_t(1));
    QCOMPARE(o.approvedBads, std::size_t(2));
    QCOMPARE(o.truePositive(), std::size_t(1));
    QCOMPARE(o.falsePositive(), std::size_t(0));
    QCOMPARE(o.trueNegative(), std::size_t(2));
    QCOMPARE(o.falseNegative(), std::size_t(2));
    QVERIFY(near(o.approvalRate(), 0.8));
    QVERIFY(near(o.badRate(), 0.5));
    QVERIFY(near(o.precision(), 1.0) && near(o.recall(), 1.0 / 3) && near(o.accuracy(), 0.6));
    // Above every score nothing is approved and the bad rate is 0, not NaN.
    const CutoffOutcome none = CutoffTable(score, bad).at(600);
    QCOMPARE(none.approved, std::size_t(0));
    QCOMPARE(none.badRate(), 0.0);
}

void TestPerformanceReport::cutoffTableMatchesRowByRow() {
    Doubles score;
    Labels bad;
    for (int i = 0; i < 300; ++i) {
        score.push_back(450 + std::fmod(i * 37.3, 120.0));
        bad.push_back(i % 3 == 0 ? 1.f : 0.f);
    }
    const CutoffTable table(score, bad);
    std::size_t lastApproved = score.size() + 1;
    for (double cutoff = 440; cutoff <= 580; cutoff += 0.5) {
        const CutoffOutcome fast = table.at(cutoff), slow = cutoffOutcome(score, bad, cutoff);
        QCOMPARE(fast.approved, slow.approved);
        QCOMPARE(fast.approvedBads, slow.approvedBads);
        QCOMPARE(fast.declinedBads, slow.declinedBads);
        QVERIFY(fast.approved <= lastApproved);  // a higher cutoff never approves more
        lastApproved = fast.approved;
    }
}

void TestPerformanceReport::cutoffAgreesWithDecisionPolicy() {
    // Approved at cutoff c is "not declined" by a policy whose decline boundary is c.
    DecisionPolicy policy;
    policy.declineBelow = 499;
    policy.approveFrom = 538;
    const Doubles score{498.4, 498.5, 499.2, 537.6, 560};
    std::size_t notDeclined = 0;
    for (double s : score)
        notDeclined += policy.decide(std::lround(s)) != Decision::Decline;
    QCOMPARE(cutoffOutcome(score, Labels(score.size(), 0.f), 499).approved, notDeclined);
}

void TestPerformanceReport::swapSetByHand() {
    // Cutoff 500 for both. A approves rows 0, 1, 3; B approves 0, 3. Row 1 (good) is approved
    // by A only; row 2 (bad) is declined by both.
    const auto s = swapSet({500, 520, 480, 530}, {510, 470, 490, 540}, {1, 0, 1, 0}, 500, 500,
                           {2, 3, 4, 5}, {"a", "b", "c", "d"});
    QCOMPARE(s.bothApproved, std::size_t(2));
    QCOMPARE(s.bothApprovedBads, std::size_t(1));
    QCOMPARE(s.bothDeclined, std::size_t(1));
    QCOMPARE(s.bothDeclinedBads, std::size_t(1));
    QCOMPARE(s.onlyA, std::size_t(1));
    QCOMPARE(s.onlyABads, std::size_t(0));
    QCOMPARE(s.onlyB, std::size_t(0));
    QCOMPARE(s.swaps.size(), std::size_t(1));
    QCOMPARE(s.swaps[0].id, std::string("b"));
    QCOMPARE(s.swaps[0].line, std::int64_t(3));
    QVERIFY(s.swaps[0].approvedByA);
    // Raising B's cutoff to 515 swaps row 0 (bad) out too; lowering A's to 470 swaps row 2 in.
    const auto t = swapSet({500, 520, 480, 530}, {510, 470, 490, 540}, {1, 0, 1, 0}, 470, 515);
    QCOMPARE(t.onlyA, std::size_t(3));
    QCOMPARE(t.onlyABads, std::size_t(2));
    QCOMPARE(t.bothApproved, std::size_t(1));
}

void TestPerformanceReport::mismatchedSizesThrow() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rocCurve({1, 2}, {1}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, precisionRecallCurve({1}, {1, 0}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ksCurve({1}, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, scoreDistribution({1}, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CutoffTable({1}, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, swapSet({1}, {1, 2}, {0}, 1, 1));
}

void TestPerformanceReport::reportMatchesEvaluateFile() {
    auto bundle = loadBundle(kModel);
    QVERIFY(bundle.ok());
    auto report = buildPerformanceReport(*bundle, kData, "", "", nullptr);
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
    PerformanceOptions headline;  // what `cwb evaluate` computes
    headline.importance = headline.informationValue = false;
    auto eval = buildPerformanceReport(*bundle, kData, "", "", headline, nullptr);
    QVERIFY(eval.ok());
    QVERIFY(eval->importance.empty() && eval->informationValue.empty());
    QVERIFY(!report->importance.empty());
    // Additivity was checked on every row in the importance pass.
    QVERIFY(report->maxAdditivityError < 1e-4);
    QVERIFY(report->toJson()["confusion"] == eval->toJson()["confusion"]);
    QCOMPARE(report->auc, eval->auc);
    QCOMPARE(report->ks, eval->ks);
    QCOMPARE(report->gini, eval->gini);
    QCOMPARE(report->brier, eval->brier);
    QCOMPARE(report->rows, eval->rows);
    QCOMPARE(report->rows, std::size_t(1000));
    QVERIFY(near(report->badRate, 0.3));
    // The development AUC stored in the bundle was measured on this same file.
    QVERIFY(near(report->auc, bundle->metrics["development"]["auc"].get<double>(), 1e-9));
    QVERIFY(near(trapezoidArea(report->roc), report->auc));
    QVERIFY(near(report->ksCurve.ks, report->ks, 1e-9));
    QCOMPARE(report->calibration.size(), eval->calibration.size());
    QCOMPARE(report->gains.size(), eval->gains.size());
    for (std::size_t i = 0; i < report->gains.size(); ++i)
        QCOMPARE(report->gains[i].bads, eval->gains[i].bads);
    std::size_t goods = 0, bads = 0;
    for (std::size_t k = 0; k < report->distribution.goods.size(); ++k) {
        goods += report->distribution.goods[k];
        bads += report->distribution.bads[k];
    }
    QCOMPARE(goods, std::size_t(700));
    QCOMPARE(bads, std::size_t(300));
    // One importance entry and one IV entry per characteristic the model uses.
    const auto features = bundle->schema.featureNames();
    QCOMPARE(report->importance.size(), features.size());
    QCOMPARE(report->informationValue.size(), features.size());
    QVERIFY(report->importance.front().meanAbsContribution > 0.0);
    for (std::size_t i = 1; i < report->informationValue.size(); ++i)
        QVERIFY(report->informationValue[i - 1].informationValue >=
                report->informationValue[i].informationValue);
    // checking_status is the strongest characteristic of German credit by IV (about 0.67).
    QCOMPARE(report->informationValue.front().feature, std::string("checking_status"));
    double total = 0.0;
    for (const auto& f : report->importance)
        total += f.share;
    QVERIFY(near(total, 1.0, 1e-9));
    // At the policy's decline boundary the cutoff table counts the same approvals as the
    // decision policy applied to every row.
    QCOMPARE(report->defaultCutoff, bundle->policy.declineBelow);
    std::size_t notDeclined = 0;
    for (double p : report->points)
        notDeclined += bundle->policy.decide(std::lround(p)) != Decision::Decline;
    QCOMPARE(report->cutoffs.at(report->defaultCutoff).approved, notDeclined);
}

void TestPerformanceReport::reportRefusesBadInput() {
    auto bundle = loadBundle(kModel);
    QVERIFY(bundle.ok());
    // Unlabelled: the applicants file has no class column.
    auto unlabelled = buildPerformanceReport(
        *bundle, cwb::test::sourcePath("sample_data/applicants.csv"), "", "", nullptr);
    QVERIFY(!unlabelled.ok());
    QCOMPARE(unlabelled.error().kind, ErrorKind::BadInput);
    QVERIFY(unlabelled.error().message.find("class") != std::string::npos);
    // A wrong target: a column that exists but holds no bad value.
    auto oneClass = buildPerformanceReport(*bundle, kData, "class", "7", nullptr);
    QVERIFY(!oneClass.ok());
    QVERIFY(oneClass.error().message.find("both") != std::string::npos);
    auto missing = buildPerformanceReport(*bundle, "/nonexistent/file.csv", "", "", nullptr);
    QVERIFY(!missing.ok());
}

void TestPerformanceReport::reportStopsWhenCancelled() {
    auto bundle = loadBundle(kModel);
    QVERIFY(bundle.ok());
    ProgressToken token;
    token.cancel();
    auto report = buildPerformanceReport(*bundle, kData, "", "", &token);
    QVERIFY(!report.ok());
    QCOMPARE(report.error().kind, ErrorKind::Failure);
}

void TestPerformanceReport::comparisonOfAModelWithItselfHasNoSwaps() {
    auto bundle = loadBundle(kModel);
    QVERIFY(bundle.ok());
    auto c = compareModels(*bundle, *bundle, kData, "", "", nullptr);
    QVERIFY(c.ok());
    QCOMPARE(c->a.auc, c->b.auc);
    QCOMPARE(c->rowsOnlyA, std::size_t(0));
    const auto s = swapSet(c->a.points, c->b.points, c->a.bad, 499, 499);
    QCOMPARE(s.onlyA + s.onlyB, std::size_t(0));
    QCOMPARE(s.bothApproved, c->a.cutoffs.at(499).approved);
    // Different cutoffs on the same model: the swaps are exactly the rows between them.
    const auto t = swapSet(c->a.points, c->b.points, c->a.bad, 499, 520);
    QCOMPARE(t.onlyB, std::size_t(0));
    QCOMPARE(t.onlyA, c->a.cutoffs.at(499).approved - c->a.cutoffs.at(520).approved);
}

QTEST_GUILESS_MAIN(TestPerformanceReport)
#include "tst_performance_report.moc"
