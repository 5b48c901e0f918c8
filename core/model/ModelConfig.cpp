#include "model/ModelConfig.h"

#include <cstdio>

namespace cwb {

namespace {

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

ModelConfig boosted(int depth, double eta, double minChildWeight, double colsample) {
    ModelConfig c;
    c.algorithm = Algorithm::Xgboost;
    c.tree.maxDepth = depth;
    c.tree.eta = eta;
    c.tree.minChildWeight = minChildWeight;
    c.tree.colsampleByTree = colsample;
    return c;
}

ModelConfig forest(int depth, double minChildWeight) {
    ModelConfig c;
    c.algorithm = Algorithm::Forest;
    c.tree.randomForest = true;
    c.tree.forestDepth = depth;
    c.tree.minChildWeight = minChildWeight;
    return c;
}

ModelConfig scorecard(int fineClasses, double minBinShare, int maxBins, double minIv) {
    ModelConfig c;
    c.algorithm = Algorithm::Scorecard;
    c.scorecard.binning.fineClasses = fineClasses;
    c.scorecard.binning.minBinShare = minBinShare;
    c.scorecard.binning.maxBins = maxBins;
    c.scorecard.minInformationValue = minIv;
    return c;
}

}  // namespace

std::string ModelConfig::label() const {
    switch (algorithm) {
        case Algorithm::Scorecard:
            return "scorecard max " + std::to_string(scorecard.binning.maxBins) +
                   " bins, min share " + format("%g", scorecard.binning.minBinShare) + ", " +
                   std::to_string(scorecard.binning.fineClasses) + " fine classes, min IV " +
                   format("%g", scorecard.minInformationValue);
        case Algorithm::Forest:
            return "forest depth " + std::to_string(tree.forestDepth) + ", min_child_weight " +
                   format("%g", tree.minChildWeight);
        case Algorithm::Xgboost:
        case Algorithm::Auto:
            break;
    }
    return "xgboost depth " + std::to_string(tree.maxDepth) + ", eta " + format("%g", tree.eta) +
           ", min_child_weight " + format("%g", tree.minChildWeight) + ", colsample " +
           format("%g", tree.colsampleByTree);
}

nlohmann::json ModelConfig::settings() const {
    switch (algorithm) {
        case Algorithm::Scorecard:
            return {{"fine_classes", scorecard.binning.fineClasses},
                    {"min_bin_share", scorecard.binning.minBinShare},
                    {"max_bins", scorecard.binning.maxBins},
                    {"min_information_value", scorecard.minInformationValue},
                    {"ridge", scorecard.ridge}};
        case Algorithm::Forest:
            return {{"trees", tree.forestTrees},
                    {"max_depth", tree.forestDepth},
                    {"min_child_weight", tree.minChildWeight}};
        case Algorithm::Xgboost:
        case Algorithm::Auto:
            break;
    }
    return {{"max_depth", tree.maxDepth},
            {"eta", tree.eta},
            {"min_child_weight", tree.minChildWeight},
            {"subsample", tree.subsample},
            {"colsample_bytree", tree.colsampleByTree},
            {"early_stopping_rounds", tree.earlyStoppingRounds}};
}

// Two regimes, chosen by 5-fold CV AUC on German credit (1000 rows) and Taiwan (30000 rows),
// see docs/decisions.md: small portfolios want shallow trees and slow learning; large ones
// deeper trees with large leaves (min_child_weight) and column sampling.
ModelConfig defaultConfig(Algorithm algorithm, std::size_t rows) {
    ModelConfig c;
    c.algorithm = algorithm;
    if (algorithm == Algorithm::Scorecard) return c;
    c.tree.randomForest = algorithm == Algorithm::Forest;
    if (rows < 5000) {
        c.tree.maxDepth = 3;
        c.tree.eta = 0.03;
        c.tree.minChildWeight = 2.0;
        c.tree.forestDepth = 6;
    } else {
        c.tree.maxDepth = 6;
        c.tree.eta = 0.03;
        c.tree.minChildWeight = 20.0;
        c.tree.colsampleByTree = 0.6;
    }
    return c;
}

std::vector<ModelConfig> searchSpace() {
    return {
        // Boosted trees from stumps-like to deep with large leaves; min_child_weight is in
        // hessian units (about 0.15-0.25 per row at the bad rates of credit portfolios).
        boosted(2, 0.05, 1.0, 0.8),
        boosted(3, 0.03, 2.0, 0.8),
        boosted(4, 0.05, 5.0, 0.6),
        boosted(6, 0.03, 20.0, 0.6),
        boosted(5, 0.05, 10.0, 0.5),
        boosted(8, 0.05, 50.0, 0.5),
        // Scorecards: coarse to fine classing, and one that keeps weak characteristics.
        scorecard(20, 0.05, 8, 0.02),
        scorecard(30, 0.03, 12, 0.02),
        scorecard(20, 0.08, 5, 0.02),
        scorecard(20, 0.05, 8, 0.005),
        // Forests: the two depths of the size regimes.
        forest(6, 2.0),
        forest(8, 20.0),
    };
}

std::vector<int> monotoneFor(const EncodedData& data, const TrainRequest& request) {
    std::vector<int> monotone(data.cols, 0);
    if (request.monotone == MonotoneMode::Auto) monotone = monotoneFromTrend(data);
    for (std::size_t j = 0; j < data.cols; ++j)
        if (auto it = request.monotoneOverrides.find(data.featureNames[j]);
            it != request.monotoneOverrides.end())
            monotone[j] = it->second;
    return monotone;
}

Result<std::unique_ptr<Model>> fitConfig(const ModelConfig& config, const EncodedData& data,
                                         const TrainRequest& request, ProgressRange progress,
                                         std::vector<int>* monotoneUsed) {
    if (config.algorithm == Algorithm::Scorecard)
        return trainScorecard(data, config.scorecard, progress);
    TreeSettings settings = config.tree;
    settings.randomForest = config.algorithm == Algorithm::Forest;
    settings.seed = request.seed;
    settings.threads = request.threads;
    settings.monotone = monotoneFor(data, request);
    if (monotoneUsed) *monotoneUsed = settings.monotone;
    return trainTreeModel(data, settings, progress);
}

}  // namespace cwb
