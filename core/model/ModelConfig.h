#pragma once
// One trainable configuration: an algorithm and its settings. `--algorithm xgboost|forest|
// scorecard` trains the fixed configuration for the portfolio's size (defaultConfig);
// `--algorithm auto` searches a small space of them (searchSpace, model/AutoSearch.h).

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/EncodedData.h"
#include "model/Model.h"
#include "model/Scorecard.h"
#include "model/Trainer.h"
#include "model/TreeModel.h"

namespace cwb {

struct ModelConfig {
    Algorithm algorithm = Algorithm::Xgboost;
    // Tree hyper-parameters; seed, threads and monotone constraints come from the request
    // when the configuration is fitted.
    TreeSettings tree;
    ScorecardSettings scorecard;
    std::string label() const;        // "xgboost depth 3, min_child_weight 2, colsample 0.8"
    nlohmann::json settings() const;  // the settings that differ between configurations
};

// The fixed configuration for `--algorithm A` (decision 7: two regimes by portfolio size).
ModelConfig defaultConfig(Algorithm algorithm, std::size_t rows);

// The configurations `--algorithm auto` compares, in report order (docs/decisions.md, decision 45).
std::vector<ModelConfig> searchSpace();

// Monotone constraints for tree models: from the WoE trends of data unless the request says
// none, then the request's per-characteristic overrides.
std::vector<int> monotoneFor(const EncodedData& data, const TrainRequest& request);

// Trains one configuration on data with the request's seed, threads and monotone constraints;
// monotoneUsed (optional) receives the constraints of a tree model.
Result<std::unique_ptr<Model>> fitConfig(const ModelConfig& config, const EncodedData& data,
                                         const TrainRequest& request, ProgressRange progress,
                                         std::vector<int>* monotoneUsed = nullptr);

}  // namespace cwb
