#include "eval/PsiSample.h"

#include <cmath>

namespace cwb {

std::size_t minimumPsiRows(std::size_t bins) {
    constexpr double kNoiseLimit = 0.04;
    if (bins < 2) return 1;
    return static_cast<std::size_t>(std::ceil(static_cast<double>(bins - 1) / kNoiseLimit));
}

}  // namespace cwb
