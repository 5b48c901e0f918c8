#include "monitor/Drift.h"

#include <nlohmann/json.hpp>

#include "eval/Metrics.h"
#include "features/Binning.h"
#include "model/Scorecard.h"
#include "scoring/ModelBundle.h"

namespace cwb {

namespace {

void addInto(std::vector<std::uint64_t>& into, const std::vector<std::uint64_t>& from) {
    if (into.empty()) {
        into = from;
        return;
    }
    for (std::size_t i = 0; i < into.size() && i < from.size(); ++i)
        into[i] += from[i];
}

std::vector<double> sharesOf(const std::vector<std::uint64_t>& counts) {
    std::uint64_t total = 0;
    for (std::uint64_t c : counts)
        total += c;
    std::vector<double> shares(counts.size(), 0.0);
    if (total == 0) return shares;
    for (std::size_t i = 0; i < counts.size(); ++i)
        shares[i] = static_cast<double>(counts[i]) / static_cast<double>(total);
    return shares;
}

}  // namespace

void DriftCounts::merge(const DriftCounts& other) {
    addInto(score, other.score);
    if (features.empty()) {
        features = other.features;
        return;
    }
    for (std::size_t k = 0; k < features.size() && k < other.features.size(); ++k)
        addInto(features[k], other.features[k]);
}

std::uint64_t DriftCounts::scoreRows() const {
    std::uint64_t total = 0;
    for (std::uint64_t c : score)
        total += c;
    return total;
}

DriftSpec DriftSpec::fromReference(std::vector<double> edges, std::vector<double> shares) {
    DriftSpec spec;
    if (shares.size() != edges.size() + 1 || !std::is_sorted(edges.begin(), edges.end()))
        return spec;
    spec.m_edges = std::move(edges);
    spec.m_shares = std::move(shares);
    return spec;
}

DriftSpec DriftSpec::fromBundle(const ModelBundle& bundle) {
    DriftSpec spec;
    // Older or imported bundles may lack the reference; drift is then simply not reported.
    const auto it = bundle.metrics.find("reference_scores");
    if (it != bundle.metrics.end() && it->is_object()) {
        try {
            spec = fromReference(it->at("edges").get<std::vector<double>>(),
                                 it->at("shares").get<std::vector<double>>());
        } catch (const nlohmann::json::exception&) {
            spec = DriftSpec();
        }
    }
    // Only the scorecard keeps each characteristic's development counts (its bins).
    const auto* scorecard = dynamic_cast<const ScorecardModel*>(bundle.model.get());
    if (!scorecard) return spec;
    const auto& bins = scorecard->bins();
    for (std::size_t column = 0; column < bins.size(); ++column) {
        const CharacteristicBins& c = bins[column];
        double total = 0.0;
        for (const Bin& b : c.bins)
            total += b.goods + b.bads;
        if (c.bins.empty() || total <= 0.0) continue;
        Feature f;
        f.column = column;
        f.name = c.feature;
        f.categorical = c.categorical;
        f.unseen = static_cast<std::uint32_t>(c.bins.size());
        // Same rules as CharacteristicBins::binOf: NaN goes to a missing bin only when it is
        // the last bin; otherwise the first bin that takes a value wins.
        f.missingSlot = c.bins.back().missing ? f.unseen - 1 : f.unseen;
        for (std::size_t b = 0; b < c.bins.size(); ++b) {
            const Bin& bin = c.bins[b];
            const auto slot = static_cast<std::uint32_t>(b);
            if (c.categorical) {
                for (int level : bin.levels) {
                    if (level < 0) continue;
                    const auto code = static_cast<std::size_t>(level);
                    if (code >= f.slotOfCode.size()) f.slotOfCode.resize(code + 1, f.unseen);
                    if (f.slotOfCode[code] == f.unseen) f.slotOfCode[code] = slot;
                }
            } else if (!bin.missing) {
                f.lower.push_back(bin.lower);
                f.upper.push_back(bin.upper);
                f.rangeSlot.push_back(slot);
            }
        }
        for (const Bin& b : c.bins)
            f.shares.push_back((b.goods + b.bads) / total);
        f.shares.push_back(0.0);  // values the development sample never had
        spec.m_features.push_back(std::move(f));
    }
    return spec;
}

DriftCounts DriftSpec::makeCounts() const {
    DriftCounts counts;
    if (!m_shares.empty()) counts.score.assign(m_shares.size(), 0);
    counts.features.reserve(m_features.size());
    for (const Feature& f : m_features)
        counts.features.emplace_back(f.shares.size(), 0);
    return counts;
}

double DriftSpec::scorePsi(const DriftCounts& counts) const {
    if (m_shares.empty() || counts.score.size() != m_shares.size() || counts.scoreRows() == 0)
        return 0.0;
    return psiFromShares(m_shares, sharesOf(counts.score));
}

std::vector<FeaturePsi> DriftSpec::featurePsi(const DriftCounts& counts) const {
    std::vector<FeaturePsi> out;
    if (counts.features.size() != m_features.size()) return out;
    for (std::size_t k = 0; k < m_features.size(); ++k) {
        const auto& c = counts.features[k];
        if (c.size() != m_features[k].shares.size()) continue;
        std::uint64_t total = 0;
        for (std::uint64_t n : c)
            total += n;
        if (total == 0) continue;
        out.push_back({m_features[k].name, psiFromShares(m_features[k].shares, sharesOf(c))});
    }
    return out;
}

}  // namespace cwb
