#pragma once
// Rows grouped by equal score: the one pass the metrics (AUC, KS) and the curves (ROC,
// precision-recall, KS) both start from, so that they group ties and read labels alike.

#include <vector>

namespace cwb {

struct TiedGroup {
    double value = 0.0;  // the score the rows share
    double count = 0.0;
    double bads = 0.0;
};

// Rows grouped by equal value, in ascending value order; a label above one half is bad.
std::vector<TiedGroup> tiedGroups(const std::vector<double>& values, const std::vector<float>& bad);

}  // namespace cwb
