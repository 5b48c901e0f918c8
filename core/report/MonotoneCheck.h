#pragma once
// Is the score monotone in each constrained characteristic? Checked empirically on a labelled
// (or any) file, for every kind of model alike: for a sample of rows, the characteristic is set
// to each value of a grid (quantiles of its values in the file) with the rest of the row held,
// and the margin must move only in the constrained direction. Constrained characteristics:
// for tree models those with a monotone constraint recorded at training (metrics.monotone); for
// scorecards the numeric characteristics in the model whose bins have a risk trend.

#include <cstddef>
#include <string>
#include <vector>

#include "data/EncodedData.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct MonotoneResult {
    std::string feature;
    int direction = 0;  // +1: risk rises with the value, -1: falls
    std::size_t rowsChecked = 0;
    std::size_t violations = 0;    // rows on which the margin moved against the direction
    double largestReversal = 0.0;  // log-odds
};

// The characteristics the model is constrained in (feature name -> direction).
std::vector<std::pair<std::string, int>> monotoneConstraints(const ModelBundle& bundle);

// data: encoded with the bundle's schema (columns in the model's feature order).
std::vector<MonotoneResult> checkMonotone(const ModelBundle& bundle, const EncodedData& data,
                                          std::size_t sampleRows = 200,
                                          std::size_t gridPoints = 25);

}  // namespace cwb
