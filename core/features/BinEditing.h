#pragma once
// Hand edits of a characteristic's bins, as analysts make them in every scorecard tool: merge
// two bins, split a numeric bin at a cut point, or move one level of a categorical bin into a
// bin of its own. Each edit returns new bins whose counts, WoE and IV are recomputed on the
// development data; the input is never changed. The missing bin always stays a bin of its own
// (docs/decisions.md, decision 5), so it can be neither merged nor split.

#include <string>
#include <vector>

#include "common/Result.h"
#include "data/EncodedData.h"
#include "features/Binning.h"

namespace cwb {

// Merges bins `first` and `second` into one, at the lower of the two positions. Numeric bins
// must be neighbours (their ranges join); categorical bins may be any two (their levels join).
// levelNames (index = level code) name categorical bins; empty keeps codes.
Result<CharacteristicBins> mergeBins(const CharacteristicBins& bins, std::size_t first,
                                     std::size_t second, const EncodedData& data,
                                     std::size_t feature,
                                     const std::vector<std::string>& levelNames = {});

// Splits numeric bin `bin` at `cut` into [lower, cut) and [cut, upper). The cut must lie
// strictly inside the bin, and both parts must hold at least one development row.
Result<CharacteristicBins> splitBinAt(const CharacteristicBins& bins, std::size_t bin, double cut,
                                      const EncodedData& data, std::size_t feature,
                                      const std::vector<std::string>& levelNames = {});

// Moves categorical level `level` out of bin `bin` into a new bin placed right after it. The
// bin must hold that level and at least one other.
Result<CharacteristicBins> splitOffLevel(const CharacteristicBins& bins, std::size_t bin, int level,
                                         const EncodedData& data, std::size_t feature,
                                         const std::vector<std::string>& levelNames = {});

}  // namespace cwb
