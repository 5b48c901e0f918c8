#pragma once
// A hand-built scorecard whose numbers are exact in binary, for cases real data rarely hits:
// contributions that tie (reason order), and scores that land exactly on .5 (rounding half away
// from zero like std::lround, where PostgreSQL's ROUND would go to even) or just below it
// (0.49999999999999994, where FLOOR(p + 0.5) would round up).
//
// Points = basePoints - margin (scaling with base odds 1 and PDO ln 2: factor 1, offset
// basePoints). Characteristics a and b: [-inf, 1) -> +0.5 log-odds... see the bins below;
// c is categorical with levels x, y.

#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/Scorecard.h"
#include "scoring/ModelBundle.h"
#include "scoring/Scorer.h"

namespace cwb::test {

inline Bin numericBin(double lower, double upper, double woe) {
    Bin bin;
    bin.lower = lower;
    bin.upper = upper;
    bin.woe = woe;
    return bin;
}

// Contributions (coefficient -1, so contribution = -WoE): a and b: x < 1 -> -0.5, 1 <= x < 2 ->
// +0.25, x >= 2 -> 0, x = 3 -> -0.49999999999999994 (bin [3, 4)); c: x -> +0.25, y -> 0.
inline ModelBundle syntheticScorecard(double basePoints) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    const auto numeric = [&](const std::string& name) {
        CharacteristicBins c;
        c.feature = name;
        c.bins = {numericBin(-inf, 1.0, 0.5), numericBin(1.0, 2.0, -0.25),
                  numericBin(2.0, 3.0, 0.0), numericBin(3.0, 4.0, 0.49999999999999994),
                  numericBin(4.0, inf, 0.0)};
        return c;
    };
    CharacteristicBins c;
    c.feature = "c";
    c.categorical = true;
    Bin x;
    x.levels = {0};
    x.woe = -0.25;
    Bin y;
    y.levels = {1};
    y.woe = 0.0;
    c.bins = {x, y};

    ModelBundle bundle;
    bundle.name = "synthetic";
    bundle.model = std::make_shared<ScorecardModel>(
        std::vector<CharacteristicBins>{numeric("a"), numeric("b"), c},
        std::vector<double>{-1.0, -1.0, -1.0}, 0.0);
    ColumnSpec id;
    id.name = "applicant";
    id.type = ColumnType::Identifier;
    id.role = ColumnRole::Id;
    ColumnSpec a;
    a.name = "a";
    ColumnSpec b;
    b.name = "b";
    ColumnSpec cat;
    cat.name = "c";
    cat.type = ColumnType::Categorical;
    cat.levels = {"x", "y"};
    bundle.schema.columns = {id, a, b, cat};
    bundle.scaling.basePoints = basePoints;
    bundle.scaling.baseOdds = 1.0;
    bundle.scaling.pdo = std::log(2.0);
    bundle.policy.approveFrom = basePoints + 1.0;
    bundle.policy.declineBelow = basePoints;
    return bundle;
}

struct SyntheticRow {
    std::string id;
    double a, b;
    std::string c;
};

// Rows covering ties of two and three characteristics and margins of -0.5, +0.5 and
// -0.49999999999999994.
inline std::vector<SyntheticRow> syntheticRows() {
    return {{"tie3", 1.5, 1.5, "x"},    {"tie2", 1.5, 1.5, "y"},       {"half_up", 0.0, 5.0, "y"},
            {"half_dn", 5.0, 1.5, "x"}, {"below_half", 3.0, 5.0, "y"}, {"ba", 5.0, 1.5, "y"},
            {"mixed", 0.0, 1.5, "x"}};
}

// The engine's results for the rows: score, decision and reasons from the Scorer itself.
inline std::map<std::string, ScoreResult> engineResults(const ModelBundle& bundle, int reasons) {
    const Scorer scorer(std::make_shared<const ModelBundle>(bundle));
    std::map<std::string, ScoreResult> out;
    for (const SyntheticRow& row : syntheticRows()) {
        auto result = scorer.explainRecord(
            {{"a", std::to_string(row.a)}, {"b", std::to_string(row.b)}, {"c", row.c}}, reasons);
        if (result) out[row.id] = *result;
    }
    return out;
}

}  // namespace cwb::test
