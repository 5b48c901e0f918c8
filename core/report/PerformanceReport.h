#pragma once
// Everything known about one model's performance on one labelled file, computed once in the
// engine: `cwb evaluate` prints it, the performance view shows it and the validation report
// (report/ValidationReport) draws it, so all of them read the same figures. Renderers only
// draw; the tests check every figure here.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/Table.h"
#include "eval/Curves.h"
#include "eval/Metrics.h"
#include "features/Binning.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct FeatureImportance {
    std::string feature;               // column name
    std::string label;                 // readable name
    double meanAbsContribution = 0.0;  // log-odds
    double share = 0.0;                // of the sum over all characteristics
};

// Mean absolute contribution per feature from a row-major contributions matrix (rows x
// names.size()), largest first; ties keep the input order.
std::vector<FeatureImportance> importanceFromContributions(const std::vector<double>& contributions,
                                                           const std::vector<std::string>& names);

struct PerformanceReport {
    std::string dataPath;
    std::string target, badValue;
    std::size_t rowsRead = 0, rows = 0, rowsRejected = 0;
    std::vector<RejectedRow> rejects;  // rows not used, with line, column and reason
    double auc = 0.0, gini = 0.0, ks = 0.0, brier = 0.0, logLoss = 0.0, badRate = 0.0;
    // The file is the bundle's training data (isDevelopmentSample): the figures are optimistic.
    bool developmentSample = false;

    // Per used row, in file order (the inputs of every figure below).
    std::vector<double> margins, pd, points;
    std::vector<float> bad;
    std::vector<std::string> ids;
    std::vector<std::int64_t> lines;

    std::vector<CurvePoint> roc;
    std::vector<CurvePoint> precisionRecall;
    KsCurve ksCurve;
    std::vector<CalibrationRow> calibration;  // deciles of PD
    ScoreDistribution distribution;
    std::vector<GainsRow> gains;  // ten score bands, riskiest first
    std::vector<FeatureImportance> importance;
    // Largest |base + sum of contributions - margin| over every row (log-odds), from the same
    // pass as the importance; NaN when importance was not computed.
    double maxAdditivityError = std::numeric_limits<double>::quiet_NaN();
    std::vector<CharacteristicBins> informationValue;  // by IV, largest first
    CutoffTable cutoffs;
    double defaultCutoff = 0.0;  // the policy's decline boundary: below it is declined
    // `cwb evaluate`'s confusion matrix: predicted bad when the unrounded PD is at or above the
    // PD of the decline boundary (decision 11 explains why the view's cutoff rounds instead).
    double cutoffPd = 0.0;
    ConfusionMatrix confusion;

    // The keys of `cwb evaluate --json`.
    nlohmann::json toJson() const;
};

struct PerformanceOptions {
    bool importance = true;        // contributions pass (TreeSHAP for trees)
    bool informationValue = true;  // binning pass
};

// Fills rows, the metrics, curves, tables and cutoff table from margins, pd, points and bad
// (importance and information value need the encoded data and are left alone; cutoffPd and
// confusion need the policy: see computeConfusion).
void computeFigures(PerformanceReport& report);
void computeConfusion(PerformanceReport& report, const ModelBundle& bundle);

// Scores a labelled file with the bundle and computes every figure. target/badValue empty: the
// bundle's own. Bad input (unlabelled file, missing target column, one class only) is BadInput
// naming the file; a cancel through the token returns a Failure "cancelled".
Result<PerformanceReport> buildPerformanceReport(const ModelBundle& bundle,
                                                 const std::string& dataPath,
                                                 const std::string& target,
                                                 const std::string& badValue,
                                                 ProgressToken* progress);
Result<PerformanceReport> buildPerformanceReport(
    const ModelBundle& bundle, const std::string& dataPath, const std::string& target,
    const std::string& badValue, const PerformanceOptions& options, ProgressToken* progress);

struct LabelledScores;
// The figures of already scored rows (the validation report scores once for every section).
Result<PerformanceReport> performanceFromScores(const ModelBundle& bundle,
                                                const std::string& dataPath,
                                                const LabelledScores& scored,
                                                const PerformanceOptions& options,
                                                const ProgressRange& progress);

}  // namespace cwb
