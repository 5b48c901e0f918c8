#include "model/Trainer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

#include "eval/Metrics.h"
#include "features/Binning.h"
#include "model/Scorecard.h"
#include "model/TreeModel.h"

namespace cwb {

std::string toString(Algorithm algorithm) {
    switch (algorithm) {
        case Algorithm::Auto:
            return "auto";
        case Algorithm::Xgboost:
            return "xgboost";
        case Algorithm::Scorecard:
            return "scorecard";
        case Algorithm::Forest:
            return "forest";
    }
    return "auto";
}

std::optional<Algorithm> algorithmFromString(const std::string& text) {
    for (Algorithm a :
         {Algorithm::Auto, Algorithm::Xgboost, Algorithm::Scorecard, Algorithm::Forest})
        if (toString(a) == text) return a;
    return std::nullopt;
}

nlohmann::json CandidateResult::toJson(bool withTiming) const {
    nlohmann::json j = {{"algorithm", algorithm}, {"cv_auc", meanAuc}, {"cv_auc_sd", sdAuc},
                        {"cv_gini", meanGini},    {"cv_ks", meanKs},   {"fold_auc", foldAuc},
                        {"fold_ks", foldKs}};
    if (withTiming) j["seconds"] = seconds;
    return j;
}

const CandidateResult* TrainOutcome::chosen() const {
    for (const auto& c : candidates)
        if (c.algorithm == algorithm) return &c;
    return nullptr;
}

std::vector<int> stratifiedFolds(const std::vector<float>& labels, int k, std::uint64_t seed) {
    std::vector<std::size_t> bads, goods;
    for (std::size_t r = 0; r < labels.size(); ++r)
        (labels[r] > 0.5f ? bads : goods).push_back(r);
    std::mt19937_64 rng(seed);
    // std::shuffle's use of the engine is implementation-defined; a hand-written Fisher-Yates
    // keeps fold assignments identical across standard libraries.
    const auto shuffle = [&rng](std::vector<std::size_t>& v) {
        for (std::size_t i = v.size(); i > 1; --i)
            std::swap(v[i - 1], v[rng() % i]);
    };
    shuffle(bads);
    shuffle(goods);
    std::vector<int> fold(labels.size(), 0);
    // Goods continue the rotation where bads stopped so fold sizes differ by at most one.
    std::size_t next = 0;
    for (std::size_t r : bads)
        fold[r] = static_cast<int>(next++ % static_cast<std::size_t>(k));
    for (std::size_t r : goods)
        fold[r] = static_cast<int>(next++ % static_cast<std::size_t>(k));
    return fold;
}

std::vector<int> monotoneFromTrend(const EncodedData& data) {
    std::vector<int> monotone(data.cols, 0);
    const BinningSettings settings;
    for (std::size_t j = 0; j < data.cols; ++j) {
        if (data.categorical[j]) continue;
        const CharacteristicBins bins = binCharacteristic(data, j, settings);
        // Only a clear trend earns a constraint: a weak characteristic's direction is noise.
        if (bins.informationValue >= 0.02) monotone[j] = bins.trend;
    }
    return monotone;
}

namespace {

// Two regimes, chosen by 5-fold CV AUC on German credit (1000 rows) and Taiwan (30000 rows),
// see docs/decisions.md: small portfolios want shallow trees and slow learning; large ones
// deeper trees with large leaves (min_child_weight) and column sampling.
TreeSettings treeSettingsFor(std::size_t rows, const TrainRequest& request, bool forest,
                             const std::vector<int>& monotone) {
    TreeSettings s;
    s.randomForest = forest;
    s.seed = request.seed;
    s.threads = request.threads;
    s.monotone = monotone;
    if (rows < 5000) {
        s.maxDepth = 3;
        s.eta = 0.03;
        s.minChildWeight = 2.0;
        s.forestDepth = 6;
    } else {
        s.maxDepth = 6;
        s.eta = 0.03;
        s.minChildWeight = 20.0;
        s.colsampleByTree = 0.6;
    }
    return s;
}

Result<std::unique_ptr<Model>> trainOne(Algorithm algorithm, const EncodedData& data,
                                        const TrainRequest& request, ProgressRange progress,
                                        std::vector<int>* monotoneUsed) {
    if (algorithm == Algorithm::Scorecard)
        return trainScorecard(data, ScorecardSettings{}, progress);
    std::vector<int> monotone(data.cols, 0);
    if (request.monotone == MonotoneMode::Auto) monotone = monotoneFromTrend(data);
    for (std::size_t j = 0; j < data.cols; ++j)
        if (auto it = request.monotoneOverrides.find(data.featureNames[j]);
            it != request.monotoneOverrides.end())
            monotone[j] = it->second;
    if (monotoneUsed) *monotoneUsed = monotone;
    return trainTreeModel(
        data, treeSettingsFor(data.rows, request, algorithm == Algorithm::Forest, monotone),
        progress);
}

CandidateResult summarize(std::string algorithm, std::vector<double> aucs,
                          std::vector<double> kss) {
    CandidateResult c;
    c.algorithm = std::move(algorithm);
    const double n = static_cast<double>(aucs.size());
    c.meanAuc = std::accumulate(aucs.begin(), aucs.end(), 0.0) / n;
    double ss = 0.0;
    for (double a : aucs)
        ss += (a - c.meanAuc) * (a - c.meanAuc);
    c.sdAuc = aucs.size() > 1 ? std::sqrt(ss / (n - 1.0)) : 0.0;
    c.meanGini = giniFromAuc(c.meanAuc);
    c.meanKs = std::accumulate(kss.begin(), kss.end(), 0.0) / n;
    c.foldAuc = std::move(aucs);
    c.foldKs = std::move(kss);
    return c;
}

int workerCount(const TrainRequest& request) {
    const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    return request.threads > 0 ? request.threads : static_cast<int>(hardware);
}

// Trains and scores every fold of one candidate, folds in parallel. Each model trains on one
// thread: XGBoost's OpenMP threads busy-wait, and several of them per fold on a loaded machine
// made training 10-80 times slower, while whole folds in parallel scale cleanly.
Result<std::pair<std::vector<double>, std::vector<double>>> crossValidate(
    Algorithm algorithm, const EncodedData& data, const std::vector<int>& fold, int folds,
    const TrainRequest& request, ProgressRange progress) {
    std::vector<double> aucs(static_cast<std::size_t>(folds)), kss(aucs.size());
    std::vector<std::optional<Error>> errors(aucs.size());
    TrainRequest single = request;
    single.threads = 1;
    const auto runFold = [&](int f) {
        std::vector<std::size_t> trainRows, testRows;
        for (std::size_t r = 0; r < data.rows; ++r)
            (fold[r] == f ? testRows : trainRows).push_back(r);
        const EncodedData train = data.subset(trainRows);
        const EncodedData test = data.subset(testRows);
        const ProgressRange range =
            progress.sub(static_cast<double>(f) / folds, static_cast<double>(f + 1) / folds);
        range.report(0.0, toString(algorithm) + ": fold " + std::to_string(f + 1) + " of " +
                              std::to_string(folds));
        auto model = trainOne(algorithm, train, single, range, nullptr);
        if (!model) {
            errors[static_cast<std::size_t>(f)] = model.error();
            return;
        }
        std::vector<double> margins(test.rows);
        (*model)->predictMargin(test.values.data(), test.rows, margins.data());
        aucs[static_cast<std::size_t>(f)] = auc(margins, test.labels);
        kss[static_cast<std::size_t>(f)] = ks(margins, test.labels);
    };
    std::atomic<int> next{0};
    const auto work = [&] {
        for (int f = next++; f < folds; f = next++) {
            if (progress.isCanceled()) {
                errors[static_cast<std::size_t>(f)] = Error::failure("cancelled");
                continue;
            }
            // The fold's exception boundary: a bad_alloc or broken invariant becomes this fold's
            // error instead of std::terminate on a worker thread.
            try {
                runFold(f);
            } catch (const std::bad_alloc&) {
                errors[static_cast<std::size_t>(f)] = Error::failure(
                    "out of memory in cross-validation fold " + std::to_string(f + 1));
            } catch (const std::exception& e) {
                errors[static_cast<std::size_t>(f)] = Error::failure(
                    "cross-validation fold " + std::to_string(f + 1) + " failed: " + e.what());
            }
        }
    };
    {
        std::vector<std::jthread> pool;  // joined on every way out
        const int workers = std::min(workerCount(request), folds);
        for (int w = 1; w < workers; ++w)
            pool.emplace_back(work);
        work();
    }
    for (const auto& e : errors)
        if (e) return *e;
    return std::make_pair(std::move(aucs), std::move(kss));
}

}  // namespace

Result<TrainOutcome> trainModel(const EncodedData& data, const TrainRequest& request,
                                ProgressToken* progress) {
    if (data.labels.size() != data.rows) return Error::badInput("training data has no target");
    if (request.algorithm == Algorithm::Auto && request.folds < 2)
        return Error::badInput("--algorithm auto needs cross-validation (--cv 2 or more)");
    const std::size_t bads = static_cast<std::size_t>(
        std::count_if(data.labels.begin(), data.labels.end(), [](float y) { return y > 0.5f; }));
    if (request.folds >= 2 && (bads < static_cast<std::size_t>(request.folds) ||
                               data.rows - bads < static_cast<std::size_t>(request.folds)))
        return Error::badInput("too few bads or goods (" + std::to_string(bads) + " bads, " +
                               std::to_string(data.rows - bads) + " goods) for " +
                               std::to_string(request.folds) + "-fold cross-validation");

    for (const auto& [name, sign] : request.monotoneOverrides) {
        const auto it = std::find(data.featureNames.begin(), data.featureNames.end(), name);
        if (it == data.featureNames.end())
            return Error::badInput("monotone constraint on '" + name +
                                   "', which is not a characteristic of the model");
        if (data.categorical[static_cast<std::size_t>(it - data.featureNames.begin())] && sign != 0)
            return Error::badInput("monotone constraint on '" + name +
                                   "': categorical characteristics have no order");
    }

    std::vector<Algorithm> candidates;
    if (request.algorithm == Algorithm::Auto)
        candidates = {Algorithm::Xgboost, Algorithm::Scorecard, Algorithm::Forest};
    else
        candidates = {request.algorithm};

    TrainOutcome outcome;
    const ProgressRange all(progress, 0.0, 1.0);
    const int folds = request.folds >= 2 ? request.folds : 0;
    const double steps =
        static_cast<double>(candidates.size() * static_cast<std::size_t>(folds) + 1);
    int step = 0;

    if (folds > 0) {
        const std::vector<int> fold = stratifiedFolds(data.labels, folds, request.seed);
        for (Algorithm algorithm : candidates) {
            const auto started = std::chrono::steady_clock::now();
            auto folded = crossValidate(algorithm, data, fold, folds, request,
                                        all.sub(step / steps, (step + folds) / steps));
            if (!folded) return folded.error();
            step += folds;
            CandidateResult c =
                summarize(toString(algorithm), std::move(folded->first), std::move(folded->second));
            c.seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            outcome.candidates.push_back(std::move(c));
        }
        // Best mean AUC wins; ties keep the earlier (simpler to explain) candidate order.
        const auto best = std::max_element(outcome.candidates.begin(), outcome.candidates.end(),
                                           [](const CandidateResult& a, const CandidateResult& b) {
                                               return a.meanAuc < b.meanAuc;
                                           });
        outcome.algorithm = best->algorithm;
    } else {
        outcome.algorithm = toString(candidates.front());
    }

    if (all.isCanceled()) return Error::failure("cancelled");
    const Algorithm chosen = *algorithmFromString(outcome.algorithm);
    const ProgressRange finalRange = all.sub(step / steps, 1.0);
    finalRange.report(0.0, "fitting " + outcome.algorithm + " on all rows");
    TrainRequest single = request;
    single.threads = 1;  // see crossValidate
    auto model = trainOne(chosen, data, single, finalRange, &outcome.monotone);
    if (!model) return model.error();
    outcome.model = std::move(*model);
    all.report(1.0, "done");
    return outcome;
}

}  // namespace cwb
