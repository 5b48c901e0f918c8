#pragma once
// One applicant given as a JSON object, {"age_years": 35, "purpose": "car (new)"}: what
// `cwb explain --record` reads. Values by column name, as text the way a CSV file would hold
// them: numbers in JSON's spelling, null as a missing value.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "common/Result.h"

namespace cwb {

// The longest record text read (a record of a few hundred characteristics takes a few KiB).
inline constexpr std::size_t kMaxRecordJsonBytes = std::size_t{1} << 20;

// Fails (BadInput, naming what was wrong) for text that is not one flat JSON object of numbers,
// text and nulls, or that is longer than kMaxRecordJsonBytes.
Result<std::map<std::string, std::string>> parseRecordJson(std::string_view text);

}  // namespace cwb
