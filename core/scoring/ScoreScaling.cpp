#include "scoring/ScoreScaling.h"

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
    if (!(s.baseOdds > 0.0) || !(s.pdo > 0.0))
        return Error::badInput("score scaling: base odds and PDO must be positive");
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
    if (p.declineBelow > p.approveFrom)
        return Error::badInput("decision policy: decline_below must not exceed approve_from");
    return p;
}

}  // namespace cwb
