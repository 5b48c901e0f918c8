// Derived ratio characteristics (decision 51): which pairs are tried, the model that computes
// its ratios from the inputs (contributions per input that add up to the margin), its bytes in
// a bundle, hostile bytes refused, and auto proposing a ratio that the data is made of.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include <nlohmann/json.hpp>

#include "CliRunner.h"
#include "model/AutoSearch.h"
#include "model/RatioModel.h"
#include "model/Trainer.h"
#include "model/TreeModel.h"
#include "scoring/ModelBundle.h"
#include "scoring/Scorer.h"

using namespace cwb;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// A loan file whose risk is the monthly payment: amount / months above 300 is risky, whatever
// amount and months are on their own. Age is noise, term_band has four values, purpose is
// categorical; credit_balance is never above zero, so it cannot divide.
EncodedData paymentData(std::size_t rows = 1600) {
    EncodedData d;
    d.featureNames = {"amount", "months", "age", "term_band", "purpose", "credit_balance"};
    d.categorical = {false, false, false, false, true, false};
    d.levelCounts = {0, 0, 0, 0, 3, 0};
    d.cols = d.featureNames.size();
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> amount(500.0f, 15000.0f), u(0.0f, 1.0f);
    std::uniform_int_distribution<int> months(6, 60), age(19, 75), band(1, 4), purpose(0, 2);
    for (std::size_t r = 0; r < rows; ++r) {
        const float a = std::round(amount(rng)), m = static_cast<float>(months(rng));
        const double logit = (a / m > 300.0f ? 1.5 : -2.0);
        d.values.insert(d.values.end(),
                        {a, m, static_cast<float>(age(rng)), static_cast<float>(band(rng)),
                         static_cast<float>(purpose(rng)), -std::round(amount(rng) / 10.0f)});
        d.labels.push_back(u(rng) < 1.0 / (1.0 + std::exp(-logit)) ? 1.0f : 0.0f);
        d.lines.push_back(static_cast<std::int64_t>(r) + 2);
    }
    d.rows = rows;
    return d;
}

std::unique_ptr<Model> trainWide(const EncodedData& data, const std::vector<RatioFeature>& ratios) {
    TreeSettings s;
    s.eta = 0.1;
    s.maxRounds = 200;
    s.earlyStoppingRounds = 20;
    s.threads = 1;
    s.maxDepth = 3;
    auto inner = trainTreeModel(withRatios(data, ratios), s, ProgressRange(nullptr, 0.0, 1.0));
    if (!inner) qWarning("training failed: %s", inner.error().message.c_str());
    return inner ? std::move(inner).value() : nullptr;
}

// Bytes of a ratio model with the given header text and inner bytes.
std::vector<std::uint8_t> ratioBytes(const std::string& header,
                                     const std::vector<std::uint8_t>& inner) {
    std::vector<std::uint8_t> out{'C', 'W', 'B', 'R', 'A', 'T', 'I', 'O'};
    const auto n = static_cast<std::uint32_t>(header.size());
    for (int b = 0; b < 4; ++b)
        out.push_back(static_cast<std::uint8_t>(n >> (8 * b)));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), inner.begin(), inner.end());
    return out;
}

}  // namespace

class RatioModelTest : public QObject {
    Q_OBJECT
    std::vector<std::uint8_t> m_inner;  // a tree model over 6 inputs and one ratio

private slots:
    void ratioIsMissingWithoutAPositiveDenominator() {
        QCOMPARE(ratioValue(3.0f, 2.0f), 1.5f);
        QCOMPARE(ratioValue(-3.0f, 2.0f), -1.5f);
        QVERIFY(std::isnan(ratioValue(3.0f, 0.0f)));
        QVERIFY(std::isnan(ratioValue(3.0f, -1.0f)));
        QVERIFY(std::isnan(ratioValue(kNaN, 2.0f)));
        QVERIFY(std::isnan(ratioValue(3.0f, kNaN)));
    }

    // Numeric characteristics with many values only, each pair once, divided by the one that
    // can divide: amount/months, amount/age, months/age, and credit_balance over the others.
    void candidatesArePairsOfRichNumericCharacteristics() {
        const EncodedData d = paymentData(600);
        const auto candidates = ratioCandidates(d);
        std::vector<std::string> names;
        for (const auto& r : candidates)
            names.push_back(ratioName(d.featureNames, r));
        const std::vector<std::string> expected{"amount/months",         "amount/age",
                                                "credit_balance/amount", "months/age",
                                                "credit_balance/months", "credit_balance/age"};
        QCOMPARE(names, expected);
        // At most maxOperands operands, the most informative first: amount and months carry
        // the risk, so with two operands only their pair is left.
        const auto two = ratioCandidates(d, 2);
        QCOMPARE(two.size(), std::size_t(1));
        QCOMPARE(ratioName(d.featureNames, two[0]), std::string("amount/months"));
    }

    void contributionsAreSplitOverTheOperandsAndAddUp() {
        const EncodedData d = paymentData(1200);
        const std::vector<RatioFeature> ratios{{0, 1}, {2, 1}};
        auto inner = trainWide(d, ratios);
        QVERIFY(inner);
        const Model* innerModel = inner.get();
        const RatioModel model(std::move(inner), d.cols, ratios);
        QCOMPARE(model.featureCount(), d.cols);
        QCOMPARE(model.algorithm(), innerModel->algorithm());

        // Rows with a missing and a non-positive denominator among them.
        EncodedData rows = d.subset({0, 1, 2, 3, 4});
        rows.values[1 * d.cols + 1] = kNaN;
        rows.values[2 * d.cols + 1] = 0.0f;
        const EncodedData wide = withRatios(rows, ratios);
        std::vector<double> margins(5), innerMargins(5);
        model.predictMargin(rows.values.data(), 5, margins.data());
        innerModel->predictMargin(wide.values.data(), 5, innerMargins.data());
        QVERIFY(margins == innerMargins);

        std::vector<double> out(5 * d.cols), base(5), innerOut(5 * wide.cols), innerBase(5);
        model.contributions(rows.values.data(), 5, out.data(), base.data());
        innerModel->contributions(wide.values.data(), 5, innerOut.data(), innerBase.data());
        for (std::size_t r = 0; r < 5; ++r) {
            double sum = base[r];
            for (std::size_t j = 0; j < d.cols; ++j)
                sum += out[r * d.cols + j];
            QVERIFY2(std::abs(sum - margins[r]) < 1e-4, qPrintable(QString::number(r)));
            const double* in = innerOut.data() + r * wide.cols;
            // amount: its own and half of amount/months; months: its own and half of both;
            // age: its own and half of age/months; the rest as the inner model gave them.
            QVERIFY(std::abs(out[r * d.cols + 0] - (in[0] + 0.5 * in[6])) < 1e-12);
            QVERIFY(std::abs(out[r * d.cols + 1] - (in[1] + 0.5 * in[6] + 0.5 * in[7])) < 1e-12);
            QVERIFY(std::abs(out[r * d.cols + 2] - (in[2] + 0.5 * in[7])) < 1e-12);
            for (std::size_t j = 3; j < d.cols; ++j)
                QCOMPARE(out[r * d.cols + j], in[j]);
        }
        // The ratio carries the risk, so its share is what moves amount and months.
        double ratioShare = 0.0, other = 0.0;
        for (std::size_t r = 0; r < 5; ++r) {
            ratioShare += std::abs(innerOut[r * wide.cols + 6]);
            other += std::abs(innerOut[r * wide.cols + 3]) + std::abs(innerOut[r * wide.cols + 4]);
        }
        QVERIFY(ratioShare > other);
    }

    void bytesRoundTripAndTheInputCountIsChecked() {
        const EncodedData d = paymentData(800);
        const std::vector<RatioFeature> ratios{{0, 1}};
        RatioModel model(trainWide(d, ratios), d.cols, ratios);
        const auto bytes = model.serialize();
        auto loaded = deserializeModel(model.kind(), bytes, d.cols);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        QCOMPARE((*loaded)->kind(), std::string(kRatioModelKind));
        QVERIFY((*loaded)->serialize() == bytes);
        std::vector<double> a(d.rows), b(d.rows);
        model.predictMargin(d.values.data(), d.rows, a.data());
        (*loaded)->predictMargin(d.values.data(), d.rows, b.data());
        QVERIFY(a == b);
        const auto params = nlohmann::json::parse((*loaded)->parametersJson());
        QVERIFY(params["ratios"] == nlohmann::json::parse("[[0,1]]"));

        // The fuzz seed (tests/fuzz/corpus/tree_model/ratios.bin) is a model that loads, so
        // the fuzzer starts from the code behind the header checks.
        QFile seed(
            QString::fromStdString(test::sourcePath("tests/fuzz/corpus/tree_model/ratios.bin")));
        QVERIFY(seed.open(QIODevice::ReadOnly));
        const QByteArray seedBytes = seed.readAll();
        auto seedModel = deserializeModel(
            kRatioModelKind, std::vector<std::uint8_t>(seedBytes.begin(), seedBytes.end()), 4);
        QVERIFY2(seedModel.ok(), seedModel.ok() ? "" : seedModel.error().message.c_str());

        auto wrongCount = deserializeModel(model.kind(), bytes, d.cols + 1);
        QVERIFY(!wrongCount.ok());
        QCOMPARE(wrongCount.error().kind, ErrorKind::BadInput);
        QVERIFY(wrongCount.error().message.find("inputs but the schema lists") !=
                std::string::npos);
    }

    // In a bundle: saved and loaded bit for bit, scored and explained through the schema's
    // inputs; a ratio over a characteristic the schema calls categorical is refused.
    void bundleRoundTripAndCategoricalOperandRefused() {
        const EncodedData d = paymentData(800);
        ModelBundle bundle;
        bundle.name = "payments";
        for (std::size_t j = 0; j < d.cols; ++j) {
            ColumnSpec spec;
            spec.name = d.featureNames[j];
            spec.type = d.categorical[j] ? ColumnType::Categorical : ColumnType::Numeric;
            if (d.categorical[j]) spec.levels = {"car", "furniture", "education"};
            spec.allowMissing = true;
            bundle.schema.columns.push_back(spec);
        }
        ColumnSpec target;
        target.name = "bad";
        target.role = ColumnRole::Target;
        bundle.schema.columns.push_back(target);
        bundle.schema.target = "bad";
        const std::vector<RatioFeature> ratios{{0, 1}};
        bundle.model = std::make_shared<RatioModel>(trainWide(d, ratios), d.cols, ratios);
        QTemporaryDir dir;
        const std::string path = dir.filePath("payments.cwbm").toStdString();
        QVERIFY(saveBundle(bundle, path).ok());
        auto loaded = loadBundle(path);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        QCOMPARE(loaded->model->kind(), std::string(kRatioModelKind));
        QVERIFY(loaded->model->serialize() == bundle.model->serialize());
        QVERIFY(bundleInfo(*loaded)["ratios"] == nlohmann::json::array({"amount/months"}));

        // An applicant whose monthly payment is high, explained by the inputs it is made of.
        const Scorer scorer(std::make_shared<const ModelBundle>(std::move(*loaded)));
        const std::map<std::string, std::string> record = {
            {"amount", "12000"}, {"months", "12"},   {"age", "40"},
            {"term_band", "2"},  {"purpose", "car"}, {"credit_balance", "-50"}};
        auto explained = scorer.explainRecord(record, 4);
        QVERIFY2(explained.ok(), explained.ok() ? "" : explained.error().message.c_str());
        QCOMPARE(explained->contributions.size(), d.cols);
        double sum = explained->baseValue;
        for (double c : explained->contributions)
            sum += c;
        QVERIFY(std::abs(sum - explained->margin) < 1e-4);
        // 1000 a month is far above the 300 that makes the risk: amount and months lead.
        QVERIFY(!explained->reasons.empty());
        const std::string first = explained->reasons.front().feature;
        QVERIFY2(first == "amount" || first == "months", first.c_str());

        // The same model over purpose (categorical) and amount.
        bundle.model = std::make_shared<RatioModel>(trainWide(d, {{0, 4}}), d.cols,
                                                    std::vector<RatioFeature>{{0, 4}});
        QVERIFY(saveBundle(bundle, path).ok());
        auto refused = loadBundle(path);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::BadInput);
        QVERIFY2(refused.error().message.find("divides 'purpose', which the schema lists as "
                                              "categorical") != std::string::npos,
                 refused.error().message.c_str());
    }

    void hostileBytesAreRefusedWithTheirReason_data() {
        QTest::addColumn<int>("variant");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no header") << 0 << "the header is missing";
        QTest::newRow("header past the end") << 1 << "header length";
        QTest::newRow("not json") << 2 << "the header is not";
        QTest::newRow("no ratios") << 3 << "it has 0 ratios";
        QTest::newRow("too many ratios") << 4 << "it has 33 ratios";
        QTest::newRow("index out of range") << 5 << "does not name two different inputs";
        QTest::newRow("same input twice") << 6 << "does not name two different inputs";
        QTest::newRow("inner scorecard") << 7 << "is not 'xgboost-ubj'";
        QTest::newRow("inner garbage") << 8 << "not an XGBoost model";
        QTest::newRow("inner of another width") << 9 << "inputs";
        QTest::newRow("ratio not a pair") << 10 << "not a pair of input indices";
        QTest::newRow("no inputs") << 11 << "input count 0";
    }
    void hostileBytesAreRefusedWithTheirReason() {
        QFETCH(int, variant);
        QFETCH(QString, reason);
        if (m_inner.empty()) {  // trained once for every variant
            const EncodedData d = paymentData(600);
            m_inner = trainWide(d, {{0, 1}})->serialize();
        }
        const std::vector<std::uint8_t>& inner = m_inner;
        const auto header = [](const std::string& ratiosJson,
                               const std::string& kind = "xgboost-ubj", int inputs = 6) {
            return "{\"inputs\":" + std::to_string(inputs) + ",\"ratios\":" + ratiosJson +
                   ",\"inner_kind\":\"" + kind + "\"}";
        };
        std::vector<std::uint8_t> bytes;
        switch (variant) {
            case 0:
                bytes = {'C', 'W', 'B'};
                break;
            case 1:
                bytes = ratioBytes(header("[[0,1]]"), {});
                bytes[8] = 0xFF;  // a length far past the end
                break;
            case 2:
                bytes = ratioBytes("[1,2]", inner);
                break;
            case 3:
                bytes = ratioBytes(header("[]"), inner);
                break;
            case 4: {
                std::string many = "[";
                for (int k = 0; k < 33; ++k)
                    many += std::string(k ? "," : "") + "[0,1]";
                bytes = ratioBytes(header(many + "]"), inner);
                break;
            }
            case 5:
                bytes = ratioBytes(header("[[0,6]]"), inner);
                break;
            case 6:
                bytes = ratioBytes(header("[[2,2]]"), inner);
                break;
            case 7:
                bytes = ratioBytes(header("[[0,1]]", "scorecard-json"), inner);
                break;
            case 8:
                bytes = ratioBytes(header("[[0,1]]"), {'{', '"', 'x'});
                break;
            case 9:
                bytes = ratioBytes(header("[[0,1],[2,1]]"), inner);
                break;  // inner reads 7
            case 10:
                bytes = ratioBytes(header("[[0,1,2]]"), inner);
                break;
            case 11:
                bytes = ratioBytes(header("[[0,1]]", "xgboost-ubj", 0), inner);
                break;
        }
        auto loaded = deserializeModel(kRatioModelKind, bytes, std::nullopt);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().kind, ErrorKind::BadInput);
        QVERIFY2(loaded.error().message.find(reason.toStdString()) != std::string::npos,
                 loaded.error().message.c_str());
    }

    // Above kProposalFitRows the proposal model trains on rows spread over the portfolio (the
    // widened copy stays bounded) and still finds the ratio.
    void largePortfolioIsProposedFromASample() {
        const EncodedData d = paymentData(kProposalFitRows + 10000);
        auto proposed = proposeRatios(d, TrainRequest{}, ProgressRange(nullptr, 0.0, 1.0));
        QVERIFY(proposed.ok());
        QVERIFY(!proposed->empty());
        QCOMPARE(ratioName(d.featureNames, proposed->front()), std::string("amount/months"));
    }

    // The proposal sees the monthly payment the risk is made of; auto trains its trees with it,
    // keeps only the input constraints the ratios cannot reverse, and beats the same search
    // without ratios.
    void autoProposesTheRatioTheRiskIsMadeOf() {
        const EncodedData d = paymentData();
        auto proposed = proposeRatios(d, TrainRequest{}, ProgressRange(nullptr, 0.0, 1.0));
        QVERIFY(proposed.ok());
        QVERIFY(!proposed->empty());
        QCOMPARE(ratioName(d.featureNames, proposed->front()), std::string("amount/months"));
        QVERIFY(proposed->size() <= kMaxProposedRatios);

        TrainRequest request;
        request.folds = 3;
        request.seed = 3;
        auto withRatios = trainModel(d, request, nullptr);
        QVERIFY2(withRatios.ok(), withRatios.ok() ? "" : withRatios.error().message.c_str());
        const SearchReport& search = *withRatios->search;
        for (const SearchScope* scope :
             {&search.outer[0], &search.outer[1], &search.outer[2], &search.final})
            QCOMPARE(ratioName(d.featureNames, scope->ratios.front()),
                     std::string("amount/months"));
        QVERIFY(withRatios->algorithm != "scorecard");
        QCOMPARE(withRatios->ratios, search.final.ratios);
        QCOMPARE(withRatios->model->kind(), std::string(kRatioModelKind));
        QCOMPARE(withRatios->model->featureCount(), d.cols);
        QCOMPARE(withRatios->monotone.size(), d.cols);
        QCOMPARE(withRatios->ratioMonotone.size(), withRatios->ratios.size());
        // Every constraint claimed for an input holds through every ratio it enters.
        for (std::size_t k = 0; k < withRatios->ratios.size(); ++k) {
            const auto [a, b] = withRatios->ratios[k];
            const int c = withRatios->ratioMonotone[k];
            if (withRatios->monotone[a] != 0) QCOMPARE(c, withRatios->monotone[a]);
            if (withRatios->monotone[b] != 0) QCOMPARE(c, -withRatios->monotone[b]);
        }
        // amount raises the risk through amount/months and months lowers it: months' own
        // trend (longer terms, smaller payments: less risk) agrees, so nothing here forces a
        // release unless the ratio's trend disagrees with an operand's.
        for (std::size_t j : withRatios->releasedMonotone)
            QCOMPARE(withRatios->monotone[j], 0);

        request.ratios = false;
        auto without = trainModel(d, request, nullptr);
        QVERIFY(without.ok());
        for (const SearchScope& scope : without->search->outer)
            QVERIFY(scope.ratios.empty());
        QVERIFY(without->ratios.empty());
        QVERIFY(without->model->kind() != std::string(kRatioModelKind));
        // Trees without the ratio approximate the boundary amount = 300 x months by a staircase.
        qInfo("cv AUC with ratios %.4f, without %.4f", withRatios->chosen()->meanAuc,
              without->chosen()->meanAuc);
        QVERIFY2(withRatios->chosen()->meanAuc > without->chosen()->meanAuc + 0.01,
                 qPrintable(QString("%1 vs %2")
                                .arg(withRatios->chosen()->meanAuc)
                                .arg(without->chosen()->meanAuc)));
    }
};

QTEST_GUILESS_MAIN(RatioModelTest)
#include "tst_ratio_model.moc"
