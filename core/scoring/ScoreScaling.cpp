#include "scoring/ScoreScaling.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "scoring/DecisionPolicy.h"

namespace cwb {

nlohmann::json ScoreScaling::toJson() const {
    return {{"base_points", basePoints}, {"base_odds", baseOdds}, {"pdo", pdo}};
}

Result<ScoreScaling> ScoreScaling::fromJson(const nlohmann::json& json) {
    ScoreScaling s;
    try {
        s.basePoints = json.at("base_points").get<double>();
        s.baseOdds = json.at("base_odds").get<double>();
        s.pdo = json.at("pdo").get<double>();
    } catch (const nlohmann::json::exception& e) {
        return Error::badInput(std::string("score scaling: ") + e.what());
    }
    // Bounds that keep every score inside the 64-bit range by construction: models keep their
    // margins below 1e12 (TreeLimits, the scorecard check), so |points| < 1e9 + 1443 * 1e12.
    if (!(s.pdo >= kMinPdo && s.pdo <= kMaxPdo))
        return Error::badInput("score scaling: PDO must lie between 0.1 and 1000 points");
    if (!(s.baseOdds >= 1e-9 && s.baseOdds <= 1e9))
        return Error::badInput("score scaling: base odds must lie between 1e-9 and 1e9");
    if (!(std::fabs(s.basePoints) <= 1e9))
        return Error::badInput("score scaling: base points must be a number within +-1e9");
    return s;
}

std::string toString(Decision decision) {
    switch (decision) {
        case Decision::Approve:
            return "approve";
        case Decision::Refer:
            return "refer";
        case Decision::Decline:
            return "decline";
    }
    return "refer";
}

DecisionPolicy DecisionPolicy::fromPdThresholds(const ScoreScaling& scaling, double approveMaxPd,
                                                double declineMinPd) {
    DecisionPolicy p;
    p.approveFrom = std::ceil(scaling.pointsFromPd(approveMaxPd));
    p.declineBelow = std::ceil(scaling.pointsFromPd(declineMinPd));
    return p;
}

nlohmann::json DecisionPolicy::toJson() const {
    return {{"approve_from", approveFrom}, {"decline_below", declineBelow}};
}

Result<DecisionPolicy> DecisionPolicy::fromJson(const nlohmann::json& json) {
    DecisionPolicy p;
    try {
        p.approveFrom = json.at("approve_from").get<double>();
        p.declineBelow = json.at("decline_below").get<double>();
    } catch (const nlohmann::json::exception& e) {
        return Error::badInput(std::string("decision policy: ") + e.what());
    }
    if (!std::isfinite(p.approveFrom) || !std::isfinite(p.declineBelow))
        return Error::badInput("decision policy: the bands must be finite numbers");
    if (p.declineBelow > p.approveFrom)
        return Error::badInput("decision policy: decline_below must not exceed approve_from");
    return p;
}

}  // namespace cwb
