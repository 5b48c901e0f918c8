#pragma once
// Figures kept in a bundle about its development sample: performance on it and the score
// distribution (deciles) that later batches are compared with for PSI.

#include <vector>

#include <nlohmann/json.hpp>

#include "scoring/ScoreScaling.h"

namespace cwb {

nlohmann::json developmentMetrics(const std::vector<double>& margins,
                                  const std::vector<float>& bad);

// {"edges": [9 inner decile edges in points], "shares": [10 shares]}.
nlohmann::json referenceScoreDistribution(const std::vector<double>& margins,
                                          const ScoreScaling& scaling);

// PSI of scores (points) against a reference distribution made by referenceScoreDistribution.
double scorePsi(const nlohmann::json& reference, const std::vector<double>& points);

}  // namespace cwb
