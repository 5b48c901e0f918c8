#pragma once
// Model performance metrics. Conventions: `risk` is any score that rises with risk (PD or
// margin); `bad` holds 1 for bad and 0 for good. Ties are handled exactly (AUC counts a tie as
// one half; KS moves over tied groups at once). All functions are pure and thread-safe.
// Inputs of different lengths are a programming error (std::invalid_argument). A metric that is
// undefined for the input (AUC or KS without both classes, Brier or log loss of no rows) is NaN.

#include <cstddef>
#include <string>
#include <vector>

namespace cwb {

double auc(const std::vector<double>& risk, const std::vector<float>& bad);
inline double giniFromAuc(double a) {
    return 2.0 * a - 1.0;
}
// Kolmogorov-Smirnov: the largest distance between the cumulative distributions of bads and
// goods over the risk score.
double ks(const std::vector<double>& risk, const std::vector<float>& bad);
double brier(const std::vector<double>& pd, const std::vector<float>& bad);
// Mean negative log-likelihood; probabilities are clipped to [1e-15, 1 - 1e-15].
double logLoss(const std::vector<double>& pd, const std::vector<float>& bad);

struct ConfusionMatrix {
    // Positive = predicted bad (pd >= cutoff).
    std::size_t truePositive = 0, falsePositive = 0, trueNegative = 0, falseNegative = 0;
    double accuracy() const;
    double precision() const;
    double recall() const;
    double f1() const;
};
ConfusionMatrix confusionAt(const std::vector<double>& pd, const std::vector<float>& bad,
                            double cutoff);

struct CalibrationRow {
    double meanPredicted = 0.0;
    double observedRate = 0.0;
    std::size_t count = 0;
};
// Rows sorted by pd and cut into `groups` groups of (nearly) equal size.
std::vector<CalibrationRow> calibrationTable(const std::vector<double>& pd,
                                             const std::vector<float>& bad, int groups = 10);

struct GainsRow {
    double scoreLow = 0.0, scoreHigh = 0.0;  // score band (points, higher = safer)
    std::size_t count = 0, bads = 0;
    double badRate = 0.0;
    double cumulativeBadShare = 0.0;  // share of all bads captured up to this band (riskiest first)
    double cumulativePopulationShare = 0.0;
    double lift = 0.0;  // band bad rate / overall bad rate
};
// Bands of equal population by score, from the riskiest (lowest score) band to the safest.
// Rows with the same score stay in one band, so tied scores can leave fewer, larger bands.
std::vector<GainsRow> gainsTable(const std::vector<double>& score, const std::vector<float>& bad,
                                 int bands = 10);

// Population stability index of `actual` against `expected` over bins cut at the expected
// sample's quantiles (bins groups). Empty bins are smoothed with 0.5 counts. Missing values
// (NaN) form a bin of their own. NaN when either sample is empty.
double psi(const std::vector<double>& expected, const std::vector<double>& actual, int bins = 10);
// PSI over given bin shares (each vector sums to 1); used for CSI of binned characteristics.
// Zero shares are floored at 1e-4.
double psiFromShares(const std::vector<double>& expectedShares,
                     const std::vector<double>& actualShares);

struct GroupRate {
    std::string group;
    std::size_t count = 0;
    double approvalRate = 0.0;
    double adverseImpactRatio = 0.0;  // approval rate / the highest group's approval rate
};
// Adverse impact ratio by protected group from approval decisions (true = approved). Groups
// come in name order; when no group has an approval every ratio is 1.
std::vector<GroupRate> adverseImpact(const std::vector<std::string>& group,
                                     const std::vector<bool>& approved);

}  // namespace cwb
