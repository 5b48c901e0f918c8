#pragma once
// Performance curves and cutoff figures behind the performance and comparison views. The chart
// layer only draws what these return. Conventions as in Metrics.h: `risk` rises with risk
// (margin or PD), `score` is points (higher = safer), `bad` holds 1 for bad and 0 for good.
// Tied scores move together: a cutoff can only fall between distinct scores, so each curve has
// one point per distinct score. Mismatched lengths throw std::invalid_argument.

#include <cstddef>
#include <vector>

namespace cwb {

struct CurvePoint {
    double x = 0.0;
    double y = 0.0;
};

// ROC from (0,0) to (1,1): flagging the riskiest first, x = share of goods flagged (false
// positive rate), y = share of bads flagged (true positive rate). Empty without both classes.
std::vector<CurvePoint> rocCurve(const std::vector<double>& risk, const std::vector<float>& bad);
// Area under a piecewise linear curve by the trapezoid rule (points in x order).
double trapezoidArea(const std::vector<CurvePoint>& curve);

// Precision-recall, flagging the riskiest first: x = recall (share of bads flagged), y =
// precision (bads among those flagged). Starts at recall 0 with the precision of the riskiest
// tied group, ends at recall 1 with the overall bad rate. Empty without bads.
std::vector<CurvePoint> precisionRecallCurve(const std::vector<double>& risk,
                                             const std::vector<float>& bad);

// KS curve over the score: for each distinct score s (ascending), the shares of bads and of
// goods with a score at or below s. KS is the largest gap; `atScore` is the first score where
// it occurs.
struct KsCurve {
    std::vector<double> score;
    std::vector<double> cumulativeBadShare;
    std::vector<double> cumulativeGoodShare;
    double ks = 0.0;
    double atScore = 0.0;
};
KsCurve ksCurve(const std::vector<double>& score, const std::vector<float>& bad);

// Score distributions of goods and bads on common bins of equal width: bin k is
// [edges[k], edges[k+1]), the last bin also holds the top edge. Shares are within each class,
// so goods and bads compare however unequal their numbers.
struct ScoreDistribution {
    std::vector<double> edges;  // bins + 1 edges
    std::vector<std::size_t> goods, bads;
    std::vector<double> goodShare, badShare;
};
ScoreDistribution scoreDistribution(const std::vector<double>& score, const std::vector<float>& bad,
                                    int bins = 20);

// What a single approve/decline cutoff on the score does: approved when the score rounded to
// whole points is at or above the cutoff, as the decision policy rounds. Positive = declined
// (predicted bad), so truePositive = declined bads.
struct CutoffOutcome {
    double cutoff = 0.0;
    std::size_t approved = 0, declined = 0;
    std::size_t approvedBads = 0, declinedBads = 0;
    std::size_t truePositive() const { return declinedBads; }
    std::size_t falsePositive() const { return declined - declinedBads; }
    std::size_t trueNegative() const { return approved - approvedBads; }
    std::size_t falseNegative() const { return approvedBads; }
    double approvalRate() const;  // approved / all rows
    double badRate() const;       // bads among the approved (0 when none approved)
    double accuracy() const;
    double precision() const;
    double recall() const;
};

// Sorted once, then any cutoff is answered in O(log n), so a cutoff slider can move over
// millions of rows on the GUI thread.
class CutoffTable {
public:
    CutoffTable() = default;
    CutoffTable(const std::vector<double>& score, const std::vector<float>& bad);
    CutoffOutcome at(double cutoff) const;
    std::size_t rows() const { return m_rounded.size(); }
    double minScore() const { return m_rounded.empty() ? 0.0 : m_rounded.front(); }
    double maxScore() const { return m_rounded.empty() ? 0.0 : m_rounded.back(); }

private:
    std::vector<double> m_rounded;          // ascending rounded scores
    std::vector<std::size_t> m_badsBefore;  // bads among the first i rows, size rows + 1
};

// The same figures straight from the rows, O(n); the reference the table is tested against.
CutoffOutcome cutoffOutcome(const std::vector<double>& score, const std::vector<float>& bad,
                            double cutoff);

}  // namespace cwb
