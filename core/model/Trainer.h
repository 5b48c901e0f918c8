#pragma once
// Training with stratified k-fold cross-validation and algorithm selection: `auto` trains every
// candidate (boosted trees, random forest, scorecard) on the same folds and keeps the one with
// the best mean fold AUC, then refits it on all rows.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/EncodedData.h"
#include "model/Model.h"

namespace cwb {

enum class Algorithm { Auto, Xgboost, Scorecard, Forest };
std::string toString(Algorithm algorithm);
std::optional<Algorithm> algorithmFromString(const std::string& text);

enum class MonotoneMode { Auto, None };

struct TrainRequest {
    Algorithm algorithm = Algorithm::Auto;
    int folds = 5;  // < 2: no cross-validation (not allowed with Auto)
    std::uint64_t seed = 42;
    int threads = 0;  // 0 = all cores
    MonotoneMode monotone = MonotoneMode::Auto;
    // Per characteristic, by name: +1 risk rises with the value, -1 falls, 0 free. Overrides the
    // mode for the characteristics it names (tree models only).
    std::map<std::string, int> monotoneOverrides;
};

struct CandidateResult {
    std::string algorithm;
    std::vector<double> foldAuc;
    std::vector<double> foldKs;
    double meanAuc = 0.0, sdAuc = 0.0, meanGini = 0.0, meanKs = 0.0;
    double seconds = 0.0;
    // withTiming = false for what goes into a bundle, so rebuilt bundles are identical.
    nlohmann::json toJson(bool withTiming = true) const;
};

struct TrainOutcome {
    std::unique_ptr<Model> model;             // refitted on all rows
    std::string algorithm;                    // the chosen one
    std::vector<CandidateResult> candidates;  // cross-validation results (empty without CV)
    std::vector<int> monotone;                // constraints used for tree models (per feature)
    const CandidateResult* chosen() const;
};

// Stratified fold assignment: fold[r] in [0, k), bads and goods spread evenly, seeded.
std::vector<int> stratifiedFolds(const std::vector<float>& labels, int k, std::uint64_t seed);

// Monotone constraints from the sign of each numeric characteristic's WoE trend (+1 risk rises
// with the value, -1 falls); 0 for categorical characteristics and unclear trends.
std::vector<int> monotoneFromTrend(const EncodedData& data);

Result<TrainOutcome> trainModel(const EncodedData& data, const TrainRequest& request,
                                ProgressToken* progress);

}  // namespace cwb
