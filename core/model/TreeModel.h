#pragma once
// Tree ensembles through the XGBoost C API: gradient-boosted trees (hist, early stopping on an
// inner validation split, monotone constraints, native categorical splits), random-forest mode,
// and models trained elsewhere (XGBoost JSON) for import.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/EncodedData.h"
#include "model/Model.h"

namespace cwb {

struct TreeSettings {
    bool randomForest = false;
    std::uint64_t seed = 42;
    int threads = 0;            // 0 = all cores
    std::vector<int> monotone;  // per feature: +1 increasing risk, -1 decreasing, 0 free;
                                // empty = none. Categorical features must be 0.
    // Boosting: rounds are chosen by early stopping on a stratified inner validation split.
    int maxRounds = 1000;
    int earlyStoppingRounds = 50;
    double validationShare = 0.2;
    double eta = 0.05;
    int maxDepth = 4;
    double subsample = 0.8;
    double colsampleByTree = 0.8;
    double minChildWeight = 1.0;
    double lambda = 1.0;
    // Random forest: one round of numTrees parallel trees.
    int forestTrees = 300;
    int forestDepth = 8;
};

Result<std::unique_ptr<Model>> trainTreeModel(const EncodedData& data, const TreeSettings& settings,
                                              ProgressRange progress);

// Loads an XGBoost model (JSON or UBJSON bytes) trained elsewhere, for cwb import-xgboost.
// featureNames receives the model's feature names (empty when the model has none) and
// featureTypes their types ("q"/"float"/"int" numeric, "c" categorical).
Result<std::unique_ptr<Model>> loadXgboostModel(const std::vector<std::uint8_t>& bytes,
                                                std::vector<std::string>& featureNames,
                                                std::vector<std::string>& featureTypes);

// Reads the bytes of a tree model's serialize() (kind "xgboost-ubj"; XGBoost JSON is accepted
// too). Damaged, hostile or foreign bytes give BadInput, all found before XGBoost is called
// (TreeEnsemble's checks); with featureCount, a model with another number of inputs is refused
// too. deserializeModel() dispatches here.
Result<std::unique_ptr<Model>> deserializeTreeModel(const std::vector<std::uint8_t>& bytes,
                                                    std::optional<std::size_t> featureCount = {});

}  // namespace cwb
