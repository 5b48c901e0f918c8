#pragma once
// Two models on the same labelled file: both performance reports, restricted to the rows both
// models could score, and the swap set at a cutoff for each model (who is approved by one and
// declined by the other). The comparison view draws and lists what this returns.

#include <cstdint>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "report/PerformanceReport.h"

namespace cwb {

// One row approved by one model and declined by the other.
struct SwapRow {
    std::size_t row = 0;    // index into the comparison's common rows
    std::int64_t line = 0;  // line in the file
    std::string id;         // id column value (may be empty)
    double scoreA = 0.0, scoreB = 0.0;
    bool bad = false;
    bool approvedByA = false;  // true: swapped out by B (A approves, B declines)
};

// The four cells of "approved by A" x "approved by B", with bads in each.
struct SwapSet {
    std::size_t bothApproved = 0, bothDeclined = 0;
    std::size_t onlyA = 0, onlyB = 0;  // approved by A only (B declines), by B only
    std::size_t bothApprovedBads = 0, bothDeclinedBads = 0, onlyABads = 0, onlyBBads = 0;
    std::vector<SwapRow> swaps;  // every row in onlyA or onlyB, in file order
};

// Rows are approved when their rounded score is at or above the model's cutoff (as in
// CutoffTable). The vectors run over the same rows.
SwapSet swapSet(const std::vector<double>& scoreA, const std::vector<double>& scoreB,
                const std::vector<float>& bad, double cutoffA, double cutoffB,
                const std::vector<std::int64_t>& lines = {},
                const std::vector<std::string>& ids = {});

struct ModelComparison {
    std::string nameA, nameB;
    std::size_t rowsOnlyA = 0, rowsOnlyB = 0;  // rows one model could score and the other not
    // Reports over the common rows only, so the metrics compare like with like.
    PerformanceReport a, b;
};

// Scores the file with both bundles (with the target of the first unless given) and keeps the
// rows both could use, matched by line. Errors as buildPerformanceReport.
Result<ModelComparison> compareModels(const ModelBundle& a, const ModelBundle& b,
                                      const std::string& dataPath, const std::string& target,
                                      const std::string& badValue, ProgressToken* progress);

}  // namespace cwb
