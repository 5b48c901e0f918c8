#pragma once
// Which characteristics a model can use at all: a scorecard leaves some out (no points), so a
// form need not ask for them and a record may omit them.

#include <string>
#include <vector>

#include "scoring/ModelBundle.h"

namespace cwb {

// Per feature, in schema.featureNames() order: false when the model cannot be moved by it (a
// scorecard characteristic with coefficient 0). Tree models are taken to use every feature.
std::vector<bool> usedFeatures(const ModelBundle& bundle);

// The names of the features usedFeatures() marks false.
std::vector<std::string> unusedFeatureNames(const ModelBundle& bundle);

}  // namespace cwb
