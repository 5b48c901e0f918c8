#include "features/BinEditing.h"

#include <algorithm>
#include <cmath>

namespace cwb {

namespace {

std::string binName(const CharacteristicBins& bins, std::size_t bin) {
    const std::string& label = bins.bins[bin].label;
    return "bin " + std::to_string(bin + 1) + (label.empty() ? "" : " (" + label + ")") + " of '" +
           bins.feature + "'";
}

Result<void> checkBin(const CharacteristicBins& bins, std::size_t bin) {
    if (bin >= bins.bins.size())
        return Error::badInput("'" + bins.feature + "' has no bin " + std::to_string(bin + 1) +
                               " (it has " + std::to_string(bins.bins.size()) + ")");
    if (bins.bins[bin].missing)
        return Error::badInput("the missing bin of '" + bins.feature +
                               "' always stays a bin of its own");
    return {};
}

Result<void> checkData(const EncodedData& data, std::size_t feature,
                       const CharacteristicBins& bins) {
    if (feature >= data.cols || data.labels.size() != data.rows)
        return Error::badInput("the development data has no target or no column for '" +
                               bins.feature + "'");
    if (feature < data.featureNames.size() && data.featureNames[feature] != bins.feature)
        return Error::badInput("the development data's column " + std::to_string(feature + 1) +
                               " is '" + data.featureNames[feature] + "', not '" + bins.feature +
                               "'");
    return {};
}

// Counts, WoE and IV from the data; categorical labels from the level names, because a merge
// or split changes which levels a bin holds.
CharacteristicBins finish(CharacteristicBins edited, const EncodedData& data, std::size_t feature,
                          const std::vector<std::string>& levelNames) {
    if (edited.categorical) {
        for (auto& bin : edited.bins)
            bin.label.clear();
    }
    recomputeStatistics(edited, data, feature);
    if (edited.categorical) labelBins(edited, levelNames);
    return edited;
}

}  // namespace

Result<CharacteristicBins> mergeBins(const CharacteristicBins& bins, std::size_t first,
                                     std::size_t second, const EncodedData& data,
                                     std::size_t feature,
                                     const std::vector<std::string>& levelNames) {
    if (auto r = checkData(data, feature, bins); !r) return r.error();
    if (auto r = checkBin(bins, first); !r) return r.error();
    if (auto r = checkBin(bins, second); !r) return r.error();
    if (first == second)
        return Error::badInput("choose two different bins of '" + bins.feature + "' to merge");
    const std::size_t keep = std::min(first, second);
    const std::size_t drop = std::max(first, second);
    CharacteristicBins edited = bins;
    Bin& target = edited.bins[keep];
    const Bin& other = bins.bins[drop];
    if (!bins.categorical) {
        // Numeric bins cover the value line in order, so only neighbours form one range.
        if (drop != keep + 1)
            return Error::badInput(
                "only neighbouring bins of a numeric characteristic can be "
                "merged: " +
                binName(bins, keep) + " and " + binName(bins, drop) +
                " are not next to each other");
        target.upper = other.upper;
    } else {
        target.levels.insert(target.levels.end(), other.levels.begin(), other.levels.end());
        std::sort(target.levels.begin(), target.levels.end());
    }
    edited.bins.erase(edited.bins.begin() + static_cast<std::ptrdiff_t>(drop));
    return finish(std::move(edited), data, feature, levelNames);
}

Result<CharacteristicBins> splitBinAt(const CharacteristicBins& bins, std::size_t bin, double cut,
                                      const EncodedData& data, std::size_t feature,
                                      const std::vector<std::string>& levelNames) {
    if (auto r = checkData(data, feature, bins); !r) return r.error();
    if (auto r = checkBin(bins, bin); !r) return r.error();
    if (bins.categorical)
        return Error::badInput("'" + bins.feature +
                               "' is categorical: split it by moving a level out, not at a value");
    const Bin& old = bins.bins[bin];
    if (!std::isfinite(cut) || !(cut > old.lower && cut < old.upper))
        return Error::badInput("the cut point must lie inside " + binName(bins, bin));
    CharacteristicBins edited = bins;
    Bin upperPart = old;
    upperPart.lower = cut;
    edited.bins[bin].upper = cut;
    edited.bins.insert(edited.bins.begin() + static_cast<std::ptrdiff_t>(bin) + 1,
                       std::move(upperPart));
    CharacteristicBins result = finish(std::move(edited), data, feature, levelNames);
    // An empty bin has no evidence: its WoE would rest on the 0.5 count substitute alone.
    for (std::size_t b : {bin, bin + 1}) {
        if (result.bins[b].goods + result.bins[b].bads <= 0.0)
            return Error::badInput("a cut at " + std::to_string(cut) + " leaves " +
                                   binName(result, b) + " without development rows");
    }
    return result;
}

Result<CharacteristicBins> splitOffLevel(const CharacteristicBins& bins, std::size_t bin, int level,
                                         const EncodedData& data, std::size_t feature,
                                         const std::vector<std::string>& levelNames) {
    if (auto r = checkData(data, feature, bins); !r) return r.error();
    if (auto r = checkBin(bins, bin); !r) return r.error();
    if (!bins.categorical)
        return Error::badInput("'" + bins.feature +
                               "' is numeric: split it at a cut point, not by level");
    const std::vector<int>& levels = bins.bins[bin].levels;
    if (std::find(levels.begin(), levels.end(), level) == levels.end())
        return Error::badInput(binName(bins, bin) + " does not hold that level");
    if (levels.size() < 2)
        return Error::badInput(binName(bins, bin) +
                               " holds a single level; there is nothing to "
                               "split");
    CharacteristicBins edited = bins;
    auto& kept = edited.bins[bin].levels;
    kept.erase(std::find(kept.begin(), kept.end(), level));
    Bin moved;
    moved.levels = {level};
    edited.bins.insert(edited.bins.begin() + static_cast<std::ptrdiff_t>(bin) + 1,
                       std::move(moved));
    return finish(std::move(edited), data, feature, levelNames);
}

}  // namespace cwb
