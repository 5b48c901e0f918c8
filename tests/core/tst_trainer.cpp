// Cross-validation and algorithm selection: stratified folds, seeded and reproducible.

#include <QTest>

#include <atomic>
#include <numeric>
#include <random>
#include <set>

#include "eval/Metrics.h"
#include "model/AutoSearch.h"
#include "model/ModelConfig.h"
#include "model/Trainer.h"

using namespace cwb;

namespace {

// Two numeric characteristics with an interaction only trees can capture: risk is high when
// a and b share a sign. Lines are unique, so fits can be traced by the rows they were given.
EncodedData interactionData() {
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
        // A weak main effect of a, so that scorecards have a characteristic to score with.
        const double logit = 1.5 * a * b + 0.4 * a - 0.5;
        d.values.insert(d.values.end(), {a, b});
        d.labels.push_back(u(rng) < 1.0 / (1.0 + std::exp(-logit)) ? 1.0f : 0.0f);
        d.lines.push_back(r + 2);
    }
    d.rows = d.labels.size();
    return d;
}

}  // namespace

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

    void autoSearchIsNestedAndReproducible() {
        const EncodedData d = interactionData();
        TrainRequest request;
        request.folds = 3;
        request.seed = 9;
        std::vector<SearchFit> fits;
        request.searchObserver = [&](const SearchFit& fit) { fits.push_back(fit); };
        auto first = trainModel(d, request, nullptr);
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        QVERIFY(first->search);
        const SearchReport& search = *first->search;
        const std::size_t configs = searchSpace().size();
        QCOMPARE(search.configs.size(), configs);
        QCOMPARE(search.innerFolds, kInnerFolds);

        // Every fit the search ran, checked against the outer folds: no inner fit of outer
        // fold f trains or is measured on f's test rows; the fit measured on them trained on
        // exactly the rest.
        const std::vector<int> outer = stratifiedFolds(d.labels, 3, 9);
        std::size_t innerFits = 0, outerFits = 0, proposals = 0;
        for (const SearchFit& fit : fits) {
            std::set<std::int64_t> train(fit.trainLines.begin(), fit.trainLines.end());
            std::set<std::int64_t> test(fit.testLines.begin(), fit.testLines.end());
            QCOMPARE(train.size(), fit.trainLines.size());
            if (fit.proposal) {
                // The derived ratios of a scope are proposed from its training rows alone: all
                // rows for the final model, every row but the outer test fold's otherwise.
                QVERIFY(test.empty());
                std::size_t expected = 0;
                for (std::size_t r = 0; r < d.rows; ++r)
                    if (fit.outerFold < 0 || outer[r] != fit.outerFold) {
                        QVERIFY2(train.count(d.lines[r]), "a training row was left out");
                        ++expected;
                    }
                QCOMPARE(train.size(), expected);
                ++proposals;
                continue;
            }
            for (std::int64_t line : test)
                QVERIFY(!train.count(line));
            if (fit.outerFold < 0) {  // the final model's search: all rows, split in three
                QCOMPARE(train.size() + test.size(), d.rows);
                QVERIFY(fit.innerFold >= 0);
                ++innerFits;
                continue;
            }
            std::set<std::int64_t> outerTest;
            for (std::size_t r = 0; r < d.rows; ++r)
                if (outer[r] == fit.outerFold) outerTest.insert(d.lines[r]);
            for (std::int64_t line : train)
                QVERIFY2(!outerTest.count(line), "an outer test row was trained on");
            if (fit.innerFold >= 0) {
                for (std::int64_t line : test)
                    QVERIFY2(!outerTest.count(line), "an outer test row took part in a choice");
                QCOMPARE(train.size() + test.size(), d.rows - outerTest.size());
                ++innerFits;
            } else {
                QVERIFY(test == outerTest);
                QCOMPARE(train.size(), d.rows - outerTest.size());
                QCOMPARE(fit.config, search.outer[std::size_t(fit.outerFold)].bestOf(
                                         search.configs[fit.config].algorithm, search.configs));
                ++outerFits;
            }
        }
        QCOMPARE(innerFits, 4 * configs * kInnerFolds);  // 3 outer folds and all rows
        QCOMPARE(outerFits, std::size_t(3 * 3));         // per outer fold, each algorithm's best
        QCOMPARE(proposals, std::size_t(4));             // one per scope

        // The report: every configuration's inner AUC per scope, the best one chosen, and the
        // candidate rows per algorithm plus "auto", whose folds are the chosen ones' test AUCs.
        QCOMPARE(search.outer.size(), std::size_t(3));
        std::vector<double> chosenAuc;
        for (const SearchScope* scope :
             {&search.outer[0], &search.outer[1], &search.outer[2], &search.final}) {
            QCOMPARE(scope->innerAuc.size(), configs);
            for (double a : scope->innerAuc)
                QVERIFY(a > 0.5 && a <= scope->innerAuc[scope->chosen]);
            if (scope == &search.final) break;
            QCOMPARE(scope->tests.size(), std::size_t(3));
            for (const AlgorithmTest& t : scope->tests)
                if (t.config == scope->chosen) chosenAuc.push_back(t.auc);
        }
        QCOMPARE(chosenAuc.size(), std::size_t(3));
        QCOMPARE(first->measured, std::string("auto"));
        QCOMPARE(first->candidates.size(), std::size_t(4));
        QCOMPARE(first->candidates.back().algorithm, std::string("auto"));
        QCOMPARE(first->chosen(), &first->candidates.back());
        QVERIFY(first->chosen()->foldAuc == chosenAuc);
        QCOMPARE(first->algorithm, toString(search.configs[search.final.chosen].algorithm));
        QVERIFY(first->algorithm != "scorecard");  // additive WoE cannot see the interaction
        const nlohmann::json j = search.toJson(false);
        QCOMPARE(j["configurations"].size(), configs);
        QCOMPARE(j["outer_folds"].size(), std::size_t(3));
        QCOMPARE(j["outer_folds"][1]["inner_auc"].size(), configs);
        QCOMPARE(j["final"]["chosen"].get<std::size_t>(), search.final.chosen + 1);
        QVERIFY(!j["configurations"][0].contains("fit_seconds"));

        request.searchObserver = nullptr;
        auto second = trainModel(d, request, nullptr);
        QVERIFY(second.ok());
        QCOMPARE(second->algorithm, first->algorithm);
        QVERIFY(second->search->toJson(false) == j);
        std::vector<double> m1(d.rows), m2(d.rows);
        first->model->predictMargin(d.values.data(), d.rows, m1.data());
        second->model->predictMargin(d.values.data(), d.rows, m2.data());
        QVERIFY(m1 == m2);
    }

    // An inner AUC recomputed by hand from outer fold 1's training rows alone equals the
    // reported one: the figure that chooses is made without the outer test rows.
    void innerAucIsMadeFromTheOuterTrainingRowsOnly() {
        const EncodedData d = interactionData();
        TrainRequest request;
        request.folds = 3;
        request.seed = 9;
        auto outcome = trainModel(d, request, nullptr);
        QVERIFY(outcome.ok());
        const std::vector<int> outer = stratifiedFolds(d.labels, 3, 9);
        std::vector<std::size_t> rows;
        for (std::size_t r = 0; r < d.rows; ++r)
            if (outer[r] != 1) rows.push_back(r);
        const EncodedData scope = d.subset(rows);
        const std::vector<int> inner =
            stratifiedFolds(scope.labels, kInnerFolds, innerSeed(request.seed, 1));
        const auto& configs = outcome->search->configs;
        for (std::size_t c = 0; c < configs.size(); ++c) {
            if (configs[c].algorithm != Algorithm::Scorecard) continue;  // the fast ones
            double sum = 0.0;
            for (int i = 0; i < kInnerFolds; ++i) {
                std::vector<std::size_t> trainRows, testRows;
                for (std::size_t r = 0; r < scope.rows; ++r)
                    (inner[r] == i ? testRows : trainRows).push_back(r);
                const EncodedData train = scope.subset(trainRows), test = scope.subset(testRows);
                auto model = fitConfig(configs[c], train, request, ProgressRange(nullptr, 0, 1));
                QVERIFY(model.ok());
                std::vector<double> margins(test.rows);
                (*model)->predictMargin(test.values.data(), test.rows, margins.data());
                sum += auc(margins, test.labels);
            }
            QCOMPARE(outcome->search->outer[1].innerAuc[c], sum / kInnerFolds);
        }
    }

    void cancelStopsTheSearch() {
        const EncodedData d = interactionData();
        TrainRequest request;
        request.folds = 3;
        std::atomic<int> fitsStarted{0};
        request.searchObserver = [&](const SearchFit&) { ++fitsStarted; };
        ProgressToken token([&](double fraction, const std::string&) {
            if (fraction >= 0.2) token.cancel();
        });
        token.setMinInterval(std::chrono::milliseconds(0));
        auto outcome = trainModel(d, request, &token);
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().message, std::string("cancelled"));
        const int total = static_cast<int>(4 * searchSpace().size() * kInnerFolds + 9);
        qInfo("fits started before the cancel took effect: %d of %d", fitsStarted.load(), total);
        QVERIFY(fitsStarted.load() < total / 2);
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
