#pragma once
// Distribution drift of a scored batch against the development sample (PSI), counted while the
// batch is scored. Only fixed-size histograms are kept, so memory does not grow with the file:
// score points over the bundle's reference deciles (metrics["reference_scores"]) and, for
// scorecard bundles, each characteristic's encoded values over its bins, whose development
// counts (goods + bads) are stored in the model. XGBoost and forest bundles carry no
// per-characteristic development distribution, so they get score PSI only.
//
// Use: one DriftCounts per scoring slice (makeCounts(), then count() per row, no allocation),
// merged into the batch total with DriftCounts::merge().

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace cwb {

struct ModelBundle;

struct DriftCounts {
    std::vector<std::uint64_t> score;                  // per score bin
    std::vector<std::vector<std::uint64_t>> features;  // per counted feature: bins + 1 (unseen)

    // Adds other's counts; an empty side takes the other's shape.
    void merge(const DriftCounts& other);
    std::uint64_t scoreRows() const;
};

struct FeaturePsi {
    std::string feature;
    double psi = 0.0;
};

class DriftSpec {
public:
    DriftSpec() = default;
    // Score edges from metrics["reference_scores"] (skipped when missing or malformed) and
    // the scorecard's characteristic bins with development counts.
    static DriftSpec fromBundle(const ModelBundle& bundle);
    // Directly from a reference distribution {"edges": [...], "shares": [...]} (tests, GUI).
    static DriftSpec fromReference(std::vector<double> edges, std::vector<double> shares);

    bool hasScore() const { return !m_shares.empty(); }
    std::size_t featureCount() const { return m_features.size(); }
    bool empty() const { return !hasScore() && m_features.empty(); }

    DriftCounts makeCounts() const;
    // Counts one scored row: its unrounded points and its encoded feature values (model
    // column order). Allocation-free; inline because it runs once per scored row.
    void count(DriftCounts& counts, const float* row, double points) const {
        if (!m_shares.empty()) ++counts.score[scoreBin(points)];
        for (std::size_t k = 0; k < m_features.size(); ++k)
            ++counts.features[k][featureBin(k, row[m_features[k].column])];
    }
    // The count slot of an encoded value of counted feature k: the scorecard's bin
    // (CharacteristicBins::binOf), or the last slot for values no bin takes.
    std::size_t featureBin(std::size_t k, float value) const {
        const Feature& f = m_features[k];
        if (std::isnan(value)) return f.missingSlot;
        if (f.categorical) {
            // Range check before the cast: converting a huge float to int is undefined.
            if (!(value >= 0.0f && value < static_cast<float>(f.slotOfCode.size())))
                return f.unseen;
            const auto code = static_cast<std::size_t>(value);
            return static_cast<float>(code) == value ? f.slotOfCode[code] : f.unseen;
        }
        const double v = value;
        constexpr double kInf = std::numeric_limits<double>::infinity();
        for (std::size_t r = 0; r < f.lower.size(); ++r)
            if (v >= f.lower[r] && (v < f.upper[r] || (f.upper[r] == kInf && v == kInf)))
                return f.rangeSlot[r];
        return f.unseen;
    }
    const std::string& featureName(std::size_t k) const { return m_features[k].name; }

    // Score bins of the reference (edges + 1); minimumPsiRows(scoreBins()) rows make a PSI
    // that can be judged.
    std::size_t scoreBins() const { return m_edges.size() + 1; }
    // PSI of the counted scores against the reference (0 when nothing was counted).
    double scorePsi(const DriftCounts& counts) const;
    std::vector<FeaturePsi> featurePsi(const DriftCounts& counts) const;

private:
    // A characteristic's bins flattened into small arrays: the per-row lookup touches a few
    // cache lines instead of walking Bin structs (labels, level vectors) for every value.
    struct Feature {
        std::size_t column = 0;
        std::string name;
        bool categorical = false;
        std::vector<std::uint32_t> slotOfCode;  // categorical: slot per level code
        std::vector<double> lower, upper;       // numeric: [lower, upper) per value bin
        std::vector<std::uint32_t> rangeSlot;   // numeric: slot of each range
        std::uint32_t missingSlot = 0;          // the missing bin, or unseen
        std::uint32_t unseen = 0;               // last slot: values no bin takes
        std::vector<double> shares;             // development share per slot (0 for unseen)
    };
    // Same bin rule as scorePsi() in pipeline/ReferenceScores: index of the first edge above.
    std::size_t scoreBin(double points) const {
        return static_cast<std::size_t>(std::upper_bound(m_edges.begin(), m_edges.end(), points) -
                                        m_edges.begin());
    }

    std::vector<double> m_edges;   // inner edges in points, ascending
    std::vector<double> m_shares;  // development share per score bin (edges + 1)
    std::vector<Feature> m_features;
};

}  // namespace cwb
