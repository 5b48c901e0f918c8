// The logistic WoE scorecard on generated data with a known relationship.
#include <QTest>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "eval/Metrics.h"
#include "model/Scorecard.h"

using cwb::EncodedData;
using cwb::ScorecardModel;
using cwb::ScorecardSettings;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Features: x_up (risk rises, 5% missing), x_down (risk falls), grade (categorical, 3
// levels), noise (no relationship). Drawn from a logistic model with a fixed seed.
EncodedData generated(std::size_t rows, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::uniform_int_distribution<int> grade(0, 2);
    EncodedData d;
    d.featureNames = {"x_up", "x_down", "grade", "noise"};
    d.categorical = {false, false, true, false};
    d.levelCounts = {0, 0, 3, 0};
    d.rows = rows;
    d.cols = 4;
    const double gradeEffect[3] = {-0.7, 0.0, 0.9};
    for (std::size_t r = 0; r < rows; ++r) {
        const double up = normal(rng), down = normal(rng), noise = normal(rng);
        const int g = grade(rng);
        const double logit = -1.2 + 1.0 * up - 0.8 * down + gradeEffect[g];
        d.labels.push_back(uniform(rng) < 1.0 / (1.0 + std::exp(-logit)) ? 1.0f : 0.0f);
        d.values.push_back(uniform(rng) < 0.05 ? kNaN : static_cast<float>(up));
        d.values.push_back(static_cast<float>(down));
        d.values.push_back(static_cast<float>(g));
        d.values.push_back(static_cast<float>(noise));
    }
    return d;
}

std::unique_ptr<ScorecardModel> train(const EncodedData& data, ScorecardSettings settings = {},
                                      cwb::ProgressToken* token = nullptr) {
    auto result = cwb::trainScorecard(data, settings, cwb::ProgressRange(token, 0.0, 1.0));
    if (!result) qFatal("training failed: %s", result.error().message.c_str());
    auto* scorecard = dynamic_cast<ScorecardModel*>(result.value().get());
    if (!scorecard) qFatal("trainScorecard did not return a ScorecardModel");
    result.value().release();
    return std::unique_ptr<ScorecardModel>(scorecard);
}

std::vector<double> margins(const cwb::Model& model, const EncodedData& data) {
    std::vector<double> out(data.rows);
    model.predictMargin(data.values.data(), data.rows, out.data());
    return out;
}

}  // namespace

class TestScorecard : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void recoversTheKnownRelationship();
    void contributionsAddUpToTheMargin();
    void pointsAddUpToTheScore();
    void serializationRoundTripGivesIdenticalMargins();
    void damagedBytesAreBadInput_data();
    void damagedBytesAreBadInput();
    void wrongSignedCharacteristicIsLeftOut();
    void reportsProgressAndHonoursCancel();
    void refusesDataWithoutBothClasses();

private:
    EncodedData m_data;
    std::unique_ptr<ScorecardModel> m_model;
};

void TestScorecard::initTestCase() {
    m_data = generated(4000, 20240501);
    ScorecardSettings settings;
    settings.levelNames = {{}, {}, {"A", "B", "C"}, {}};
    m_model = train(m_data, settings);
}

void TestScorecard::recoversTheKnownRelationship() {
    const auto& model = *m_model;
    QCOMPARE(model.algorithm(), std::string("scorecard"));
    QCOMPARE(model.featureCount(), std::size_t{4});  // every input, dropped ones included
    const auto& beta = model.coefficients();
    // WoE = ln(good/bad): a characteristic that predicts well has a negative coefficient,
    // near -1 when it is independent of the others.
    for (int j = 0; j < 3; ++j) {
        QVERIFY2(beta[j] < -0.5 && beta[j] > -1.5, qPrintable(QString::number(beta[j])));
    }
    QCOMPARE(beta[3], 0.0);  // noise: IV below 0.02
    QCOMPARE(model.fitInfo().leftOutLowIv, std::vector<std::string>{"noise"});
    QVERIFY(model.fitInfo().converged);
    QCOMPARE(model.bins()[0].trend, 1);
    QCOMPARE(model.bins()[1].trend, -1);
    QVERIFY(model.bins()[0].bins.back().missing);
    QCOMPARE(model.bins()[2].bins.front().label, std::string("A"));  // level names applied

    const double a = cwb::auc(margins(model, m_data), m_data.labels);
    QVERIFY2(a > 0.75, qPrintable(QString::number(a)));
    // Calibrated in the large: the mean PD matches the bad rate (logistic score equations).
    double meanPd = 0, badRate = 0;
    const auto m = margins(model, m_data);
    for (std::size_t r = 0; r < m_data.rows; ++r) {
        meanPd += 1.0 / (1.0 + std::exp(-m[r]));
        badRate += m_data.labels[r];
    }
    QVERIFY(std::abs(meanPd - badRate) / static_cast<double>(m_data.rows) < 1e-6);
}

void TestScorecard::contributionsAddUpToTheMargin() {
    const auto p = m_model->featureCount();
    std::vector<double> contributions(m_data.rows * p), base(m_data.rows);
    m_model->contributions(m_data.values.data(), m_data.rows, contributions.data(), base.data());
    const auto m = margins(*m_model, m_data);
    for (std::size_t r = 0; r < m_data.rows; ++r) {
        double sum = base[r];
        for (std::size_t j = 0; j < p; ++j) {
            sum += contributions[r * p + j];
        }
        QVERIFY(std::abs(sum - m[r]) < 1e-9);
        QCOMPARE(base[r], m_model->intercept());
        QCOMPARE(contributions[r * p + 3], 0.0);  // left-out characteristic
    }
}

void TestScorecard::pointsAddUpToTheScore() {
    const double factor = 20.0 / std::log(2.0);
    const double offset = 600.0 - factor * std::log(50.0);
    const auto points = m_model->binPoints(offset, factor);
    const auto m = margins(*m_model, m_data);
    for (std::size_t r = 0; r < 50; ++r) {
        double score = 0;
        for (std::size_t j = 0; j < m_model->featureCount(); ++j) {
            const int b = m_model->bins()[j].binOf(m_data.at(r, j));
            if (b >= 0) score += points[j][static_cast<std::size_t>(b)];
        }
        QVERIFY(std::abs(score - (offset - factor * m[r])) < 1e-9);
    }
}

void TestScorecard::serializationRoundTripGivesIdenticalMargins() {
    const auto bytes = m_model->serialize();
    QCOMPARE(m_model->kind(), std::string("scorecard-json"));
    auto loaded = ScorecardModel::deserialize(bytes);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    const auto& copy = *loaded.value();
    QCOMPARE(copy.featureCount(), m_model->featureCount());
    QCOMPARE(margins(copy, m_data), margins(*m_model, m_data));  // bit for bit
    QCOMPARE(copy.bins()[2].bins.front().label, std::string("A"));
    QCOMPARE(copy.bins()[0].bins.front().lower, -std::numeric_limits<double>::infinity());
    QCOMPARE(copy.parametersJson(), m_model->parametersJson());
    QCOMPARE(copy.fitInfo().leftOutLowIv, m_model->fitInfo().leftOutLowIv);
    QCOMPARE(copy.serialize(), bytes);
    QVERIFY(m_model->parametersJson().find("\"min_information_value\":0.02") != std::string::npos);
}

void TestScorecard::damagedBytesAreBadInput_data() {
    QTest::addColumn<QByteArray>("bytes");
    const auto good = m_model->serialize();
    const QByteArray text(reinterpret_cast<const char*>(good.data()),
                          static_cast<qsizetype>(good.size()));
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArray("\x01\x02\xff not json");
    QTest::newRow("truncated") << text.left(text.size() / 2);
    QTest::newRow("foreign json") << QByteArray(R"({"learner": {"gradient_booster": {}}})");
    QTest::newRow("wrong types") << QByteArray(text).replace("\"woe\":", "\"woe\":\"x\",\"w\":");
    QTest::newRow("no intercept") << QByteArray(text).replace("\"intercept\"", "\"intercepts\"");
}

void TestScorecard::damagedBytesAreBadInput() {
    QFETCH(QByteArray, bytes);
    const std::vector<std::uint8_t> raw(bytes.begin(), bytes.end());
    const auto result = ScorecardModel::deserialize(raw);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, cwb::ErrorKind::BadInput);
    QVERIFY(!result.error().message.empty());
}

void TestScorecard::wrongSignedCharacteristicIsLeftOut() {
    // Risk follows z only. x1 = z + e and x2 = e + 0.3 z: on its own x2 looks risky (it
    // carries some z), but given x1 it lowers risk, so its WoE coefficient comes out positive.
    std::mt19937 rng(99);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    EncodedData d;
    d.featureNames = {"x1", "x2"};
    d.categorical = {false, false};
    d.levelCounts = {0, 0};
    d.rows = 6000;
    d.cols = 2;
    for (std::size_t r = 0; r < d.rows; ++r) {
        const double z = normal(rng), e = normal(rng);
        d.labels.push_back(uniform(rng) < 1.0 / (1.0 + std::exp(1.0 - 2.0 * z)) ? 1.0f : 0.0f);
        d.values.push_back(static_cast<float>(z + e));
        d.values.push_back(static_cast<float>(e + 0.3 * z));
    }
    const auto model = train(d);
    QVERIFY(model->bins()[1].informationValue >= 0.02);  // kept out by sign, not by IV
    QCOMPARE(model->fitInfo().leftOutWrongSign, std::vector<std::string>{"x2"});
    QCOMPARE(model->coefficients()[1], 0.0);
    QVERIFY(model->coefficients()[0] < 0.0);
}

void TestScorecard::reportsProgressAndHonoursCancel() {
    std::vector<double> fractions;
    cwb::ProgressToken token([&](double f, const std::string&) { fractions.push_back(f); });
    token.setMinInterval(std::chrono::milliseconds(0));
    train(m_data, {}, &token);
    QVERIFY(fractions.size() > 4);
    QCOMPARE(fractions.back(), 1.0);
    for (std::size_t i = 1; i < fractions.size(); ++i) {
        QVERIFY(fractions[i] >= fractions[i - 1]);
    }

    cwb::ProgressToken cancelled;
    cancelled.cancel();
    const auto result = cwb::trainScorecard(m_data, {}, cwb::ProgressRange(&cancelled, 0.0, 1.0));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, cwb::ErrorKind::Failure);
    QCOMPARE(result.error().message, std::string("cancelled"));
}

void TestScorecard::refusesDataWithoutBothClasses() {
    auto data = generated(200, 1);
    for (auto& label : data.labels) {
        label = 0.0f;
    }
    const auto result = cwb::trainScorecard(data, {}, cwb::ProgressRange(nullptr, 0, 1));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, cwb::ErrorKind::BadInput);
    QVERIFY(result.error().message.find("no bad rows") != std::string::npos);
}

QTEST_APPLESS_MAIN(TestScorecard)
#include "tst_scorecard.moc"
