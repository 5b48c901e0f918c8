#include "eval/Curves.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "eval/TiedGroups.h"

namespace cwb {

namespace {

// As in Metrics.cpp: a label above one half is bad.
bool isBad(float label) {
    return label > 0.5f;
}

void requireSameSize(std::size_t a, std::size_t b, const char* function) {
    if (a != b)
        throw std::invalid_argument(std::string(function) + ": scores and labels differ in size");
}

double ratio(double numerator, double denominator) {
    return denominator == 0.0 ? 0.0 : numerator / denominator;
}

}  // namespace

std::vector<CurvePoint> rocCurve(const std::vector<double>& risk, const std::vector<float>& bad) {
    requireSameSize(risk.size(), bad.size(), "rocCurve");
    auto groups = tiedGroups(risk, bad);
    double totalBads = 0.0;
    for (const auto& g : groups)
        totalBads += g.bads;
    const double totalGoods = static_cast<double>(risk.size()) - totalBads;
    if (totalBads == 0.0 || totalGoods == 0.0) return {};
    std::vector<CurvePoint> curve{{0.0, 0.0}};
    double flaggedBads = 0.0, flaggedGoods = 0.0;
    for (auto it = groups.rbegin(); it != groups.rend(); ++it) {  // riskiest first
        flaggedBads += it->bads;
        flaggedGoods += it->count - it->bads;
        curve.push_back({flaggedGoods / totalGoods, flaggedBads / totalBads});
    }
    return curve;
}

double trapezoidArea(const std::vector<CurvePoint>& curve) {
    double area = 0.0;
    for (std::size_t i = 1; i < curve.size(); ++i)
        area += (curve[i].x - curve[i - 1].x) * (curve[i].y + curve[i - 1].y) / 2.0;
    return area;
}

std::vector<CurvePoint> precisionRecallCurve(const std::vector<double>& risk,
                                             const std::vector<float>& bad) {
    requireSameSize(risk.size(), bad.size(), "precisionRecallCurve");
    auto groups = tiedGroups(risk, bad);
    double totalBads = 0.0;
    for (const auto& g : groups)
        totalBads += g.bads;
    if (totalBads == 0.0) return {};
    std::vector<CurvePoint> curve;
    double flagged = 0.0, flaggedBads = 0.0;
    for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
        flagged += it->count;
        flaggedBads += it->bads;
        const double precision = flaggedBads / flagged;
        // Recall 0 has no precision of its own; the first group's is the usual convention.
        if (curve.empty()) curve.push_back({0.0, precision});
        curve.push_back({flaggedBads / totalBads, precision});
    }
    return curve;
}

KsCurve ksCurve(const std::vector<double>& score, const std::vector<float>& bad) {
    requireSameSize(score.size(), bad.size(), "ksCurve");
    KsCurve curve;
    const auto groups = tiedGroups(score, bad);
    double totalBads = 0.0;
    for (const auto& g : groups)
        totalBads += g.bads;
    const double totalGoods = static_cast<double>(score.size()) - totalBads;
    if (totalBads == 0.0 || totalGoods == 0.0) return curve;
    double cumBads = 0.0, cumGoods = 0.0;
    for (const auto& g : groups) {
        cumBads += g.bads;
        cumGoods += g.count - g.bads;
        const double b = cumBads / totalBads, gd = cumGoods / totalGoods;
        curve.score.push_back(g.value);
        curve.cumulativeBadShare.push_back(b);
        curve.cumulativeGoodShare.push_back(gd);
        // The first of equal gaps wins; 1e-12 keeps rounding (1 - 1/3 against 2/3) from
        // picking a later score.
        if (std::abs(b - gd) > curve.ks + 1e-12) {
            curve.ks = std::abs(b - gd);
            curve.atScore = g.value;
        }
    }
    return curve;
}

ScoreDistribution scoreDistribution(const std::vector<double>& score, const std::vector<float>& bad,
                                    int bins) {
    requireSameSize(score.size(), bad.size(), "scoreDistribution");
    ScoreDistribution d;
    if (score.empty() || bins <= 0) return d;
    const auto [lo, hi] = std::minmax_element(score.begin(), score.end());
    // Whole-point edges read better on an axis of points; one score alone still gets a bin.
    const double low = std::floor(*lo);
    const double width = std::max(1.0, std::ceil((std::ceil(*hi) - low) / bins));
    const auto n = static_cast<std::size_t>(bins);
    for (std::size_t k = 0; k <= n; ++k)
        d.edges.push_back(low + width * static_cast<double>(k));
    d.goods.assign(n, 0);
    d.bads.assign(n, 0);
    std::size_t goods = 0, bads = 0;
    for (std::size_t i = 0; i < score.size(); ++i) {
        const auto k = std::min(n - 1, static_cast<std::size_t>((score[i] - low) / width));
        if (isBad(bad[i])) {
            ++d.bads[k];
            ++bads;
        } else {
            ++d.goods[k];
            ++goods;
        }
    }
    for (std::size_t k = 0; k < n; ++k) {
        d.goodShare.push_back(ratio(static_cast<double>(d.goods[k]), static_cast<double>(goods)));
        d.badShare.push_back(ratio(static_cast<double>(d.bads[k]), static_cast<double>(bads)));
    }
    return d;
}

double CutoffOutcome::approvalRate() const {
    return ratio(static_cast<double>(approved), static_cast<double>(approved + declined));
}
double CutoffOutcome::badRate() const {
    return ratio(static_cast<double>(approvedBads), static_cast<double>(approved));
}
double CutoffOutcome::accuracy() const {
    return ratio(static_cast<double>(truePositive() + trueNegative()),
                 static_cast<double>(approved + declined));
}
double CutoffOutcome::precision() const {
    return ratio(static_cast<double>(truePositive()), static_cast<double>(declined));
}
double CutoffOutcome::recall() const {
    return ratio(static_cast<double>(truePositive()),
                 static_cast<double>(approvedBads + declinedBads));
}

CutoffTable::CutoffTable(const std::vector<double>& score, const std::vector<float>& bad) {
    requireSameSize(score.size(), bad.size(), "CutoffTable");
    std::vector<std::pair<double, bool>> rows(score.size());
    for (std::size_t i = 0; i < score.size(); ++i)
        rows[i] = {std::round(score[i]), isBad(bad[i])};
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    m_rounded.reserve(rows.size());
    m_badsBefore.assign(rows.size() + 1, 0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        m_rounded.push_back(rows[i].first);
        m_badsBefore[i + 1] = m_badsBefore[i] + (rows[i].second ? 1 : 0);
    }
}

CutoffOutcome CutoffTable::at(double cutoff) const {
    CutoffOutcome out;
    out.cutoff = cutoff;
    // Declined: rounded score below the cutoff, i.e. the rows before the first score >= cutoff.
    const auto declined = static_cast<std::size_t>(
        std::lower_bound(m_rounded.begin(), m_rounded.end(), cutoff) - m_rounded.begin());
    out.declined = declined;
    out.approved = m_rounded.size() - declined;
    out.declinedBads = m_badsBefore[declined];
    out.approvedBads = m_badsBefore.back() - out.declinedBads;
    return out;
}

CutoffOutcome cutoffOutcome(const std::vector<double>& score, const std::vector<float>& bad,
                            double cutoff) {
    requireSameSize(score.size(), bad.size(), "cutoffOutcome");
    CutoffOutcome out;
    out.cutoff = cutoff;
    for (std::size_t i = 0; i < score.size(); ++i) {
        const bool approved = std::round(score[i]) >= cutoff;
        const bool isBadRow = isBad(bad[i]);
        ++(approved ? out.approved : out.declined);
        if (isBadRow) ++(approved ? out.approvedBads : out.declinedBads);
    }
    return out;
}

}  // namespace cwb
