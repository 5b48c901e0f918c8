#pragma once
// Performance of a model bundle on a labelled CSV file (`cwb evaluate`, the performance view).

#include <string>

#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/EncodedData.h"
#include "data/Table.h"
#include "eval/Metrics.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct EvaluationReport {
    double auc = 0.0, gini = 0.0, ks = 0.0, brier = 0.0, logLoss = 0.0;
    std::size_t rows = 0, rowsRead = 0, rowsRejected = 0;
    std::vector<RejectedRow> rejects;  // rows not used, with line, column and reason
    double badRate = 0.0;
    double cutoffPd = 0.0;           // PD at the decline boundary: predicted bad = declined
    bool developmentSample = false;  // the bundle's training file: figures are optimistic
    ConfusionMatrix confusion;
    std::vector<CalibrationRow> calibration;
    std::vector<GainsRow> gains;
    nlohmann::json toJson() const;  // the keys of `cwb evaluate --json`
};

// A labelled file scored by a bundle: the encoded rows that could be used (labels filled), their
// margins (log-odds of bad) and the schema with the target actually used. Shared by
// `cwb evaluate` and the performance and comparison views, so all of them score the same rows.
struct LabelledScores {
    Schema schema;  // the bundle's schema with the target / bad value that were applied
    EncodedData data;
    std::vector<double> margins;  // one per row of data
    std::size_t rowsRead = 0;
    std::size_t bads = 0;
};

// Reads, encodes and scores a labelled file. Refuses (BadInput) a file without the target column,
// without usable rows, or without both bads and goods, naming the file and the target. Checks
// the token between chunks of rows; a cancelled run returns a Failure "cancelled".
Result<LabelledScores> scoreLabelledFile(const ModelBundle& bundle, const std::string& dataPath,
                                         const std::string& target, const std::string& badValue,
                                         ProgressToken* progress);

// target/badValue empty: the bundle's own. Rows that cannot be used are counted as rejected.
Result<EvaluationReport> evaluateFile(const ModelBundle& bundle, const std::string& dataPath,
                                      const std::string& target, const std::string& badValue,
                                      ProgressToken* progress);

}  // namespace cwb
