#include "explain/ReasonCodes.h"

namespace cwb {

std::size_t topReasonIndices(const double* contributions, std::size_t count, std::size_t k,
                             std::size_t* out) {
    // Partial insertion sort into out[0..k): k is tiny (<= ~10), count is the feature count,
    // and this runs per row in batch scoring, so no allocation.
    std::size_t n = 0;
    for (std::size_t j = 0; j < count; ++j) {
        const double c = contributions[j];
        if (!(c > 0.0)) continue;
        std::size_t pos = n < k ? n : k;
        while (pos > 0 && contributions[out[pos - 1]] < c)
            --pos;
        if (pos >= k) continue;
        const std::size_t last = n < k ? n : k - 1;
        for (std::size_t i = last; i > pos; --i)
            out[i] = out[i - 1];
        out[pos] = j;
        if (n < k) ++n;
    }
    return n;
}

}  // namespace cwb
