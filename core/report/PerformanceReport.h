#pragma once
// Everything the performance view shows about one model on one labelled file, computed in the
// engine so that the chart layer only draws and the tests can check every figure. The headline
// metrics come from the same scored rows and functions as `cwb evaluate`.

#include <cstdint>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
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
    std::vector<CharacteristicBins> informationValue;  // by IV, largest first
    CutoffTable cutoffs;
    double defaultCutoff = 0.0;  // the policy's decline boundary: below it is declined
};

// Fills rows, the metrics, curves, tables and cutoff table from margins, pd, points and bad
// (importance and information value need the encoded data and are left alone).
void computeFigures(PerformanceReport& report);

// Scores a labelled file with the bundle and computes every figure. target/badValue empty: the
// bundle's own. Bad input (unlabelled file, missing target column, one class only) is BadInput
// naming the file; a cancel through the token returns a Failure "cancelled".
Result<PerformanceReport> buildPerformanceReport(const ModelBundle& bundle,
                                                 const std::string& dataPath,
                                                 const std::string& target,
                                                 const std::string& badValue,
                                                 ProgressToken* progress);

}  // namespace cwb
