#pragma once
// Binning of characteristics for weight of evidence (WoE) and information value (IV).
// Numeric: fine quantile classes merged into bins with a monotone bad-rate trend and a minimum
// bin share. Categorical: levels grouped (small levels merged with the level of nearest bad
// rate). Missing values always get their own bin.
// WoE convention: WoE = ln(share of goods / share of bads); positive WoE = lower risk.

#include <string>
#include <vector>

#include "data/EncodedData.h"

namespace cwb {

struct BinningSettings {
    int fineClasses = 20;       // initial quantile classes for numeric characteristics
    double minBinShare = 0.05;  // minimum share of rows per bin (missing bin excepted)
    int maxBins = 8;            // value bins at most (the missing bin excepted)
};

struct Bin {
    // Numeric: value in [lower, upper) (lower = -inf for the first, upper = +inf for the last).
    double lower = 0.0;
    double upper = 0.0;
    std::vector<int> levels;  // categorical: level codes in this bin
    bool missing = false;     // the bin of missing values
    double goods = 0;
    double bads = 0;
    double woe = 0.0;
    double iv = 0.0;    // this bin's part of the characteristic's IV
    std::string label;  // "[1000, 2500)", "A11, A12", "missing"

    double count() const { return goods + bads; }
    double badRate() const { return count() > 0.0 ? bads / count() : 0.0; }  // 0 when empty
};

struct CharacteristicBins {
    std::string feature;
    bool categorical = false;
    std::vector<Bin> bins;  // the missing bin, when present, is last
    double informationValue = 0.0;
    int trend = 0;  // numeric: +1 risk rises with the value, -1 falls, 0 none

    // Index of the bin a value falls into (NaN -> missing bin; an unseen level or missing value
    // without a missing bin -> -1, which scores as WoE 0).
    int binOf(float value) const;
    double woeOf(float value) const;
};

// Bins one feature column of data (labels required; without them, or with feature out of
// range, throws std::invalid_argument). Categorical levels absent from data get no bin (they
// score as unseen, WoE 0); categorical labels show level codes until labelBins() names them.
CharacteristicBins binCharacteristic(const EncodedData& data, std::size_t feature,
                                     const BinningSettings& settings);

// Recomputes counts, WoE, IV and trend of given bins on data (e.g. after a manual merge).
// Numeric labels are rewritten from the edges; categorical labels are kept unless empty.
void recomputeStatistics(CharacteristicBins& bins, const EncodedData& data, std::size_t feature);

// Rewrites every bin label: numeric "[1000, 2500)" ("(-inf, 1000)" for the first bin),
// categorical the level names joined by ", " (levelNames[code]; the code when out of range),
// "missing" for the missing bin.
void labelBins(CharacteristicBins& bins, const std::vector<std::string>& levelNames);

}  // namespace cwb
