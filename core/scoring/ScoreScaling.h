#pragma once
// Points from log-odds: points = offset + factor * ln(good:bad odds), factor = PDO / ln 2.
// Default: 600 points at 50:1 good:bad odds, 20 points to double the odds.
// A model's margin is the log-odds of bad, so points = offset - factor * margin.

#include <cmath>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/Result.h"

namespace cwb {

struct ScoreScaling {
    static constexpr double kMinPdo = 0.1;
    static constexpr double kMaxPdo = 1000.0;

    double basePoints = 600.0;
    double baseOdds = 50.0;  // good:bad odds at basePoints
    double pdo = 20.0;       // points to double the odds

    double factor() const { return pdo / std::log(2.0); }
    double offset() const { return basePoints - factor() * std::log(baseOdds); }
    double pointsFromMargin(double margin) const { return offset() - factor() * margin; }
    double marginFromPoints(double points) const { return (offset() - points) / factor(); }
    double pointsFromPd(double pd) const { return offset() + factor() * std::log((1.0 - pd) / pd); }
    // Log-odds contribution expressed in points (for waterfalls and scorecard tables).
    double pointsFromContribution(double contribution) const { return -factor() * contribution; }

    nlohmann::json toJson() const;
    static Result<ScoreScaling> fromJson(const nlohmann::json& json);
};

}  // namespace cwb
