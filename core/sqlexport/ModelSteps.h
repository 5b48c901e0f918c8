#pragma once
// Internal to core/sqlexport: the steps between cwb_input and cwb_scored. Each model writer
// ends with a step named cwb_margin holding the carried columns, cwb_margin (the log-odds of
// bad as a double, NULL for rejected rows) and, for scorecards, one rank column per
// characteristic (its place among the row's reasons, NULL when it is not a reason).

#include <cstddef>
#include <string>
#include <vector>

#include "common/Result.h"
#include "data/Schema.h"
#include "sqlexport/SqlStatement.h"

namespace cwb {

class ScorecardModel;
class TreeEnsemble;

// The largest |margin| the SQL may produce: beyond it EXP would overflow (an error in
// PostgreSQL) and the score would leave integer range.
inline constexpr double kMaxAbsMargin = 700.0;

struct ReasonRank {
    std::string rankColumn;  // e.g. cwb_r3
    std::string feature;     // the characteristic's name, the reason's text in the output
};

// Scorecard: cwb_parts (one contribution per characteristic in the model, the engine's doubles)
// and cwb_margin (intercept plus contributions in the engine's order; ranks when reasons > 0).
Result<void> writeScorecardSteps(SqlStatement& sql, const ScorecardModel& model,
                                 const std::vector<const ColumnSpec*>& features, int reasons,
                                 std::vector<ReasonRank>& ranks);

// Tree ensemble: cwb_trees_1.. (one CASE expression per tree, summed in tree order from the
// base margin, up to a hundred trees per step) and cwb_margin.
Result<void> writeTreeSteps(SqlStatement& sql, const TreeEnsemble& ensemble,
                            const std::vector<const ColumnSpec*>& features);

}  // namespace cwb
