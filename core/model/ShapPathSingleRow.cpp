// Table-lookup TreeSHAP for one row (the applicant path: cwb explain, the GUI, cwb serve).
//
// The batch kernel (model/ShapPathKernel.cpp) puts eight rows in vector lanes; one row would
// use one lane of eight. Here the lanes hold eight splits of the same tree instead: their
// features are gathered from the row and compared at once, which gives the tree's decisions as
// one 64-bit word, and a block's table index is the word's bits at the block's splits (one
// PEXT instruction on CPUs where it is fast). One row touches about 2,400 table entries spread
// over megabytes, so the lookups of several trees are computed and prefetched before any is
// added, and the cache misses overlap instead of queueing.

#include <algorithm>
#include <cmath>

#include "model/ShapPathEntry.h"
#include "model/ShapPathTables.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CWB_SINGLE_ROW_AVX2 1
#endif

namespace cwb::detail {

namespace {

constexpr std::size_t kChunkTrees = 16;  // trees whose lookups are in flight together

namespace portable {
#define CWB_ROW_AVX2 0
#include "model/ShapPathRowKernel.inc"
#undef CWB_ROW_AVX2
}  // namespace portable

#ifdef CWB_SINGLE_ROW_AVX2
// Clang (the fuzz preset) ignores GCC's target pragma; its attribute pragma does the same.
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("arch=x86-64-v3"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("arch=x86-64-v3")
#endif
namespace avx2 {
#define CWB_ROW_AVX2 1
#include "model/ShapPathRowKernel.inc"
#undef CWB_ROW_AVX2
}  // namespace avx2
#ifdef __clang__
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

enum class RowKernel { Portable, Avx2, Avx2NoPext };

RowKernel rowKernel() {
    static const RowKernel kernel = [] {
        __builtin_cpu_init();
        if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi2") ||
            !__builtin_cpu_supports("fma"))
            return RowKernel::Portable;
        // PEXT is microcoded, and slow, on AMD before Zen 3; the bit loop is faster there.
        if (__builtin_cpu_is("znver1") || __builtin_cpu_is("znver2")) return RowKernel::Avx2NoPext;
        return RowKernel::Avx2;
    }();
    return kernel;
}
#endif

}  // namespace

void addPathTableContributionsOfRow(const TreeEnsemble& model, const PathTables& tables,
                                    const float* row, double* phi, bool portable) {
#ifdef CWB_SINGLE_ROW_AVX2
    if (!portable) {
        switch (rowKernel()) {
            case RowKernel::Avx2:
                return avx2::explainRow<true>(model, tables, row, phi);
            case RowKernel::Avx2NoPext:
                return avx2::explainRow<false>(model, tables, row, phi);
            case RowKernel::Portable:
                break;
        }
    }
#endif
    portable::explainRow<false>(model, tables, row, phi);
}

}  // namespace cwb::detail
