#pragma once
// Derived ratio characteristics (decision 51): the ratio of two numeric characteristics of the
// schema, "credit amount per month of duration" or "bill amount per credit limit". A ratio is
// missing when either operand is missing or the denominator is not above zero. Models that use
// ratios compute them from the schema's inputs (model/RatioModel.h), so forms, files and the
// service still ask only for what the applicant states.

#include <cstddef>
#include <string>
#include <vector>

#include "data/EncodedData.h"

namespace cwb {

struct RatioFeature {
    std::size_t numerator = 0;    // feature index among the schema's features
    std::size_t denominator = 0;  // feature index; different from numerator
    bool operator==(const RatioFeature&) const = default;
};

// At most this many ratios in one model; a bundle asking for more is refused.
inline constexpr std::size_t kMaxRatios = 32;

// The ratio of two encoded values: NaN when either is NaN or the denominator is <= 0.
float ratioValue(float numerator, float denominator);

// "credit_amount/duration_months": the name of the ratio column.
std::string ratioName(const std::vector<std::string>& featureNames, const RatioFeature& ratio);

// Pairs worth trying on data: numeric characteristics with at least 12 distinct values (at
// most `maxOperands` of them, the most informative by information value first), each pair once,
// with a denominator that is above zero on at least half of the rows.
std::vector<RatioFeature> ratioCandidates(const EncodedData& data, std::size_t maxOperands = 16);

// rows x (baseCols + ratios) from rows x baseCols: the inputs, then one column per ratio.
void appendRatios(const float* X, std::size_t rows, std::size_t baseCols,
                  const std::vector<RatioFeature>& ratios, float* out);

// data with one numeric column per ratio appended, named by ratioName.
EncodedData withRatios(const EncodedData& data, const std::vector<RatioFeature>& ratios);

}  // namespace cwb
