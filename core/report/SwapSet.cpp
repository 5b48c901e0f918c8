#include "report/SwapSet.h"

#include <cmath>
#include <limits>
#include <map>

#include "pipeline/EvaluatePipeline.h"
#include "scoring/Scorer.h"

namespace cwb {

namespace {

nlohmann::json groupJson(const SwapGroup& g, bool labelled) {
    nlohmann::json j = {{"count", g.count}};
    if (labelled) {
        j["bads"] = g.bads;
        j["bad_rate"] = std::isnan(g.badRate) ? nlohmann::json(nullptr) : nlohmann::json(g.badRate);
    }
    return j;
}

// Approve decisions by source line.
Result<std::map<std::int64_t, bool>> approvals(const ModelBundle& bundle, const LabelledScores& s) {
    std::map<std::int64_t, bool> out;
    for (std::size_t i = 0; i < s.margins.size(); ++i) {
        const double points = bundle.scaling.pointsFromMargin(s.margins[i]);
        out[s.data.lines[i]] =
            bundle.policy.decide(static_cast<double>(std::lround(points))) == Decision::Approve;
    }
    return out;
}

}  // namespace

nlohmann::json ChampionSwapSet::toJson() const {
    return {{"rows", rows},
            {"labelled", labelled},
            {"champion_approved", championApproved},
            {"challenger_approved", challengerApproved},
            {"approved_by_both", groupJson(approvedByBoth, labelled)},
            {"approved_by_neither", groupJson(approvedByNeither, labelled)},
            {"swap_in", groupJson(swapIn, labelled)},
            {"swap_out", groupJson(swapOut, labelled)},
            {"swap_set", swapIn.count + swapOut.count}};
}

Result<ChampionSwapSet> computeSwapSet(const ModelBundle& champion, const ModelBundle& challenger,
                                       const std::string& dataPath, const std::string& target,
                                       const std::string& badValue, ProgressToken* progress) {
    ScoreFileOptions options;
    options.requireTarget = false;
    auto first = scoreFile(champion, dataPath, target, badValue, options, progress);
    if (!first) return first.error();
    // The challenger reads the labels the champion's target named.
    auto second = scoreFile(challenger, dataPath, first->schema.target, first->schema.badValue,
                            options, progress);
    if (!second) return second.error();
    auto a = approvals(champion, *first);
    if (!a) return a.error();
    auto b = approvals(challenger, *second);
    if (!b) return b.error();
    std::map<std::int64_t, float> labels;
    ChampionSwapSet set;
    set.labelled = first->labelled && !first->data.labels.empty();
    if (set.labelled)
        for (std::size_t i = 0; i < first->data.rows; ++i)
            labels[first->data.lines[i]] = first->data.labels[i];
    for (const auto& [line, byChampion] : *a) {
        const auto other = b->find(line);
        if (other == b->end()) continue;
        const bool byChallenger = other->second;
        ++set.rows;
        set.championApproved += byChampion;
        set.challengerApproved += byChallenger;
        SwapGroup& g = byChampion && byChallenger ? set.approvedByBoth
                       : byChallenger             ? set.swapIn
                       : byChampion               ? set.swapOut
                                                  : set.approvedByNeither;
        ++g.count;
        if (set.labelled && labels[line] > 0.5f) ++g.bads;
    }
    for (SwapGroup* g : {&set.approvedByBoth, &set.approvedByNeither, &set.swapIn, &set.swapOut})
        g->badRate = set.labelled && g->count > 0
                         ? static_cast<double>(g->bads) / static_cast<double>(g->count)
                         : std::numeric_limits<double>::quiet_NaN();
    if (progress) progress->report(1.0, "done", true);
    return set;
}

}  // namespace cwb
