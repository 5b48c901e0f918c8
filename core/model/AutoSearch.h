#pragma once
// `--algorithm auto`: a nested search over a small space of configurations (searchSpace).
// Each outer fold's training rows are split into inner folds; every configuration is
// cross-validated on those inner folds only, and the one with the best mean inner AUC is
// trained on the outer training rows and measured on the outer test fold, which therefore never
// takes part in a choice. The final model repeats the inner search on all rows and refits the
// winner. The outer AUC is thus an honest estimate of the whole procedure, search included.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/EncodedData.h"
#include "features/Ratios.h"
#include "model/ModelConfig.h"
#include "model/Trainer.h"

namespace cwb {

// The test rows of an outer fold as measured by each algorithm's best configuration.
struct AlgorithmTest {
    Algorithm algorithm = Algorithm::Xgboost;
    std::size_t config = 0;  // index into SearchReport::configs
    double auc = 0.0, ks = 0.0;
};

// One inner search: on an outer fold's training rows, or on all rows for the final model.
struct SearchScope {
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    int outerFold = -1;                // 0-based; -1 = all rows (the final model)
    std::vector<double> innerAuc;      // per configuration: mean AUC over the inner folds
    std::size_t chosen = 0;            // the best mean inner AUC (ties: the earlier configuration)
    std::vector<AlgorithmTest> tests;  // outer folds only, one per algorithm in the space
    // The derived ratios proposed on this scope's training rows (RatioProposal below): the
    // tree configurations of this scope were trained and measured with them, the scorecards
    // without. Empty when none was proposed or the request asked for none.
    std::vector<RatioFeature> ratios;
    // The configuration of `algorithm` with the best mean inner AUC; kNone when the data
    // refused every one.
    std::size_t bestOf(Algorithm algorithm, const std::vector<ModelConfig>& configs) const;
};

struct SearchReport {
    int innerFolds = 0;
    std::vector<ModelConfig> configs;
    std::vector<SearchScope> outer;  // one per outer fold, in fold order
    SearchScope final;
    std::vector<std::string> featureNames;  // the data's characteristics, naming the ratios
    std::vector<double> seconds;            // per configuration: training time summed over its fits
    // Per configuration: why the data refused it on some fit (BadInput), empty when it did not.
    std::vector<std::string> refused;
    // withTiming = false for what goes into a bundle, so rebuilt bundles are identical.
    nlohmann::json toJson(bool withTiming = true) const;
};

Result<SearchReport> nestedSearch(const EncodedData& data, const std::vector<int>& outerFold,
                                  int outerFolds, const TrainRequest& request,
                                  ProgressRange progress);

// The ratio proposal of one scope (decision 51): a boosted model of the scope's size regime,
// at a faster learning rate, is trained on the scope's training rows with every candidate
// ratio (ratioCandidates) beside the characteristics; each column's importance is its mean
// absolute contribution on up to kProposalRows of those rows. The ratios whose importance
// reaches the median characteristic's are proposed, the most important first, at most
// kMaxProposedRatios of them.
// The proposal model trains on at most kProposalFitRows of the scope's rows (spread evenly),
// which bounds the widened copy's memory on large portfolios (Taiwan's scopes, 24,000 to
// 30,000 rows, use all theirs).
inline constexpr std::size_t kMaxProposedRatios = 10;
inline constexpr std::size_t kProposalRows = 8000;
inline constexpr std::size_t kProposalFitRows = 50000;
Result<std::vector<RatioFeature>> proposeRatios(const EncodedData& data,
                                                const TrainRequest& request,
                                                ProgressRange progress);

// Inner folds: 3 (each configuration costs 3 fits per scope).
inline constexpr int kInnerFolds = 3;

// The inner fold assignment of a scope's training rows: stratified, with its own seed per
// outer fold so that the inner splits of different outer folds are not aligned.
std::uint64_t innerSeed(std::uint64_t seed, int outerFold);

}  // namespace cwb
