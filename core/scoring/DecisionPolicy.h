#pragma once
// Decision bands by score: approve at or above approveFrom, decline below declineBelow, refer
// in between. Scores are compared after rounding to whole points (what users see).

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/Result.h"
#include "scoring/ScoreScaling.h"

namespace cwb {

enum class Decision { Approve, Refer, Decline };
std::string toString(Decision decision);

struct DecisionPolicy {
    double approveFrom = 540.0;
    double declineBelow = 500.0;

    Decision decide(double roundedScore) const {
        if (roundedScore >= approveFrom) return Decision::Approve;
        if (roundedScore < declineBelow) return Decision::Decline;
        return Decision::Refer;
    }

    // The default bands of a new model: approve when PD <= 15 %, decline when PD > 40 %,
    // expressed in whole points of the given scaling.
    static DecisionPolicy fromPdThresholds(const ScoreScaling& scaling, double approveMaxPd = 0.15,
                                           double declineMinPd = 0.40);

    nlohmann::json toJson() const;
    static Result<DecisionPolicy> fromJson(const nlohmann::json& json);
};

}  // namespace cwb
