#pragma once
// Champion against challenger on one file (issue 12): both models score every row, each
// decides by its own policy on the score rounded to whole points (as `cwb score`), and the
// swap set is the applicants approved by one and not by the other (declined or referred):
// swap-ins (approved by the challenger only) and swap-outs (by the champion only), with their
// bad rates where the file has labels.

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct SwapGroup {
    std::size_t count = 0, bads = 0;
    double badRate = 0.0;  // NaN without labels or rows
};

// Not called SwapSet: report/ModelComparison.h has a cwb::SwapSet of its own, and the GUI links
// both (one name for two types would break the one-definition rule).
struct ChampionSwapSet {
    std::size_t rows = 0;  // rows both models scored
    bool labelled = false;
    SwapGroup approvedByBoth, approvedByNeither, swapIn, swapOut;
    std::size_t championApproved = 0, challengerApproved = 0;
    nlohmann::json toJson() const;
};

// target / badValue empty: the champion's. Rows either model rejects are left out.
Result<ChampionSwapSet> computeSwapSet(const ModelBundle& champion, const ModelBundle& challenger,
                                       const std::string& dataPath, const std::string& target,
                                       const std::string& badValue, ProgressToken* progress);

}  // namespace cwb
