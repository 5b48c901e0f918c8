#include "features/Binning.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace cwb {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A run of adjacent values (numeric) or a group of levels (categorical) while bins are formed.
struct Class {
    double lower = -kInf;
    double upper = kInf;
    std::vector<int> levels;
    double goods = 0.0;
    double bads = 0.0;

    double count() const { return goods + bads; }
    double badRate() const { return count() > 0.0 ? bads / count() : 0.0; }
};

struct WoeIv {
    double woe = 0.0;
    double iv = 0.0;
};

// Zero counts become 0.5 so a bin without goods or bads keeps a finite WoE. Without goods or
// bads in the whole sample there is no evidence at all: WoE and IV are 0.
WoeIv woeIv(double goods, double bads, double totalGoods, double totalBads) {
    if (totalGoods <= 0.0 || totalBads <= 0.0) return {};
    const double goodShare = (goods > 0.0 ? goods : 0.5) / totalGoods;
    const double badShare = (bads > 0.0 ? bads : 0.5) / totalBads;
    const double woe = std::log(goodShare / badShare);
    return {woe, (goodShare - badShare) * woe};
}

void mergeWithNext(std::vector<Class>& classes, std::size_t i) {
    Class& a = classes[i];
    const Class& b = classes[i + 1];
    a.upper = b.upper;
    a.levels.insert(a.levels.end(), b.levels.begin(), b.levels.end());
    a.goods += b.goods;
    a.bads += b.bads;
    classes.erase(classes.begin() + static_cast<std::ptrdiff_t>(i) + 1);
}

// Information value lost by merging classes i and i+1 (never negative up to rounding).
double mergeLoss(const std::vector<Class>& classes, std::size_t i, double totalGoods,
                 double totalBads) {
    const Class& a = classes[i];
    const Class& b = classes[i + 1];
    return woeIv(a.goods, a.bads, totalGoods, totalBads).iv +
           woeIv(b.goods, b.bads, totalGoods, totalBads).iv -
           woeIv(a.goods + b.goods, a.bads + b.bads, totalGoods, totalBads).iv;
}

// Pool-adjacent-violators: merges neighbours until bad rates strictly rise (direction +1) or
// fall (-1). Equal neighbouring rates are merged too, since bins with the same WoE say nothing
// more than one bin.
void makeMonotone(std::vector<Class>& classes, int direction) {
    std::vector<Class> out;
    out.reserve(classes.size());
    for (auto& c : classes) {
        out.push_back(std::move(c));
        while (out.size() >= 2) {
            const double previous = out[out.size() - 2].badRate();
            const double current = out.back().badRate();
            const bool violates = direction > 0 ? current <= previous : current >= previous;
            if (!violates) break;
            mergeWithNext(out, out.size() - 2);
        }
    }
    classes = std::move(out);
}

// Merges each class smaller than minCount into the neighbour with the nearest bad rate,
// smallest first, so the smallest (noisiest) classes are absorbed before larger ones.
void enforceMinimumCount(std::vector<Class>& classes, double minCount) {
    while (classes.size() > 1) {
        std::size_t smallest = classes.size();
        for (std::size_t i = 0; i < classes.size(); ++i) {
            if (classes[i].count() < minCount &&
                (smallest == classes.size() || classes[i].count() < classes[smallest].count())) {
                smallest = i;
            }
        }
        if (smallest == classes.size()) return;
        std::size_t left;
        if (smallest == 0) {
            left = 0;
        } else if (smallest + 1 == classes.size()) {
            left = smallest - 1;
        } else {
            const double rate = classes[smallest].badRate();
            const double toPrevious = std::abs(classes[smallest - 1].badRate() - rate);
            const double toNext = std::abs(classes[smallest + 1].badRate() - rate);
            left = toPrevious <= toNext ? smallest - 1 : smallest;
        }
        mergeWithNext(classes, left);
    }
}

// Merges the neighbours whose merge loses the least information value until maxBins remain.
void enforceMaximumBins(std::vector<Class>& classes, int maxBins, double totalGoods,
                        double totalBads) {
    const auto limit = static_cast<std::size_t>(std::max(maxBins, 1));
    while (classes.size() > limit) {
        std::size_t best = 0;
        double bestLoss = kInf;
        for (std::size_t i = 0; i + 1 < classes.size(); ++i) {
            const double loss = mergeLoss(classes, i, totalGoods, totalBads);
            if (loss < bestLoss) {
                bestLoss = loss;
                best = i;
            }
        }
        mergeWithNext(classes, best);
    }
}

// One non-missing value and its outcome. Sorting these directly (not indices into two arrays)
// keeps the sort cache-friendly, which matters with millions of rows.
struct Observation {
    float value;
    bool bad;
};

// Sign of the Spearman correlation between value and bad flag over observations sorted by
// value: the direction of the overall risk trend, robust to outliers and skewed amounts.
// Tied values share their average rank. Defaults to +1 when there is no trend.
int trendDirection(const std::vector<Observation>& sorted) {
    const double n = static_cast<double>(sorted.size());
    if (sorted.size() < 2) return 1;
    double bads = 0.0;
    for (const auto& o : sorted) {
        bads += o.bad ? 1.0 : 0.0;
    }
    const double meanRank = (n + 1.0) / 2.0;
    const double meanBad = bads / n;
    double covariance = 0.0;
    std::size_t i = 0;
    while (i < sorted.size()) {
        std::size_t j = i;
        double groupBads = 0.0;
        for (; j < sorted.size() && sorted[j].value == sorted[i].value; ++j) {
            groupBads += sorted[j].bad ? 1.0 : 0.0;
        }
        const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        covariance += (rank - meanRank) * (groupBads - static_cast<double>(j - i) * meanBad);
        i = j;
    }
    return covariance < 0.0 ? -1 : 1;
}

std::string formatEdge(double value) {
    if (value == -kInf) return "-inf";
    if (value == kInf) return "+inf";
    // The shortest text that reads back to the same float (data values are floats).
    char buffer[64];
    for (int precision = 6; precision <= 9; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
        if (std::strtof(buffer, nullptr) == static_cast<float>(value)) break;
    }
    return buffer;
}

std::string binLabel(const Bin& bin, bool categorical, const std::vector<std::string>& levelNames) {
    if (bin.missing) return "missing";
    if (!categorical) {
        // Built by appending: GCC 12 flags `"(" + std::string` with a false -Wrestrict.
        std::string label(bin.lower == -kInf ? "(" : "[");
        label += formatEdge(bin.lower);
        label += ", ";
        label += formatEdge(bin.upper);
        label += ")";
        return label;
    }
    std::string label;
    for (int level : bin.levels) {
        if (!label.empty()) label += ", ";
        const auto index = static_cast<std::size_t>(level);
        label +=
            level >= 0 && index < levelNames.size() ? levelNames[index] : std::to_string(level);
    }
    return label;
}

std::vector<Class> numericClasses(const std::vector<Observation>& sorted, int fineClasses) {
    // Cut points are observed values at the quantiles; a value equal to a cut point belongs to
    // the class above it ([lower, upper)), so tied values never straddle two classes.
    std::vector<double> cuts;
    const std::size_t n = sorted.size();
    const auto fine = static_cast<std::size_t>(std::max(fineClasses, 1));
    for (std::size_t k = 1; k < fine && n > 0; ++k) {
        const double cut = sorted[k * n / fine].value;
        if (cut > sorted.front().value && (cuts.empty() || cut > cuts.back())) cuts.push_back(cut);
    }
    std::vector<Class> classes(cuts.size() + 1);
    for (std::size_t k = 0; k < cuts.size(); ++k) {
        classes[k].upper = cuts[k];
        classes[k + 1].lower = cuts[k];
    }
    std::size_t k = 0;
    for (const auto& o : sorted) {
        while (k < cuts.size() && o.value >= cuts[k]) {
            ++k;
        }
        (o.bad ? classes[k].bads : classes[k].goods) += 1.0;
    }
    return classes;
}

// Sign of the change in bad rate from the first to the last value bin; 0 for a single bin.
int binTrend(const CharacteristicBins& c) {
    const Bin* first = nullptr;
    const Bin* last = nullptr;
    for (const auto& bin : c.bins) {
        if (bin.missing || bin.goods + bin.bads <= 0.0) continue;
        if (!first) first = &bin;
        last = &bin;
    }
    if (!first || first == last) return 0;
    const double firstRate = first->bads / (first->goods + first->bads);
    const double lastRate = last->bads / (last->goods + last->bads);
    return lastRate > firstRate ? 1 : lastRate < firstRate ? -1 : 0;
}

void updateWoe(CharacteristicBins& c) {
    double totalGoods = 0.0, totalBads = 0.0;
    for (const auto& bin : c.bins) {
        totalGoods += bin.goods;
        totalBads += bin.bads;
    }
    c.informationValue = 0.0;
    for (auto& bin : c.bins) {
        const auto [woe, iv] = woeIv(bin.goods, bin.bads, totalGoods, totalBads);
        bin.woe = woe;
        bin.iv = iv;
        c.informationValue += iv;
    }
    if (!c.categorical) c.trend = binTrend(c);
}

}  // namespace

int CharacteristicBins::binOf(float value) const {
    if (std::isnan(value)) {
        if (!bins.empty() && bins.back().missing) return static_cast<int>(bins.size()) - 1;
        return -1;
    }
    if (categorical) {
        // A level code is a small whole number; anything else (inf, 1e30) has no bin, and
        // converting it to int would be undefined (UBSan, tst_monitoring).
        if (!(value >= 0.0f && value < 2147483648.0f)) return -1;
        const int code = static_cast<int>(value);
        if (static_cast<float>(code) != value || code < 0) return -1;
        for (std::size_t b = 0; b < bins.size(); ++b) {
            const auto& levels = bins[b].levels;
            if (std::find(levels.begin(), levels.end(), code) != levels.end()) {
                return static_cast<int>(b);
            }
        }
        return -1;
    }
    const double v = value;
    for (std::size_t b = 0; b < bins.size(); ++b) {
        const Bin& bin = bins[b];
        if (bin.missing) continue;
        if (v >= bin.lower && (v < bin.upper || (bin.upper == kInf && v == kInf))) {
            return static_cast<int>(b);
        }
    }
    return -1;
}

double CharacteristicBins::woeOf(float value) const {
    const int b = binOf(value);
    return b < 0 ? 0.0 : bins[static_cast<std::size_t>(b)].woe;
}

void labelBins(CharacteristicBins& c, const std::vector<std::string>& levelNames) {
    for (auto& bin : c.bins) {
        bin.label = binLabel(bin, c.categorical, levelNames);
    }
}

CharacteristicBins binCharacteristic(const EncodedData& data, std::size_t feature,
                                     const BinningSettings& settings) {
    if (data.labels.size() != data.rows || feature >= data.cols) {
        throw std::invalid_argument("binCharacteristic: data without labels or no such feature");
    }
    CharacteristicBins result;
    result.feature = feature < data.featureNames.size() ? data.featureNames[feature] : "";
    result.categorical = feature < data.categorical.size() && data.categorical[feature];

    std::vector<Observation> observed;
    observed.reserve(data.rows);
    Bin missingBin;
    missingBin.missing = true;
    double totalGoods = 0.0, totalBads = 0.0;
    for (std::size_t r = 0; r < data.rows; ++r) {
        const float v = data.at(r, feature);
        const bool bad = data.labels[r] > 0.5f;
        (bad ? totalBads : totalGoods) += 1.0;
        if (std::isnan(v)) {
            (bad ? missingBin.bads : missingBin.goods) += 1.0;
        } else {
            observed.push_back({v, bad});
        }
    }

    std::vector<Class> classes;
    if (result.categorical) {
        // The schema's level count bounds the codes; without one, the data does.
        int levelCount = feature < data.levelCounts.size() ? data.levelCounts[feature] : 0;
        if (levelCount <= 0) {
            for (const auto& o : observed) {
                levelCount = std::max(levelCount, static_cast<int>(o.value) + 1);
            }
        }
        std::vector<Class> perLevel(static_cast<std::size_t>(std::max(levelCount, 0)));
        for (const auto& o : observed) {
            const int code = static_cast<int>(o.value);
            // Not a level code: no bin, so such a value scores as an unseen level.
            if (code < 0 || code >= levelCount) continue;
            Class& level = perLevel[static_cast<std::size_t>(code)];
            (o.bad ? level.bads : level.goods) += 1.0;
        }
        // Levels never seen here get no bin: they score as unseen (WoE 0, neutral). The others
        // are ordered by bad rate so merging neighbours joins levels of similar risk.
        for (std::size_t level = 0; level < perLevel.size(); ++level) {
            if (perLevel[level].count() == 0.0) continue;
            perLevel[level].levels = {static_cast<int>(level)};
            classes.push_back(perLevel[level]);
        }
        std::stable_sort(classes.begin(), classes.end(),
                         [](const Class& a, const Class& b) { return a.badRate() < b.badRate(); });
    } else if (!observed.empty()) {
        std::sort(observed.begin(), observed.end(),
                  [](const Observation& a, const Observation& b) { return a.value < b.value; });
        classes = numericClasses(observed, settings.fineClasses);
        makeMonotone(classes, trendDirection(observed));
    }
    enforceMinimumCount(classes, settings.minBinShare * static_cast<double>(data.rows));
    enforceMaximumBins(classes, settings.maxBins, totalGoods, totalBads);

    for (auto& c : classes) {
        Bin bin;
        bin.lower = c.lower;
        bin.upper = c.upper;
        bin.levels = std::move(c.levels);
        std::sort(bin.levels.begin(), bin.levels.end());
        bin.goods = c.goods;
        bin.bads = c.bads;
        result.bins.push_back(std::move(bin));
    }
    if (!result.categorical && !result.bins.empty()) {
        result.bins.front().lower = -kInf;
        result.bins.back().upper = kInf;
    }
    if (missingBin.goods + missingBin.bads > 0.0) result.bins.push_back(missingBin);
    updateWoe(result);
    labelBins(result, {});
    return result;
}

void recomputeStatistics(CharacteristicBins& bins, const EncodedData& data, std::size_t feature) {
    if (data.labels.size() != data.rows || feature >= data.cols) {
        throw std::invalid_argument("recomputeStatistics: data without labels or no such feature");
    }
    for (auto& bin : bins.bins) {
        bin.goods = 0.0;
        bin.bads = 0.0;
    }
    for (std::size_t r = 0; r < data.rows; ++r) {
        const int b = bins.binOf(data.at(r, feature));
        if (b < 0) continue;
        Bin& bin = bins.bins[static_cast<std::size_t>(b)];
        (data.labels[r] > 0.5f ? bin.bads : bin.goods) += 1.0;
    }
    updateWoe(bins);
    // Numeric labels follow the (possibly edited) edges; categorical labels are kept because
    // they may carry level names this function does not know.
    for (auto& bin : bins.bins) {
        if (!bins.categorical || bin.label.empty()) {
            bin.label = binLabel(bin, bins.categorical, {});
        }
    }
}

}  // namespace cwb
