// Cross-validation and algorithm selection: stratified folds, seeded and reproducible.

#include <QTest>

#include <numeric>
#include <random>

#include "model/Trainer.h"

using namespace cwb;

class TrainerTest : public QObject {
    Q_OBJECT

private slots:
    void foldsAreStratifiedAndSeeded() {
        std::vector<float> labels(1000, 0.0f);
        for (std::size_t i = 0; i < 300; ++i)
            labels[i * 3] = 1.0f;  // 300 bads
        const auto folds = stratifiedFolds(labels, 5, 42);
        QCOMPARE(folds.size(), labels.size());
        for (int f = 0; f < 5; ++f) {
            int n = 0, bads = 0;
            for (std::size_t r = 0; r < labels.size(); ++r)
                if (folds[r] == f) {
                    ++n;
                    bads += labels[r] > 0.5f;
                }
            QCOMPARE(n, 200);
            QCOMPARE(bads, 60);
        }
        QVERIFY(stratifiedFolds(labels, 5, 42) == folds);
        QVERIFY(stratifiedFolds(labels, 5, 43) != folds);
    }

    void autoPicksTheBestCandidateAndIsReproducible() {
        EncodedData d;
        d.featureNames = {"a", "b"};
        d.categorical = {false, false};
        d.levelCounts = {0, 0};
        d.cols = 2;
        std::mt19937 rng(5);
        std::normal_distribution<float> n(0.0f, 1.0f);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        for (int r = 0; r < 1500; ++r) {
            const float a = n(rng), b = n(rng);
            // An interaction only trees can capture: risk is high when a and b share a sign.
            const double logit = 1.5 * a * b - 0.5;
            d.values.insert(d.values.end(), {a, b});
            d.labels.push_back(u(rng) < 1.0 / (1.0 + std::exp(-logit)) ? 1.0f : 0.0f);
            d.lines.push_back(r + 2);
        }
        d.rows = d.labels.size();
        TrainRequest request;
        request.folds = 3;
        request.seed = 9;
        auto first = trainModel(d, request, nullptr);
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        QCOMPARE(first->candidates.size(), std::size_t(3));
        const CandidateResult* chosen = first->chosen();
        QVERIFY(chosen);
        for (const auto& c : first->candidates) {
            QCOMPARE(c.foldAuc.size(), std::size_t(3));
            QVERIFY(c.meanAuc <= chosen->meanAuc);
        }
        QVERIFY(first->algorithm != "scorecard");  // additive WoE cannot see the interaction
        auto second = trainModel(d, request, nullptr);
        QVERIFY(second.ok());
        QCOMPARE(second->algorithm, first->algorithm);
        for (std::size_t i = 0; i < 3; ++i)
            QCOMPARE(second->candidates[i].meanAuc, first->candidates[i].meanAuc);
        std::vector<double> m1(d.rows), m2(d.rows);
        first->model->predictMargin(d.values.data(), d.rows, m1.data());
        second->model->predictMargin(d.values.data(), d.rows, m2.data());
        QVERIFY(m1 == m2);
    }

    void cancelStopsTraining() {
        EncodedData d;
        d.featureNames = {"a"};
        d.categorical = {false};
        d.levelCounts = {0};
        d.cols = 1;
        for (int r = 0; r < 200; ++r) {
            d.values.push_back(static_cast<float>(r));
            d.labels.push_back(r % 3 == 0 ? 1.0f : 0.0f);
        }
        d.rows = 200;
        ProgressToken token;
        token.cancel();
        auto outcome = trainModel(d, TrainRequest{}, &token);
        QVERIFY(!outcome.ok());
        QVERIFY(outcome.error().message.find("cancel") != std::string::npos);
    }

    void autoWithoutCrossValidationIsBadUsage() {
        EncodedData d;
        d.rows = 0;
        TrainRequest request;
        request.folds = 0;
        auto outcome = trainModel(d, request, nullptr);
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().kind, ErrorKind::BadInput);
    }
};

QTEST_GUILESS_MAIN(TrainerTest)
#include "tst_trainer.moc"
