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
#include "model/AutoSearch.h"
#include "model/ModelConfig.h"
#include "model/ParallelTasks.h"
#include "model/RatioModel.h"

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
        if (c.algorithm == measured) return &c;
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

// Trains and scores every fold of one configuration, folds in parallel (decision 6).
Result<std::pair<std::vector<double>, std::vector<double>>> crossValidate(
    const ModelConfig& config, const EncodedData& data, const std::vector<int>& fold, int folds,
    const TrainRequest& request, ProgressRange progress) {
    std::vector<double> aucs(static_cast<std::size_t>(folds)), kss(aucs.size());
    TrainRequest single = request;
    single.threads = 1;
    const std::string name = toString(config.algorithm);
    const auto runFold = [&](int f) -> std::optional<Error> {
        std::vector<std::size_t> trainRows, testRows;
        for (std::size_t r = 0; r < data.rows; ++r)
            (fold[r] == f ? testRows : trainRows).push_back(r);
        const EncodedData train = data.subset(trainRows);
        const EncodedData test = data.subset(testRows);
        const ProgressRange range =
            progress.sub(static_cast<double>(f) / folds, static_cast<double>(f + 1) / folds);
        range.report(0.0,
                     name + ": fold " + std::to_string(f + 1) + " of " + std::to_string(folds));
        auto model = fitConfig(config, train, single, range);
        if (!model) return model.error();
        std::vector<double> margins(test.rows);
        (*model)->predictMargin(test.values.data(), test.rows, margins.data());
        aucs[static_cast<std::size_t>(f)] = auc(margins, test.labels);
        kss[static_cast<std::size_t>(f)] = ks(margins, test.labels);
        return std::nullopt;
    };
    const auto what = [](int f) { return "cross-validation fold " + std::to_string(f + 1); };
    if (auto r = runTasks(folds, workerCount(request.threads), progress, runFold, what); !r)
        return r.error();
    return std::make_pair(std::move(aucs), std::move(kss));
}

// The candidate rows of auto: per algorithm, its best configuration on each outer fold; then
// "auto", the configuration the inner search chose on each outer fold.
std::vector<CandidateResult> searchCandidates(const SearchReport& search, double seconds) {
    std::vector<CandidateResult> rows;
    std::vector<Algorithm> algorithms;
    for (const auto& c : search.configs)
        if (std::find(algorithms.begin(), algorithms.end(), c.algorithm) == algorithms.end())
            algorithms.push_back(c.algorithm);
    // An algorithm gets a row when each outer fold could train one of its configurations.
    for (Algorithm algorithm : algorithms) {
        std::vector<double> aucs, kss;
        for (const SearchScope& fold : search.outer)
            for (const AlgorithmTest& t : fold.tests)
                if (t.algorithm == algorithm) {
                    aucs.push_back(t.auc);
                    kss.push_back(t.ks);
                }
        if (aucs.size() != search.outer.size()) continue;
        rows.push_back(summarize(toString(algorithm), std::move(aucs), std::move(kss)));
        for (std::size_t c = 0; c < search.configs.size(); ++c)
            if (search.configs[c].algorithm == algorithm) rows.back().seconds += search.seconds[c];
    }
    std::vector<double> chosenAuc, chosenKs;
    for (const SearchScope& fold : search.outer)
        for (const AlgorithmTest& t : fold.tests)
            if (t.config == fold.chosen) {
                chosenAuc.push_back(t.auc);
                chosenKs.push_back(t.ks);
            }
    rows.push_back(summarize("auto", std::move(chosenAuc), std::move(chosenKs)));
    rows.back().seconds = seconds;
    return rows;
}

// Which input constraints a model with ratios keeps overall: an input's own constraint holds
// through a ratio only when the ratio's constraint moves the same way (as numerator) or the
// opposite way (as denominator, over values above zero: a denominator seen at zero or below
// crosses into the ratio's missing branch, which no constraint covers). The others are
// released: 0 in outcome.monotone, listed in releasedMonotone.
void keptMonotone(const EncodedData& data, const std::vector<RatioFeature>& ratios,
                  const std::vector<int>& wideMonotone, TrainOutcome& outcome) {
    outcome.monotone.assign(wideMonotone.begin(),
                            wideMonotone.begin() + static_cast<std::ptrdiff_t>(data.cols));
    outcome.ratioMonotone.assign(wideMonotone.begin() + static_cast<std::ptrdiff_t>(data.cols),
                                 wideMonotone.end());
    const auto release = [&](std::size_t j) {
        if (outcome.monotone[j] == 0) return;
        outcome.monotone[j] = 0;
        outcome.releasedMonotone.push_back(j);
    };
    for (std::size_t k = 0; k < ratios.size(); ++k) {
        const int c = outcome.ratioMonotone[k];
        const std::size_t a = ratios[k].numerator, b = ratios[k].denominator;
        if (c != outcome.monotone[a]) release(a);
        bool nonPositive = false;
        for (std::size_t r = 0; r < data.rows && !nonPositive; ++r)
            nonPositive = data.at(r, b) <= 0.0f;
        if (c != -outcome.monotone[b] || nonPositive) release(b);
    }
    std::sort(outcome.releasedMonotone.begin(), outcome.releasedMonotone.end());
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

    TrainOutcome outcome;
    const ProgressRange all(progress, 0.0, 1.0);
    const int folds = request.folds >= 2 ? request.folds : 0;
    ModelConfig chosen = defaultConfig(request.algorithm, data.rows);
    double fitShare = 0.0;  // of the progress bar: the final refit's part

    if (request.algorithm == Algorithm::Auto) {
        // The search's fits outnumber the final refit by far; it gets a token share.
        fitShare = 0.05;
        const auto started = std::chrono::steady_clock::now();
        const std::vector<int> fold = stratifiedFolds(data.labels, folds, request.seed);
        auto search = nestedSearch(data, fold, folds, request, all.sub(0.0, 1.0 - fitShare));
        if (!search) return search.error();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        outcome.candidates = searchCandidates(*search, seconds);
        outcome.measured = "auto";
        chosen = search->configs[search->final.chosen];
        outcome.search = std::make_shared<const SearchReport>(std::move(*search));
    } else if (folds > 0) {
        fitShare = 1.0 / (folds + 1);
        const auto started = std::chrono::steady_clock::now();
        const std::vector<int> fold = stratifiedFolds(data.labels, folds, request.seed);
        auto folded =
            crossValidate(chosen, data, fold, folds, request, all.sub(0.0, 1.0 - fitShare));
        if (!folded) return folded.error();
        CandidateResult c = summarize(toString(request.algorithm), std::move(folded->first),
                                      std::move(folded->second));
        c.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        outcome.candidates.push_back(std::move(c));
    }
    outcome.algorithm = toString(chosen.algorithm);
    if (outcome.measured.empty()) outcome.measured = outcome.algorithm;

    if (all.isCanceled()) return Error::failure("cancelled");
    const ProgressRange finalRange = all.sub(1.0 - (fitShare > 0.0 ? fitShare : 1.0), 1.0);
    finalRange.report(
        0.0, "fitting " + (outcome.search ? chosen.label() : outcome.algorithm) + " on all rows");
    TrainRequest single = request;
    single.threads = 1;  // decision 6
    // The final search's ratios go with a tree configuration (decision 51).
    if (outcome.search && chosen.algorithm != Algorithm::Scorecard)
        outcome.ratios = outcome.search->final.ratios;
    if (outcome.ratios.empty()) {
        auto model = fitConfig(chosen, data, single, finalRange, &outcome.monotone);
        if (!model) return model.error();
        outcome.model = std::move(*model);
    } else {
        std::vector<int> wideMonotone;
        auto inner =
            fitConfig(chosen, withRatios(data, outcome.ratios), single, finalRange, &wideMonotone);
        if (!inner) return inner.error();
        outcome.model = std::make_unique<RatioModel>(std::move(*inner), data.cols, outcome.ratios);
        keptMonotone(data, outcome.ratios, wideMonotone, outcome);
    }
    all.report(1.0, "done");
    return outcome;
}

}  // namespace cwb
