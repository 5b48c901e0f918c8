#include "eval/Metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "eval/TiedGroups.h"

namespace cwb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Labels are floats in the encoded data; anything above one half counts as bad so that a label
// read as 0.999999 cannot silently become good.
bool isBad(float label) {
    return label > 0.5f;
}

// Mismatched inputs are a programming error in the caller, never a user error.
void requireSameSize(std::size_t a, std::size_t b, const char* function) {
    if (a != b) {
        throw std::invalid_argument(std::string(function) + ": scores and labels differ in size");
    }
}

// Indices ordered by value, ties kept in input order so results never depend on the sort.
std::vector<std::size_t> orderBy(const std::vector<double>& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    return order;
}

double ratio(double numerator, double denominator) {
    return denominator == 0.0 ? 0.0 : numerator / denominator;
}

}  // namespace

// Rows grouped by equal score, in ascending score order. Sorting (score, label) pairs rather
// than indices keeps the sort cache-friendly on millions of rows; the order inside a group
// does not matter to AUC or KS.
std::vector<TiedGroup> tiedGroups(const std::vector<double>& values,
                                  const std::vector<float>& bad) {
    std::vector<std::pair<double, bool>> scored(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        scored[i] = {values[i], isBad(bad[i])};
    }
    std::sort(scored.begin(), scored.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<TiedGroup> groups;
    for (std::size_t i = 0; i < scored.size(); ++i) {
        if (i == 0 || scored[i].first != scored[i - 1].first)
            groups.push_back({scored[i].first, 0.0, 0.0});
        groups.back().count += 1.0;
        groups.back().bads += scored[i].second ? 1.0 : 0.0;
    }
    return groups;
}

double auc(const std::vector<double>& risk, const std::vector<float>& bad) {
    requireSameSize(risk.size(), bad.size(), "auc");
    // Mann-Whitney U from the rank sum of the bads; tied scores share their average rank, which
    // is the same as counting every bad-good tie as one half.
    double rankSumBad = 0.0, bads = 0.0, seen = 0.0;
    for (const auto& group : tiedGroups(risk, bad)) {
        const double averageRank = seen + (group.count + 1.0) / 2.0;
        rankSumBad += group.bads * averageRank;
        bads += group.bads;
        seen += group.count;
    }
    const double goods = seen - bads;
    if (bads == 0.0 || goods == 0.0) return kNaN;
    return (rankSumBad - bads * (bads + 1.0) / 2.0) / (bads * goods);
}

double ks(const std::vector<double>& risk, const std::vector<float>& bad) {
    requireSameSize(risk.size(), bad.size(), "ks");
    const auto groups = tiedGroups(risk, bad);
    double totalBads = 0.0;
    for (const auto& group : groups) {
        totalBads += group.bads;
    }
    const double totalGoods = static_cast<double>(risk.size()) - totalBads;
    if (totalBads == 0.0 || totalGoods == 0.0) return kNaN;
    // A cutoff can only fall between distinct scores, so a tied group moves at once.
    double cumBads = 0.0, cumGoods = 0.0, best = 0.0;
    for (const auto& group : groups) {
        cumBads += group.bads;
        cumGoods += group.count - group.bads;
        best = std::max(best, std::abs(cumBads / totalBads - cumGoods / totalGoods));
    }
    return best;
}

double brier(const std::vector<double>& pd, const std::vector<float>& bad) {
    requireSameSize(pd.size(), bad.size(), "brier");
    if (pd.empty()) return kNaN;
    double sum = 0.0;
    for (std::size_t i = 0; i < pd.size(); ++i) {
        const double diff = pd[i] - (isBad(bad[i]) ? 1.0 : 0.0);
        sum += diff * diff;
    }
    return sum / static_cast<double>(pd.size());
}

double logLoss(const std::vector<double>& pd, const std::vector<float>& bad) {
    requireSameSize(pd.size(), bad.size(), "logLoss");
    if (pd.empty()) return kNaN;
    constexpr double eps = 1e-15;
    double sum = 0.0;
    for (std::size_t i = 0; i < pd.size(); ++i) {
        const double p = std::clamp(pd[i], eps, 1.0 - eps);
        sum -= isBad(bad[i]) ? std::log(p) : std::log1p(-p);
    }
    return sum / static_cast<double>(pd.size());
}

double ConfusionMatrix::accuracy() const {
    const auto total = truePositive + falsePositive + trueNegative + falseNegative;
    return ratio(static_cast<double>(truePositive + trueNegative), static_cast<double>(total));
}

double ConfusionMatrix::precision() const {
    return ratio(static_cast<double>(truePositive),
                 static_cast<double>(truePositive + falsePositive));
}

double ConfusionMatrix::recall() const {
    return ratio(static_cast<double>(truePositive),
                 static_cast<double>(truePositive + falseNegative));
}

double ConfusionMatrix::f1() const {
    const double p = precision(), r = recall();
    return ratio(2.0 * p * r, p + r);
}

ConfusionMatrix confusionAt(const std::vector<double>& pd, const std::vector<float>& bad,
                            double cutoff) {
    requireSameSize(pd.size(), bad.size(), "confusionAt");
    ConfusionMatrix m;
    for (std::size_t i = 0; i < pd.size(); ++i) {
        const bool predictedBad = pd[i] >= cutoff;
        if (isBad(bad[i])) {
            ++(predictedBad ? m.truePositive : m.falseNegative);
        } else {
            ++(predictedBad ? m.falsePositive : m.trueNegative);
        }
    }
    return m;
}

std::vector<CalibrationRow> calibrationTable(const std::vector<double>& pd,
                                             const std::vector<float>& bad, int groups) {
    requireSameSize(pd.size(), bad.size(), "calibrationTable");
    std::vector<CalibrationRow> table;
    if (pd.empty() || groups <= 0) return table;
    const auto order = orderBy(pd);
    const std::size_t n = pd.size();
    const auto g = static_cast<std::size_t>(groups);
    for (std::size_t k = 0; k < g; ++k) {
        const std::size_t begin = k * n / g, end = (k + 1) * n / g;
        if (begin == end) continue;  // fewer rows than groups
        CalibrationRow row;
        double sumPd = 0.0, bads = 0.0;
        for (std::size_t i = begin; i < end; ++i) {
            sumPd += pd[order[i]];
            bads += isBad(bad[order[i]]) ? 1.0 : 0.0;
        }
        row.count = end - begin;
        row.meanPredicted = sumPd / static_cast<double>(row.count);
        row.observedRate = bads / static_cast<double>(row.count);
        table.push_back(row);
    }
    return table;
}

std::vector<GainsRow> gainsTable(const std::vector<double>& score, const std::vector<float>& bad,
                                 int bands) {
    requireSameSize(score.size(), bad.size(), "gainsTable");
    std::vector<GainsRow> table;
    if (score.empty() || bands <= 0) return table;
    const auto order = orderBy(score);  // lowest score (riskiest) first
    const std::size_t n = score.size();
    const auto b = static_cast<std::size_t>(bands);
    double totalBads = 0.0;
    for (float label : bad) {
        if (isBad(label)) totalBads += 1.0;
    }
    const double overallRate = totalBads / static_cast<double>(n);

    std::size_t begin = 0, cumCount = 0, cumBads = 0;
    for (std::size_t k = 0; k < b && begin < n; ++k) {
        std::size_t end = (k + 1) * n / b;
        if (end <= begin) continue;
        // Scorecard scores are discrete: rows with the same score stay in one band, otherwise
        // a band's bad rate would depend on the order of the input rows.
        while (end < n && score[order[end]] == score[order[end - 1]]) {
            ++end;
        }
        GainsRow row;
        row.scoreLow = score[order[begin]];
        row.scoreHigh = score[order[end - 1]];
        row.count = end - begin;
        for (std::size_t i = begin; i < end; ++i) {
            row.bads += isBad(bad[order[i]]) ? 1 : 0;
        }
        cumCount += row.count;
        cumBads += row.bads;
        row.badRate = static_cast<double>(row.bads) / static_cast<double>(row.count);
        row.cumulativeBadShare = ratio(static_cast<double>(cumBads), totalBads);
        row.cumulativePopulationShare = static_cast<double>(cumCount) / static_cast<double>(n);
        row.lift = ratio(row.badRate, overallRate);
        table.push_back(row);
        begin = end;
    }
    return table;
}

// PSI = sum over bins of (a - e) * ln(a / e), a and e the actual and expected shares of a bin.
// Bins are [q_k, q_k+1) between distinct quantiles of the expected sample; missing values
// (NaN) form one more bin. An empty bin counts 0.5 rows (shares are then renormalised) so the
// logarithm stays finite and one empty bin cannot dominate the index.
double psi(const std::vector<double>& expected, const std::vector<double>& actual, int bins) {
    std::vector<double> sorted;
    sorted.reserve(expected.size());
    for (double v : expected) {
        if (!std::isnan(v)) sorted.push_back(v);
    }
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> edges;
    const std::size_t n = sorted.size();
    for (int k = 1; k < bins && n > 0; ++k) {
        const double cut = sorted[static_cast<std::size_t>(k) * n / static_cast<std::size_t>(bins)];
        if (cut > sorted.front() && (edges.empty() || cut > edges.back())) edges.push_back(cut);
    }
    const std::size_t binCount = edges.size() + 2;  // value bins plus the missing bin
    auto countInto = [&](const std::vector<double>& values) {
        std::vector<double> counts(binCount, 0.0);
        for (double v : values) {
            const std::size_t bin =
                std::isnan(v)
                    ? binCount - 1
                    : static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), v) -
                                               edges.begin());
            counts[bin] += 1.0;
        }
        return counts;
    };
    auto e = countInto(expected);
    auto a = countInto(actual);
    if (expected.empty() || actual.empty()) return kNaN;
    // The missing bin only exists when either sample has missing values.
    if (e.back() == 0.0 && a.back() == 0.0) {
        e.pop_back();
        a.pop_back();
    }
    auto toShares = [](std::vector<double>& counts) {
        double total = 0.0;
        for (double& c : counts) {
            if (c == 0.0) c = 0.5;
            total += c;
        }
        for (double& c : counts) {
            c /= total;
        }
    };
    toShares(e);
    toShares(a);
    return psiFromShares(e, a);
}

// Same formula as psi(); a zero share (no counts to smooth here) is floored at 1e-4 so the
// logarithm stays finite.
double psiFromShares(const std::vector<double>& expectedShares,
                     const std::vector<double>& actualShares) {
    if (expectedShares.size() != actualShares.size()) {
        throw std::invalid_argument("psiFromShares: the two share vectors differ in size");
    }
    constexpr double floor = 1e-4;
    double sum = 0.0;
    for (std::size_t i = 0; i < expectedShares.size(); ++i) {
        const double e = std::max(expectedShares[i], floor);
        const double a = std::max(actualShares[i], floor);
        sum += (a - e) * std::log(a / e);
    }
    return sum;
}

std::vector<GroupRate> adverseImpact(const std::vector<std::string>& group,
                                     const std::vector<bool>& approved) {
    if (group.size() != approved.size()) {
        throw std::invalid_argument("adverseImpact: groups and decisions differ in size");
    }
    std::map<std::string, std::pair<std::size_t, std::size_t>> tally;  // count, approved
    for (std::size_t i = 0; i < group.size(); ++i) {
        auto& [count, yes] = tally[group[i]];
        ++count;
        if (approved[i]) ++yes;
    }
    std::vector<GroupRate> rates;
    double highest = 0.0;
    for (const auto& [name, t] : tally) {
        GroupRate rate;
        rate.group = name;
        rate.count = t.first;
        rate.approvalRate = static_cast<double>(t.second) / static_cast<double>(t.first);
        highest = std::max(highest, rate.approvalRate);
        rates.push_back(rate);
    }
    // When no group has any approval every group is treated alike: ratio 1, no adverse impact.
    for (auto& rate : rates) {
        rate.adverseImpactRatio = highest > 0.0 ? rate.approvalRate / highest : 1.0;
    }
    return rates;
}

}  // namespace cwb
