#include "report/ModelComparison.h"

#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace cwb {

SwapSet swapSet(const std::vector<double>& scoreA, const std::vector<double>& scoreB,
                const std::vector<float>& bad, double cutoffA, double cutoffB,
                const std::vector<std::int64_t>& lines, const std::vector<std::string>& ids) {
    if (scoreA.size() != scoreB.size() || scoreA.size() != bad.size() ||
        (!lines.empty() && lines.size() != bad.size()) ||
        (!ids.empty() && ids.size() != bad.size()))
        throw std::invalid_argument("swapSet: inputs differ in size");
    SwapSet s;
    for (std::size_t i = 0; i < bad.size(); ++i) {
        // Rounded as decisions are (DecisionPolicy), so a swap here is a swap in production.
        const bool a = std::round(scoreA[i]) >= cutoffA;
        const bool b = std::round(scoreB[i]) >= cutoffB;
        const bool isBad = bad[i] > 0.5f;
        if (a && b) {
            ++s.bothApproved;
            s.bothApprovedBads += isBad;
        } else if (!a && !b) {
            ++s.bothDeclined;
            s.bothDeclinedBads += isBad;
        } else {
            if (a) {
                ++s.onlyA;
                s.onlyABads += isBad;
            } else {
                ++s.onlyB;
                s.onlyBBads += isBad;
            }
            SwapRow row;
            row.row = i;
            row.line = lines.empty() ? 0 : lines[i];
            row.id = ids.empty() ? std::string() : ids[i];
            row.scoreA = scoreA[i];
            row.scoreB = scoreB[i];
            row.bad = isBad;
            row.approvedByA = a;
            s.swaps.push_back(std::move(row));
        }
    }
    return s;
}

namespace {

// Keeps the given rows of a report's per-row vectors and recomputes its figures over them.
void restrictRows(PerformanceReport& r, const std::vector<std::size_t>& keep) {
    if (keep.size() == r.margins.size()) return;  // nothing dropped: keep the figures as built
    auto pick = [&keep](auto& v) {
        if (v.empty()) return;
        std::remove_reference_t<decltype(v)> out;
        out.reserve(keep.size());
        for (std::size_t i : keep)
            out.push_back(v[i]);
        v = std::move(out);
    };
    pick(r.margins);
    pick(r.pd);
    pick(r.points);
    pick(r.bad);
    pick(r.ids);
    pick(r.lines);
    computeFigures(r);
}

}  // namespace

Result<ModelComparison> compareModels(const ModelBundle& a, const ModelBundle& b,
                                      const std::string& dataPath, const std::string& target,
                                      const std::string& badValue, ProgressToken* progress) {
    // Both models judge the same outcome: model A's target unless one is given.
    const std::string useTarget = target.empty() ? a.schema.target : target;
    const std::string useBad = badValue.empty() ? a.schema.badValue : badValue;
    ModelComparison c;
    c.nameA = a.name;
    c.nameB = b.name;
    for (int which = 0; which < 2; ++which) {
        ProgressToken part;
        if (progress) {
            part.setCallback([progress, &part, which](double f, const std::string& text) {
                if (progress->isCanceled()) part.cancel();
                progress->report(0.5 * (which + f),
                                 (which == 0 ? "model A: " : "model B: ") + text);
            });
        }
        auto report = buildPerformanceReport(which == 0 ? a : b, dataPath, useTarget, useBad,
                                             progress ? &part : nullptr);
        if (progress && progress->isCanceled()) return Error::failure("cancelled");
        if (!report) return report.error();
        (which == 0 ? c.a : c.b) = std::move(*report);
    }
    // The models may refuse different rows (other schemas); compare on the rows both scored.
    std::unordered_map<std::int64_t, std::size_t> rowOfLineB;
    for (std::size_t i = 0; i < c.b.lines.size(); ++i)
        rowOfLineB.emplace(c.b.lines[i], i);
    std::vector<std::size_t> keepA, keepB;
    for (std::size_t i = 0; i < c.a.lines.size(); ++i) {
        const auto found = rowOfLineB.find(c.a.lines[i]);
        if (found == rowOfLineB.end()) continue;
        keepA.push_back(i);
        keepB.push_back(found->second);
    }
    c.rowsOnlyA = c.a.lines.size() - keepA.size();
    c.rowsOnlyB = c.b.lines.size() - keepB.size();
    if (keepA.empty())
        return Error::badInput("'" + dataPath + "': no row could be scored by both models");
    restrictRows(c.a, keepA);
    restrictRows(c.b, keepB);
    if (std::isnan(c.a.auc) || std::isnan(c.b.auc))
        return Error::badInput("'" + dataPath +
                               "': the rows both models could score hold only one class");
    if (progress) progress->report(1.0, "done", true);
    return c;
}

}  // namespace cwb
