// Every expected value below is worked out by hand in the comment next to it.
#include <QTest>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "eval/Metrics.h"
#include "eval/PsiSample.h"

using cwb::ConfusionMatrix;
using Doubles = std::vector<double>;
using Labels = std::vector<float>;

class TestMetrics : public QObject {
    Q_OBJECT

private slots:
    void auc_data();
    void auc();
    void aucWithoutBothClassesIsNaN();
    void ks_data();
    void ks();
    void brierAndLogLoss_data();
    void brierAndLogLoss();
    void confusion_data();
    void confusion();
    void calibration_data();
    void calibration();
    void gainsByEqualBands();
    void gainsKeepTiedScoresTogether();
    void psi_data();
    void psi();
    void psiFromShares();
    void psiMinimumSample();
    void adverseImpact();
    void mismatchedSizesThrow();
};

void TestMetrics::auc_data() {
    QTest::addColumn<Doubles>("risk");
    QTest::addColumn<Labels>("bad");
    QTest::addColumn<double>("expected");
    QTest::newRow("perfect") << Doubles{1, 2, 3, 4} << Labels{0, 0, 1, 1} << 1.0;
    QTest::newRow("inverse") << Doubles{4, 3, 2, 1} << Labels{0, 0, 1, 1} << 0.0;
    // bads 0.5, 0.5; goods 0.2, 0.5. Pairs: (0.5>0.2)=1, (0.5=0.5)=1/2, twice: 3/4.
    QTest::newRow("ties") << Doubles{0.2, 0.5, 0.5, 0.5} << Labels{0, 0, 1, 1} << 0.75;
    QTest::newRow("all tied") << Doubles{1, 1, 1, 1} << Labels{0, 1, 0, 1} << 0.5;
    // bads 0.3, 0.8, 0.9; goods 0.1, 0.35: 0.3 beats 1 good, 0.8 and 0.9 beat 2 each: 5/6.
    QTest::newRow("mixed") << Doubles{0.1, 0.3, 0.35, 0.8, 0.9} << Labels{0, 1, 0, 1, 1}
                           << 5.0 / 6.0;
}

void TestMetrics::auc() {
    QFETCH(Doubles, risk);
    QFETCH(Labels, bad);
    QFETCH(double, expected);
    const double a = cwb::auc(risk, bad);
    QVERIFY2(std::abs(a - expected) < 1e-12, qPrintable(QString::number(a, 'g', 17)));
    QVERIFY(std::abs(cwb::giniFromAuc(a) - (2 * expected - 1)) < 1e-12);
}

void TestMetrics::aucWithoutBothClassesIsNaN() {
    QVERIFY(std::isnan(cwb::auc({0.1, 0.2}, {0, 0})));
    QVERIFY(std::isnan(cwb::ks({0.1, 0.2}, {1, 1})));
    QVERIFY(std::isnan(cwb::brier({}, {})));
}

void TestMetrics::ks_data() {
    QTest::addColumn<Doubles>("risk");
    QTest::addColumn<Labels>("bad");
    QTest::addColumn<double>("expected");
    // Goods all below bads: after score 2 the good CDF is 1, the bad CDF 0.
    QTest::newRow("separated") << Doubles{1, 2, 3, 4} << Labels{0, 0, 1, 1} << 1.0;
    // After 0.2: goods 1/2, bads 0. After the tied 0.5 group both are 1. Moving the tied good
    // alone first would wrongly give 1.
    QTest::newRow("ties") << Doubles{0.2, 0.5, 0.5, 0.5} << Labels{0, 0, 1, 1} << 0.5;
    // Goods 2, bads 3; (goodCDF, badCDF) after each score: (1/2,0) (1/2,1/3) (1,1/3) (1,2/3)
    // (1,1): the largest gap is 2/3 after 0.35.
    QTest::newRow("mixed") << Doubles{0.1, 0.3, 0.35, 0.8, 0.9} << Labels{0, 1, 0, 1, 1}
                           << 2.0 / 3.0;
    QTest::newRow("all tied") << Doubles{7, 7, 7} << Labels{0, 1, 0} << 0.0;
}

void TestMetrics::ks() {
    QFETCH(Doubles, risk);
    QFETCH(Labels, bad);
    QFETCH(double, expected);
    QVERIFY(std::abs(cwb::ks(risk, bad) - expected) < 1e-12);
}

void TestMetrics::brierAndLogLoss_data() {
    QTest::addColumn<Doubles>("pd");
    QTest::addColumn<Labels>("bad");
    QTest::addColumn<double>("expectedBrier");
    QTest::addColumn<double>("expectedLogLoss");
    // Brier (0.01 + 0.04 + 0.25) / 3; log loss -(ln 0.9 + ln 0.8 + ln 0.5) / 3.
    QTest::newRow("three") << Doubles{0.1, 0.8, 0.5} << Labels{0, 1, 1} << 0.1
                           << -(std::log(0.9) + std::log(0.8) + std::log(0.5)) / 3;
    // Brier (0.04 + 0.0625) / 2; log loss -(ln 0.8 + ln 0.75) / 2 = 0.2554128118829953.
    QTest::newRow("two") << Doubles{0.8, 0.25} << Labels{1, 0} << 0.05125 << 0.2554128118829953;
    // A sure miss is clipped at 1e-15: -ln(1e-15) = 34.538776394910684.
    QTest::newRow("clipped") << Doubles{0.0} << Labels{1} << 1.0 << 34.538776394910684;
    QTest::newRow("sure hit") << Doubles{1.0} << Labels{1} << 0.0 << 0.0;
}

void TestMetrics::brierAndLogLoss() {
    QFETCH(Doubles, pd);
    QFETCH(Labels, bad);
    QFETCH(double, expectedBrier);
    QFETCH(double, expectedLogLoss);
    QVERIFY(std::abs(cwb::brier(pd, bad) - expectedBrier) < 1e-12);
    QVERIFY(std::abs(cwb::logLoss(pd, bad) - expectedLogLoss) < 1e-9);
}

void TestMetrics::confusion_data() {
    QTest::addColumn<double>("cutoff");
    QTest::addColumn<int>("tp");
    QTest::addColumn<int>("fp");
    QTest::addColumn<int>("tn");
    QTest::addColumn<int>("fn");
    QTest::addColumn<double>("accuracy");
    QTest::addColumn<double>("precision");
    QTest::addColumn<double>("recall");
    QTest::addColumn<double>("f1");
    // pd 0.1 0.4 0.5 0.7 0.9 0.2 with bad 0 1 0 1 1 0 (3 bads).
    // At 0.5 (pd >= cutoff is bad): bad-predicted 0.5(good) 0.7 0.9 -> tp 2, fp 1; fn 0.4.
    QTest::newRow("0.5") << 0.5 << 2 << 1 << 2 << 1 << 4.0 / 6 << 2.0 / 3 << 2.0 / 3 << 2.0 / 3;
    // At 0: everything predicted bad; F1 = 2 * 0.5 * 1 / 1.5.
    QTest::newRow("0") << 0.0 << 3 << 3 << 0 << 0 << 0.5 << 0.5 << 1.0 << 2.0 / 3;
    // Above every pd: nothing predicted bad; precision 0/0 and F1 0/0 are defined as 0.
    QTest::newRow("1") << 1.0 << 0 << 0 << 3 << 3 << 0.5 << 0.0 << 0.0 << 0.0;
}

void TestMetrics::confusion() {
    QFETCH(double, cutoff);
    const ConfusionMatrix m =
        cwb::confusionAt({0.1, 0.4, 0.5, 0.7, 0.9, 0.2}, {0, 1, 0, 1, 1, 0}, cutoff);
    QTEST(static_cast<int>(m.truePositive), "tp");
    QTEST(static_cast<int>(m.falsePositive), "fp");
    QTEST(static_cast<int>(m.trueNegative), "tn");
    QTEST(static_cast<int>(m.falseNegative), "fn");
    QFETCH(double, accuracy);
    QFETCH(double, precision);
    QFETCH(double, recall);
    QFETCH(double, f1);
    QVERIFY(std::abs(m.accuracy() - accuracy) < 1e-12);
    QVERIFY(std::abs(m.precision() - precision) < 1e-12);
    QVERIFY(std::abs(m.recall() - recall) < 1e-12);
    QVERIFY(std::abs(m.f1() - f1) < 1e-12);
}

void TestMetrics::calibration_data() {
    QTest::addColumn<int>("groups");
    QTest::addColumn<Doubles>("meanPredicted");
    QTest::addColumn<Doubles>("observed");
    QTest::addColumn<std::vector<int>>("counts");
    // Sorted by pd: 0.1(g) 0.2(g) 0.3(b) 0.7(g) 0.8(b) 0.9(b).
    QTest::newRow("2 groups") << 2 << Doubles{0.2, 0.8} << Doubles{1.0 / 3, 2.0 / 3}
                              << std::vector<int>{3, 3};
    // Boundaries k * 6 / 4 = 0, 1, 3, 4, 6: groups of 1, 2, 1, 2 rows.
    QTest::newRow("4 groups") << 4 << Doubles{0.1, 0.25, 0.7, 0.85} << Doubles{0, 0.5, 0, 1}
                              << std::vector<int>{1, 2, 1, 2};
    // More groups than rows: one row per group, empty groups left out.
    QTest::newRow("10 groups") << 10 << Doubles{0.1, 0.2, 0.3, 0.7, 0.8, 0.9}
                               << Doubles{0, 0, 1, 0, 1, 1} << std::vector<int>{1, 1, 1, 1, 1, 1};
}

void TestMetrics::calibration() {
    QFETCH(int, groups);
    QFETCH(Doubles, meanPredicted);
    QFETCH(Doubles, observed);
    QFETCH(std::vector<int>, counts);
    const auto table =
        cwb::calibrationTable({0.9, 0.1, 0.2, 0.8, 0.3, 0.7}, {1, 0, 0, 1, 1, 0}, groups);
    QCOMPARE(table.size(), meanPredicted.size());
    for (std::size_t g = 0; g < table.size(); ++g) {
        QVERIFY(std::abs(table[g].meanPredicted - meanPredicted[g]) < 1e-12);
        QVERIFY(std::abs(table[g].observedRate - observed[g]) < 1e-12);
        QCOMPARE(static_cast<int>(table[g].count), counts[g]);
    }
}

void TestMetrics::gainsByEqualBands() {
    // 8 rows, 3 bads (overall rate 3/8), 4 bands of 2 rows from the lowest score up.
    const auto table =
        cwb::gainsTable({640, 500, 620, 520, 600, 540, 580, 560}, {0, 1, 0, 1, 0, 0, 0, 1}, 4);
    QCOMPARE(table.size(), std::size_t{4});
    QCOMPARE(table[0].scoreLow, 500.0);
    QCOMPARE(table[0].scoreHigh, 520.0);
    QCOMPARE(table[0].bads, std::size_t{2});
    QCOMPARE(table[0].badRate, 1.0);
    QVERIFY(std::abs(table[0].cumulativeBadShare - 2.0 / 3) < 1e-12);
    QCOMPARE(table[0].cumulativePopulationShare, 0.25);
    QVERIFY(std::abs(table[0].lift - 8.0 / 3) < 1e-12);  // 1 / (3/8)
    QCOMPARE(table[1].bads, std::size_t{1});             // 540 good, 560 bad
    QVERIFY(std::abs(table[1].lift - 4.0 / 3) < 1e-12);  // 0.5 / (3/8)
    QCOMPARE(table[1].cumulativeBadShare, 1.0);
    QCOMPARE(table[3].scoreLow, 620.0);
    QCOMPARE(table[3].scoreHigh, 640.0);
    QCOMPARE(table[3].lift, 0.0);
    QCOMPARE(table[3].cumulativePopulationShare, 1.0);
}

void TestMetrics::gainsKeepTiedScoresTogether() {
    // Cuts at rows 2 and 4 fall inside the 500 and 600 groups, which move whole.
    const auto table = cwb::gainsTable({500, 500, 500, 600, 600, 700}, {1, 0, 1, 0, 0, 0}, 3);
    QCOMPARE(table.size(), std::size_t{3});
    QCOMPARE(table[0].count, std::size_t{3});
    QCOMPARE(table[0].bads, std::size_t{2});
    QCOMPARE(table[1].count, std::size_t{2});
    QCOMPARE(table[1].scoreLow, 600.0);
    QCOMPARE(table[2].count, std::size_t{1});
    QCOMPARE(table[2].scoreLow, 700.0);
}

void TestMetrics::psi_data() {
    QTest::addColumn<Doubles>("actual");
    QTest::addColumn<double>("expected");
    // Expected 1..10 in 2 bins cut at the median 6: shares 1/2, 1/2.
    // Actual shares 3/8, 5/8: (3/8-1/2) ln(3/4) + (5/8-1/2) ln(5/4) = 0.06385320297074884.
    QTest::newRow("shifted") << Doubles{1, 1, 1, 7, 8, 9, 10, 10} << 0.06385320297074884;
    // Actual all >= 6: the empty bin counts 0.5 -> shares 1/9, 8/9;
    // (1/9-1/2) ln(2/9) + (8/9-1/2) ln(16/9) = 7/18 ln 8 = 0.8086717106532695.
    QTest::newRow("empty bin") << Doubles{6, 7, 8, 9} << 0.8086717106532695;
    QTest::newRow("same") << Doubles{1, 2, 3, 4, 5, 6, 7, 8, 9, 10} << 0.0;
}

void TestMetrics::psi() {
    QFETCH(Doubles, actual);
    QFETCH(double, expected);
    const double value = cwb::psi({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, actual, 2);
    QVERIFY2(std::abs(value - expected) < 1e-12, qPrintable(QString::number(value, 'g', 17)));
}

void TestMetrics::psiFromShares() {
    // (0.25-0.5) ln(0.5) + (0.75-0.5) ln(1.5) = 0.25 (ln 2 + ln 1.5) = 0.2746530721670274.
    QVERIFY(std::abs(cwb::psiFromShares({0.5, 0.5}, {0.25, 0.75}) - 0.2746530721670274) < 1e-12);
    QCOMPARE(cwb::psiFromShares({0.2, 0.8}, {0.2, 0.8}), 0.0);
}

void TestMetrics::adverseImpact() {
    // A approves 3 of 4 (0.75), B 2 of 5 (0.4): B's ratio 0.4 / 0.75 = 0.5333.
    const std::vector<std::string> group{"B", "A", "A", "B", "A", "B", "A", "B", "B"};
    const std::vector<bool> approved{true, true, false, false, true, true, true, false, false};
    const auto rates = cwb::adverseImpact(group, approved);
    QCOMPARE(rates.size(), std::size_t{2});
    QCOMPARE(rates[0].group, std::string("A"));
    QCOMPARE(rates[0].count, std::size_t{4});
    QCOMPARE(rates[0].approvalRate, 0.75);
    QCOMPARE(rates[0].adverseImpactRatio, 1.0);
    QCOMPARE(rates[1].group, std::string("B"));
    QCOMPARE(rates[1].approvalRate, 0.4);
    QVERIFY(std::abs(rates[1].adverseImpactRatio - 0.4 / 0.75) < 1e-12);
}

void TestMetrics::mismatchedSizesThrow() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, cwb::auc({0.1, 0.2}, {1}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, cwb::psiFromShares({1.0}, {0.5, 0.5}));
}

// Issue 17: a 26-row batch showed PSI 1.13, "major shift", drawn from the very population it was
// compared with. Below minimumPsiRows the noise of equal populations is too large to judge;
// above it, it stays well under the 0.1 "stable" limit.
void TestMetrics::psiMinimumSample() {
    QCOMPARE(cwb::minimumPsiRows(10), std::size_t(225));
    QCOMPARE(cwb::minimumPsiRows(5), std::size_t(100));
    // Random draws (fixed seed) from one population of uniform scores.
    std::vector<double> population(10000);
    for (std::size_t i = 0; i < population.size(); ++i)
        population[i] = static_cast<double>(i);
    std::mt19937 rng(17);
    std::uniform_int_distribution<std::size_t> pick(0, population.size() - 1);
    const auto sample = [&](std::size_t n) {
        std::vector<double> s;
        for (std::size_t i = 0; i < n; ++i)
            s.push_back(population[pick(rng)]);
        return s;
    };
    // The mean PSI of samples from the very same population: about (bins - 1) / n.
    double small = 0, large = 0;
    constexpr int kDraws = 200;
    for (int k = 0; k < kDraws; ++k) {
        small += cwb::psi(population, sample(26), 10) / kDraws;
        large += cwb::psi(population, sample(cwb::minimumPsiRows(10)), 10) / kDraws;
    }
    qInfo("mean PSI of same-population samples: 26 rows %.3f, 225 rows %.3f", small, large);
    QVERIFY2(small > 0.2, qPrintable(QString::number(small)));   // chance alone looks like a shift
    QVERIFY2(large < 0.05, qPrintable(QString::number(large)));  // chance stays well below 0.1
}

QTEST_APPLESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
