#pragma once
// Adding one table entry of model/ShapPathTables.h into a row's contributions; shared by the
// batch and single-row kernels, which must add in the same order to give the same bits.

#include <cstddef>
#include <cstdint>

namespace cwb::detail {

// phi[feature[c]] += entry[c] for c in [0, W): with the width known at compile time the loop
// unrolls and the features stay in registers.
template <std::size_t W>
[[gnu::always_inline]] inline void addEntry(const double* entry, const std::uint32_t* feature,
                                            double* phi) {
    for (std::size_t c = 0; c < W; ++c)
        phi[feature[c]] += entry[c];
}

[[gnu::always_inline]] inline void addEntry(std::size_t width, const double* entry,
                                            const std::uint32_t* feature, double* phi) {
    switch (width) {
        case 1:
            return addEntry<1>(entry, feature, phi);
        case 2:
            return addEntry<2>(entry, feature, phi);
        case 3:
            return addEntry<3>(entry, feature, phi);
        case 4:
            return addEntry<4>(entry, feature, phi);
        case 5:
            return addEntry<5>(entry, feature, phi);
        case 6:
            return addEntry<6>(entry, feature, phi);
        case 7:
            return addEntry<7>(entry, feature, phi);
        case 8:
            return addEntry<8>(entry, feature, phi);
        default:
            for (std::size_t c = 0; c < width; ++c)
                phi[feature[c]] += entry[c];
    }
}

// Asks the cache for an entry's values (which may span two lines) ahead of addEntry.
[[gnu::always_inline]] inline void prefetchEntry(const double* entry, std::size_t width) {
    __builtin_prefetch(entry);
    __builtin_prefetch(entry + width - 1);
}

}  // namespace cwb::detail
