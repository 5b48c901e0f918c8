#pragma once
// Batch scoring of a CSV file with a model bundle: streamed in chunks (memory does not grow
// with the file), encoded, scored and explained on a pool of threads, written in input order.
// Rows that cannot be scored go to the rejects file with line, column and reason:
// rows read = rows scored + rows rejected. Output and rejects are written to temporary files and
// renamed on success; a cancelled or failed run leaves no partial output.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "monitor/Drift.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct BatchOptions {
    std::string input;
    std::string output;
    std::string rejects;  // empty: OUTPUT.rejects.csv, written only when rows are rejected
    int reasons = 4;      // reason columns reason_1..reason_K (0 = none, faster)
    int threads = 0;      // 0 = all cores
    std::size_t chunkRows = 16384;
    // Monitoring (issue #6): when set, scored rows are counted into BatchSummary::drift for PSI
    // against the development sample. Fixed-size counts per slice, merged per chunk.
    const DriftSpec* drift = nullptr;
    // Typed progress: when set, the rows read so far are stored here before each progress
    // report (and the total at the end), so a view shows figures without parsing report text.
    std::atomic<std::uint64_t>* rowsDone = nullptr;
};

struct BatchSummary {
    std::size_t rowsRead = 0;
    std::size_t rowsScored = 0;
    std::size_t rowsRejected = 0;
    double seconds = 0.0;
    std::map<std::string, std::size_t> decisions;  // "approve"/"refer"/"decline" -> count
    std::string rejectsPath;                       // where rejects went (empty when none)
    std::vector<std::string> warnings;
    DriftCounts drift;  // monitoring (issue #6): filled only when BatchOptions::drift is set
    nlohmann::json toJson() const;
};

Result<BatchSummary> scoreFile(const ModelBundle& bundle, const BatchOptions& options,
                               ProgressToken* progress);

}  // namespace cwb
