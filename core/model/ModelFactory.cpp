// deserializeModel (model/Model.h): the one place that maps a bundle's model kind to the code
// that reads it.

#include "model/Model.h"
#include "model/RatioModel.h"
#include "model/Scorecard.h"
#include "model/TreeModel.h"

namespace cwb {

Result<std::unique_ptr<Model>> deserializeModel(const std::string& kind,
                                                const std::vector<std::uint8_t>& bytes,
                                                std::optional<std::size_t> featureCount) {
    if (kind == "xgboost-ubj") return deserializeTreeModel(bytes, featureCount);
    if (kind == kRatioModelKind) return RatioModel::deserialize(bytes, featureCount);
    if (kind == "scorecard-json") {
        auto scorecard = ScorecardModel::deserialize(bytes);
        if (!scorecard) return scorecard.error();
        if (featureCount && (*scorecard)->featureCount() != *featureCount) {
            return Error::badInput("the model has " + std::to_string((*scorecard)->featureCount()) +
                                   " inputs but the schema lists " + std::to_string(*featureCount) +
                                   " features");
        }
        return std::unique_ptr<Model>(std::move(scorecard).value());
    }
    return Error::badInput("unknown model kind '" + kind +
                           "': expected 'xgboost-ubj', 'scorecard-json' or '" +
                           std::string(kRatioModelKind) + "'");
}

}  // namespace cwb
