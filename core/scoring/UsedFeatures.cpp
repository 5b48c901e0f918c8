#include "scoring/UsedFeatures.h"

#include "model/Scorecard.h"

namespace cwb {

std::vector<bool> usedFeatures(const ModelBundle& bundle) {
    const std::size_t n = bundle.schema.featureNames().size();
    std::vector<bool> used(n, true);
    if (const auto* scorecard = dynamic_cast<const ScorecardModel*>(bundle.model.get())) {
        const auto& coefficients = scorecard->coefficients();
        for (std::size_t j = 0; j < n && j < coefficients.size(); ++j)
            used[j] = coefficients[j] != 0.0;
    }
    return used;
}

std::vector<std::string> unusedFeatureNames(const ModelBundle& bundle) {
    const auto names = bundle.schema.featureNames();
    const auto used = usedFeatures(bundle);
    std::vector<std::string> out;
    for (std::size_t j = 0; j < names.size() && j < used.size(); ++j)
        if (!used[j]) out.push_back(names[j]);
    return out;
}

}  // namespace cwb
