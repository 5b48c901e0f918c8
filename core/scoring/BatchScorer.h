#pragma once
// Batch scoring of a CSV file with a model bundle: streamed in chunks (memory does not grow
// with the file); the reading thread only copies bytes, a pool of threads checks, splits,
// encodes, scores, explains and writes them, in input order.
// Rows that cannot be scored go to the rejects file with line, column and reason:
// rows read = rows scored + rows rejected. Output and rejects are written to uniquely named
// temporary files beside their targets, fsynced, and renamed over the targets together on
// success (data/AtomicFile.h); a cancelled or failed run leaves no partial output and no
// temporary. Text from the input (ids, rejected records) is neutralised against spreadsheet
// formulas (text::appendCsvTextField).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/TextEncoding.h"
#include "monitor/Drift.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct BatchOptions {
    std::string input;
    std::string output;
    std::string rejects;  // empty: OUTPUT.rejects.csv, written only when rows are rejected
    int reasons = 4;      // reason columns reason_1..reason_K (0 = none, faster)
    // With reasons: also reason_1_text..reason_K_text after the codes, each the most specific
    // text for the row's value (a level's or range's text, else the characteristic's; decision
    // 43), for people reading the file: what counted against the applicant, not only where.
    bool reasonTexts = false;
    int threads = 0;  // 0 = all cores
    // Lines without quotes travel from the reader to the workers as byte blocks of at most this
    // size (whole lines), split into one slice per thread; chunkRows and chunkBytes bound the
    // chunks of parsed records that stretches with quotes are read into.
    std::size_t blockBytes = std::size_t{512} << 10;
    std::size_t chunkRows = 16384;
    // A chunk of quoted records also ends once its text passes this many bytes, so memory stays
    // bounded whatever the records' length.
    std::size_t chunkBytes = std::size_t{32} << 20;
    // The input's character encoding (Auto: UTF-8, or Windows-1252 when detected).
    TextEncoding encoding = TextEncoding::Auto;
    // The bundle's file, when known: refused as an output (by identity, not by name).
    std::string modelPath;
    // Monitoring (issue #6): when set, scored rows are counted into BatchSummary::drift for PSI
    // against the development sample. Fixed-size counts per slice, merged per chunk.
    const DriftSpec* drift = nullptr;
    // The store (issue 11): when set, receives the scored output in order, the header line
    // first, then whole lines, by one thread at a time (the header on the calling thread, the
    // rest on whichever worker writes next); an error stops the run. Batch runs are
    // recorded through it (store/BatchRecorder.h).
    std::function<Result<void>(std::string_view)> scoredSink;
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
    std::string encoding;           // the input's encoding as read ("UTF-8", "Windows-1252", ...)
    bool encodingDetected = false;  // true when not UTF-8 and not named
    std::vector<std::string> warnings;
    DriftCounts drift;  // monitoring (issue #6): filled only when BatchOptions::drift is set
    nlohmann::json toJson() const;
};

Result<BatchSummary> scoreFile(const ModelBundle& bundle, const BatchOptions& options,
                               ProgressToken* progress);

}  // namespace cwb
