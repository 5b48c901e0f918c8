// WoE binning: hand-computed WoE/IV on tiny samples, monotone bins on generated data, the
// missing bin, categorical grouping and labels.
#include <QTest>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "features/Binning.h"

using cwb::BinningSettings;
using cwb::CharacteristicBins;
using cwb::EncodedData;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

EncodedData oneColumn(const std::vector<float>& values, const std::vector<float>& labels,
                      bool categorical = false, int levels = 0) {
    EncodedData d;
    d.featureNames = {"x"};
    d.categorical = {categorical};
    d.levelCounts = {levels};
    d.rows = values.size();
    d.cols = 1;
    d.values = values;
    d.labels = labels;
    return d;
}

// Appends count rows of value, of which bads are bad.
void addRows(std::vector<float>& values, std::vector<float>& labels, float value, int count,
             int bads) {
    for (int i = 0; i < count; ++i) {
        values.push_back(value);
        labels.push_back(i < bads ? 1.0f : 0.0f);
    }
}

// Risk rising (direction +1) or falling with x, x uniform on [0, 1000).
EncodedData generated(int direction, double missingShare, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<float> values, labels;
    for (int i = 0; i < 5000; ++i) {
        const double x = 1000.0 * uniform(rng);
        const double logit = -1.0 + direction * 3.0 * (x / 1000.0 - 0.5);
        labels.push_back(uniform(rng) < 1.0 / (1.0 + std::exp(-logit)) ? 1.0f : 0.0f);
        values.push_back(uniform(rng) < missingShare ? kNaN : static_cast<float>(std::round(x)));
    }
    return oneColumn(values, labels);
}

double badRate(const cwb::Bin& bin) {
    return bin.bads / (bin.goods + bin.bads);
}

}  // namespace

class TestBinning : public QObject {
    Q_OBJECT

private slots:
    void woeAndIvByHand();
    void zeroCountsAreSmoothed();
    void monotoneBins_data();
    void monotoneBins();
    void missingValuesGetTheLastBin();
    void withoutMissingValuesNaNIsUnseen();
    void maxBinsIsHonoured();
    void readableNumericLabels();
    void categoricalSmallLevelsMerge();
    void recomputeAfterManualMerge();
    void labelsRequired();
};

void TestBinning::woeAndIvByHand() {
    // x = 1: 10 rows, 2 bad; x = 2: 10 rows, 5 bad. Goods 13, bads 7.
    std::vector<float> values, labels;
    addRows(values, labels, 1, 10, 2);
    addRows(values, labels, 2, 10, 5);
    BinningSettings settings;
    settings.fineClasses = 2;
    settings.minBinShare = 0.0;
    const auto bins = cwb::binCharacteristic(oneColumn(values, labels), 0, settings);
    QCOMPARE(bins.bins.size(), std::size_t{2});
    // WoE = ln((8/13) / (2/7)) = 0.7672551527136674 and ln((5/13) / (5/7)) = -0.6190392084062235
    QVERIFY(std::abs(bins.bins[0].woe - 0.7672551527136674) < 1e-12);
    QVERIFY(std::abs(bins.bins[1].woe - -0.6190392084062235) < 1e-12);
    // IV = (8/13 - 2/7) * 0.76726 + (5/13 - 5/7) * (-0.61904) = 0.45702011905051354
    QVERIFY(std::abs(bins.informationValue - 0.45702011905051354) < 1e-12);
    QVERIFY(std::abs(bins.bins[0].iv + bins.bins[1].iv - bins.informationValue) < 1e-15);
    QCOMPARE(bins.bins[0].goods, 8.0);
    QCOMPARE(bins.bins[1].bads, 5.0);
    QCOMPARE(bins.trend, 1);
    QCOMPARE(bins.bins[0].lower, -kInf);
    QCOMPARE(bins.bins[0].upper, 2.0);
    QCOMPARE(bins.bins[1].lower, 2.0);
    QCOMPARE(bins.bins[1].upper, kInf);
    QCOMPARE(bins.binOf(1.5f), 0);
    QCOMPARE(bins.binOf(2.0f), 1);  // [lower, upper): an edge value belongs to the upper bin
    QCOMPARE(bins.woeOf(-1e9f), bins.bins[0].woe);
}

void TestBinning::zeroCountsAreSmoothed() {
    // x = 1: 10 goods, no bads; x = 2: 5 goods, 5 bads. Goods 15, bads 5.
    std::vector<float> values, labels;
    addRows(values, labels, 1, 10, 0);
    addRows(values, labels, 2, 10, 5);
    BinningSettings settings;
    settings.fineClasses = 2;
    settings.minBinShare = 0.0;
    const auto bins = cwb::binCharacteristic(oneColumn(values, labels), 0, settings);
    QCOMPARE(bins.bins.size(), std::size_t{2});
    // The empty bad count becomes 0.5: ln((10/15) / (0.5/5)) = 1.8971199848858813.
    QVERIFY(std::abs(bins.bins[0].woe - 1.8971199848858813) < 1e-12);
    QVERIFY(std::abs(bins.bins[1].woe - std::log((5.0 / 15) / (5.0 / 5))) < 1e-12);
    // (10/15 - 0.1) * 1.89712 + (5/15 - 1) * ln(1/3) = 1.8074428505474058
    QVERIFY(std::abs(bins.informationValue - 1.8074428505474058) < 1e-12);
}

void TestBinning::monotoneBins_data() {
    QTest::addColumn<int>("direction");
    QTest::newRow("risk rises") << 1;
    QTest::newRow("risk falls") << -1;
}

void TestBinning::monotoneBins() {
    QFETCH(int, direction);
    const auto data = generated(direction, 0.0, 7);
    const BinningSettings settings;
    const auto bins = cwb::binCharacteristic(data, 0, settings);
    QCOMPARE(bins.trend, direction);
    QVERIFY(bins.bins.size() >= 3);
    QVERIFY(bins.bins.size() <= static_cast<std::size_t>(settings.maxBins));
    QCOMPARE(bins.bins.front().lower, -kInf);
    QCOMPARE(bins.bins.back().upper, kInf);
    for (std::size_t b = 0; b < bins.bins.size(); ++b) {
        const auto& bin = bins.bins[b];
        QVERIFY(!bin.missing);
        QVERIFY(bin.goods + bin.bads >= settings.minBinShare * static_cast<double>(data.rows));
        if (b == 0) continue;
        QCOMPARE(bin.lower, bins.bins[b - 1].upper);  // contiguous
        // Strictly monotone bad rate; WoE moves the other way.
        if (direction > 0) {
            QVERIFY(badRate(bin) > badRate(bins.bins[b - 1]));
            QVERIFY(bin.woe < bins.bins[b - 1].woe);
        } else {
            QVERIFY(badRate(bin) < badRate(bins.bins[b - 1]));
        }
    }
    QVERIFY(bins.informationValue > 0.3);  // a strong generated relationship
}

void TestBinning::missingValuesGetTheLastBin() {
    const auto data = generated(1, 0.1, 11);
    const auto bins = cwb::binCharacteristic(data, 0, BinningSettings{});
    QVERIFY(bins.bins.back().missing);
    QCOMPARE(bins.bins.back().label, std::string("missing"));
    const auto missingIndex = static_cast<int>(bins.bins.size()) - 1;
    QCOMPARE(bins.binOf(kNaN), missingIndex);
    QCOMPARE(bins.woeOf(kNaN), bins.bins.back().woe);
    double missingRows = 0, total = 0;
    for (std::size_t r = 0; r < data.rows; ++r) {
        missingRows += std::isnan(data.at(r, 0)) ? 1 : 0;
    }
    for (const auto& bin : bins.bins) {
        total += bin.goods + bin.bads;
    }
    QCOMPARE(bins.bins.back().goods + bins.bins.back().bads, missingRows);
    QCOMPARE(total, static_cast<double>(data.rows));
    for (std::size_t b = 0; b + 1 < bins.bins.size(); ++b) {
        QVERIFY(!bins.bins[b].missing);
    }
}

void TestBinning::withoutMissingValuesNaNIsUnseen() {
    const auto bins = cwb::binCharacteristic(generated(1, 0.0, 3), 0, BinningSettings{});
    QVERIFY(!bins.bins.back().missing);
    QCOMPARE(bins.binOf(kNaN), -1);
    QCOMPARE(bins.woeOf(kNaN), 0.0);
}

void TestBinning::maxBinsIsHonoured() {
    BinningSettings settings;
    settings.maxBins = 3;
    settings.minBinShare = 0.01;
    const auto bins = cwb::binCharacteristic(generated(1, 0.05, 5), 0, settings);
    QCOMPARE(bins.bins.size(), std::size_t{4});  // three value bins and the missing bin
    QVERIFY(bins.bins.back().missing);
}

void TestBinning::readableNumericLabels() {
    std::vector<float> values, labels;
    addRows(values, labels, 500, 10, 1);
    addRows(values, labels, 1000, 10, 4);
    addRows(values, labels, 2500, 10, 8);
    values.push_back(kNaN);
    labels.push_back(1);
    BinningSettings settings;
    settings.fineClasses = 3;
    const auto bins = cwb::binCharacteristic(oneColumn(values, labels), 0, settings);
    QCOMPARE(bins.bins.size(), std::size_t{4});
    QCOMPARE(bins.bins[0].label, std::string("(-inf, 1000)"));
    QCOMPARE(bins.bins[1].label, std::string("[1000, 2500)"));
    QCOMPARE(bins.bins[2].label, std::string("[2500, +inf)"));
    QCOMPARE(bins.bins[3].label, std::string("missing"));
}

void TestBinning::categoricalSmallLevelsMerge() {
    // Level 0: 40 rows, 10% bad. Level 1: 40 rows, 50% bad. Level 2: 3 rows, 2 bad.
    // Level 3: 2 rows, no bad. Level 4: never seen. 85 rows: a bin needs 5% = 4.25 rows.
    std::vector<float> values, labels;
    addRows(values, labels, 0, 40, 4);
    addRows(values, labels, 1, 40, 20);
    addRows(values, labels, 2, 3, 2);
    addRows(values, labels, 3, 2, 0);
    auto bins = cwb::binCharacteristic(oneColumn(values, labels, true, 5), 0, BinningSettings{});
    QVERIFY(bins.categorical);
    QCOMPARE(bins.trend, 0);
    QCOMPARE(bins.bins.size(), std::size_t{2});
    // Level 3 (rate 0) joins level 0 (0.1); level 2 (0.67) joins level 1 (0.5).
    QCOMPARE(bins.bins[0].levels, (std::vector<int>{0, 3}));
    QCOMPARE(bins.bins[1].levels, (std::vector<int>{1, 2}));
    QCOMPARE(bins.bins[0].label, std::string("0, 3"));
    QCOMPARE(bins.binOf(3.0f), 0);
    QCOMPARE(bins.binOf(2.0f), 1);
    QCOMPARE(bins.binOf(4.0f), -1);  // unseen level scores WoE 0
    QCOMPARE(bins.woeOf(4.0f), 0.0);
    QVERIFY(bins.bins[0].woe > 0 && bins.bins[1].woe < 0);

    cwb::labelBins(bins, {"A11", "A12", "A13", "A14", "A15"});
    QCOMPARE(bins.bins[0].label, std::string("A11, A14"));
    QCOMPARE(bins.bins[1].label, std::string("A12, A13"));
}

void TestBinning::recomputeAfterManualMerge() {
    const auto data = generated(1, 0.1, 13);
    auto bins = cwb::binCharacteristic(data, 0, BinningSettings{});
    const std::size_t before = bins.bins.size();
    QVERIFY(before >= 4);
    // An analyst merges the first two value bins by hand.
    bins.bins[0].upper = bins.bins[1].upper;
    bins.bins.erase(bins.bins.begin() + 1);
    cwb::recomputeStatistics(bins, data, 0);
    QCOMPARE(bins.bins.size(), before - 1);
    double total = 0, iv = 0;
    for (const auto& bin : bins.bins) {
        total += bin.goods + bin.bads;
        iv += bin.iv;
    }
    QCOMPARE(total, static_cast<double>(data.rows));
    QVERIFY(std::abs(iv - bins.informationValue) < 1e-12);
    QCOMPARE(bins.trend, 1);
    QVERIFY(bins.bins[0].label.rfind("(-inf, ", 0) == 0);
    // The merged bin's WoE lies between those of its two parts (pooled evidence).
    const auto fresh = cwb::binCharacteristic(data, 0, BinningSettings{});
    QVERIFY(bins.bins[0].woe <= fresh.bins[0].woe && bins.bins[0].woe >= fresh.bins[1].woe);
}

void TestBinning::labelsRequired() {
    auto data = generated(1, 0.0, 1);
    data.labels.clear();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             cwb::binCharacteristic(data, 0, BinningSettings{}));
}

QTEST_APPLESS_MAIN(TestBinning)
#include "tst_binning.moc"
