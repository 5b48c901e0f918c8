#pragma once
// Training with stratified k-fold cross-validation. One algorithm trains its fixed
// configuration on every fold and refits on all rows; `auto` runs a nested search over a small
// space of configurations of every algorithm (model/AutoSearch.h) and refits the one the search
// on all rows chooses.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/EncodedData.h"
#include "features/Ratios.h"
#include "model/Model.h"

namespace cwb {

enum class Algorithm { Auto, Xgboost, Scorecard, Forest };
std::string toString(Algorithm algorithm);
std::optional<Algorithm> algorithmFromString(const std::string& text);

enum class MonotoneMode { Auto, None };

// One fit of auto's nested search, for tests of the nesting: the outer fold it serves (-1 = all
// rows, the final model's search), the inner fold (-1 = the fit on the outer training rows that
// is measured on the outer test fold), the configuration, and the source lines of the rows it
// was trained and measured on.
struct SearchFit {
    int outerFold = -1;
    int innerFold = -1;
    // The ratio proposal of the scope (innerFold -1, no test rows): made from trainLines alone.
    bool proposal = false;
    std::size_t config = 0;
    std::vector<std::int64_t> trainLines, testLines;
};

struct TrainRequest {
    Algorithm algorithm = Algorithm::Auto;
    int folds = 5;  // < 2: no cross-validation (not allowed with Auto)
    std::uint64_t seed = 42;
    int threads = 0;  // 0 = all cores
    MonotoneMode monotone = MonotoneMode::Auto;
    // Per characteristic, by name: +1 risk rises with the value, -1 falls, 0 free. Overrides the
    // mode for the characteristics it names (tree models only).
    std::map<std::string, int> monotoneOverrides;
    // auto only: propose derived ratio characteristics for the tree configurations (decision
    // 51); false (`cwb train --no-ratios`) keeps every model on the schema's inputs alone.
    bool ratios = true;
    // Called (under a lock, from worker threads) for every fit of auto's search; tests only.
    std::function<void(const SearchFit&)> searchObserver;
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

struct SearchReport;

struct TrainOutcome {
    std::unique_ptr<Model> model;  // refitted on all rows
    std::string algorithm;         // the chosen one
    // Cross-validation results (empty without CV). With auto: one row per algorithm (its best
    // configuration by inner AUC on each outer fold) and the row "auto" (the overall choice on
    // each outer fold), which is the procedure's figure.
    std::vector<CandidateResult> candidates;
    std::string measured;  // the candidate whose figures are the result: "auto" or algorithm
    // Constraints of tree models per input characteristic: those the model keeps overall. With
    // ratios, an input whose direction a ratio's own constraint could reverse (see
    // releasedMonotone) is 0 here.
    std::vector<int> monotone;
    std::vector<RatioFeature> ratios;  // the model's derived ratios (a RatioModel), else empty
    std::vector<int> ratioMonotone;    // per ratio: the constraint it was trained with
    // Inputs constrained in training whose overall direction the ratios do not keep.
    std::vector<std::size_t> releasedMonotone;
    std::shared_ptr<const SearchReport>
        search;                             // auto only: what the nested search tried and chose
    const CandidateResult* chosen() const;  // the candidate named by `measured`
};

// Stratified fold assignment: fold[r] in [0, k), bads and goods spread evenly, seeded.
std::vector<int> stratifiedFolds(const std::vector<float>& labels, int k, std::uint64_t seed);

// Monotone constraints from the sign of each numeric characteristic's WoE trend (+1 risk rises
// with the value, -1 falls); 0 for categorical characteristics and unclear trends.
std::vector<int> monotoneFromTrend(const EncodedData& data);

Result<TrainOutcome> trainModel(const EncodedData& data, const TrainRequest& request,
                                ProgressToken* progress);

}  // namespace cwb
