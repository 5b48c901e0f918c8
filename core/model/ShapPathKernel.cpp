// The per-row part of table-lookup TreeSHAP (model/ShapPathTables.h): for each tree, the rows'
// decisions at every split, then per block one table index and `width` additions.
//
// Eight rows go through a tree together, one per vector lane (GCC vector extensions: one AVX2
// instruction or two SSE2 ones per operation): a split's decisions for all eight are one
// compare on a column of the transposed rows, and a block's index is built from those masks
// with an AND and an OR per index bit. Only the additions into each row's contributions are
// scalar, because the table entries differ per row.

#include <algorithm>
#include <memory>

#include "model/ShapPathEntry.h"
#include "model/ShapPathTables.h"

namespace cwb::detail {

namespace {

constexpr std::size_t kLanes = 8;
constexpr std::size_t kGroups = 32;  // row groups per block of rows
constexpr std::size_t kBlockRows = kLanes * kGroups;
// Lookups of this many row groups are computed (and prefetched) before any is added: a table
// entry is a likely cache miss when few rows share a tree, and the misses then overlap.
constexpr std::size_t kChunkGroups = 32;
constexpr std::size_t kFewGroups = 8;

typedef float Floats __attribute__((vector_size(kLanes * sizeof(float))));
typedef std::int32_t Masks __attribute__((vector_size(kLanes * sizeof(float))));
typedef double Doubles __attribute__((vector_size(kLanes / 2 * sizeof(double))));  // half a group

// One vector each; plain structs keep std::vector and new[] free of vector types (whose
// alignment they would not keep).
struct alignas(32) FloatSlot {
    float lane[kLanes];
};
struct alignas(32) MaskSlot {
    std::int32_t lane[kLanes];
};
struct alignas(32) DoubleSlot {
    double lane[kLanes / 2];
};

// Per-call scratch, sized for the rows at hand (a single applicant needs one group) and left
// uninitialised: every slot read is written first.
struct Scratch {
    Scratch(std::size_t features, const PathTables& tables, std::size_t groups)
        : groups(groups),
          chunkTrees(std::max<std::size_t>(1, kChunkGroups / groups)),
          columns(new FloatSlot[std::max<std::size_t>(1, features * groups)]),
          left(new MaskSlot[std::max<std::size_t>(1, tables.maxSplits * groups)]),
          indices(new MaskSlot[std::max<std::size_t>(1, chunkTrees * tables.maxBlocks * groups)]),
          sums(new DoubleSlot[std::max<std::size_t>(1, features * groups * 2)]) {}
    std::size_t groups;
    std::size_t chunkTrees;                // trees whose lookups are in flight together
    std::unique_ptr<FloatSlot[]> columns;  // feature f, group g at f * groups + g
    std::unique_ptr<MaskSlot[]> left;      // split s, group g at s * groups + g: all ones = left
    std::unique_ptr<MaskSlot[]> indices;   // entry per block of the chunk's trees and group
    // The rows' contributions, transposed like columns (two vectors per feature and group), so
    // that one column of eight entries is added with two vector additions.
    std::unique_ptr<DoubleSlot[]> sums;
};

// The whole of a tree's tables, a cache line at a time: with many rows nearly every entry is
// read, and the next tree's come in from the outer caches while this one is worked on.
[[gnu::always_inline]] inline void prefetchTables(const PathTables& tables, std::size_t t) {
    const PathTables::Tree& tree = tables.trees[t];
    if (tree.blockCount == 0) return;
    const PathTables::Block& first = tables.blocks[tree.firstBlock];
    const PathTables::Block& last = tables.blocks[tree.firstBlock + tree.blockCount - 1];
    const double* begin = tables.values.data() + first.offset;
    const double* end =
        tables.values.data() + last.offset + (std::size_t{1} << last.bits) * last.width;
    for (const double* at = begin; at < end; at += 8)
        __builtin_prefetch(at);
}

// For each column c of a block: the eight rows' entries (entry[l] for lane l) added to the
// feature's sums of the group.
template <std::size_t W>
[[gnu::always_inline]] inline void addEntries(std::size_t width, const double* const* entry,
                                              const std::uint32_t* feature, Doubles* sums,
                                              std::size_t stride) {
    for (std::size_t c = 0; c < (W > 0 ? W : width); ++c) {
        const Doubles low = {entry[0][c], entry[1][c], entry[2][c], entry[3][c]};
        const Doubles high = {entry[4][c], entry[5][c], entry[6][c], entry[7][c]};
        Doubles* sum = sums + feature[c] * stride * 2;
        sum[0] += low;
        sum[1] += high;
    }
}

[[gnu::always_inline]] inline void addEntries(std::size_t width, const double* const* entry,
                                              const std::uint32_t* feature, Doubles* sums,
                                              std::size_t stride) {
    switch (width) {
        case 1:
            return addEntries<1>(width, entry, feature, sums, stride);
        case 2:
            return addEntries<2>(width, entry, feature, sums, stride);
        case 3:
            return addEntries<3>(width, entry, feature, sums, stride);
        case 4:
            return addEntries<4>(width, entry, feature, sums, stride);
        case 5:
            return addEntries<5>(width, entry, feature, sums, stride);
        case 6:
            return addEntries<6>(width, entry, feature, sums, stride);
        case 7:
            return addEntries<7>(width, entry, feature, sums, stride);
        case 8:
            return addEntries<8>(width, entry, feature, sums, stride);
        default:
            return addEntries<0>(width, entry, feature, sums, stride);
    }
}

// Rows [0, count) of X, count <= scratch.groups * kLanes.
[[gnu::always_inline]] inline void explainBlockOfRows(const TreeEnsemble& model,
                                                      const PathTables& tables, const float* X,
                                                      std::size_t count, std::size_t cols,
                                                      double* out, Scratch& scratch) {
    const std::size_t groups = (count + kLanes - 1) / kLanes, stride = scratch.groups;
    const std::size_t features = model.featureCount();
    // Transposed rows: one feature of eight rows is one vector. Lanes past the last row repeat
    // it and are never written back.
    float* columns = &scratch.columns[0].lane[0];
    for (std::size_t r = 0; r < groups * kLanes; ++r) {
        const float* row = X + std::min(r, count - 1) * cols;
        const std::size_t g = r / kLanes, l = r % kLanes;
        for (std::size_t f = 0; f < features; ++f)
            columns[(f * stride + g) * kLanes + l] = row[f];
    }
    const Floats* column = reinterpret_cast<const Floats*>(scratch.columns.get());
    Masks* left = reinterpret_cast<Masks*>(scratch.left.get());

    Doubles* sums = reinterpret_cast<Doubles*>(scratch.sums.get());
    std::fill_n(&scratch.sums[0].lane[0], features * stride * kLanes, 0.0);
    // With many row groups a tree's few kilobytes of tables are read again and again and stay in
    // the cache; with few, its entries are likely misses and are fetched ahead.
    const bool prefetch = groups < kFewGroups;
    MaskSlot* indices = scratch.indices.get();
    for (std::size_t chunk = 0; chunk < tables.trees.size(); chunk += scratch.chunkTrees) {
        const std::size_t chunkEnd = std::min(tables.trees.size(), chunk + scratch.chunkTrees);
        // The rows' decisions at every split, then each block's table index, prefetched.
        MaskSlot* next = indices;
        for (std::size_t t = chunk; t < chunkEnd; ++t) {
            const PathTables::Tree& tree = tables.trees[t];
            const TreeEnsemble::Node* splits = tables.splits.data() + tree.firstSplit;
            if (!prefetch && t + 1 < tables.trees.size()) prefetchTables(tables, t + 1);
            for (std::size_t s = 0; s < tree.splitCount; ++s) {
                const TreeEnsemble::Node& split = splits[s];
                Masks* decided = left + s * stride;
                if (split.categorical()) [[unlikely]] {
                    for (std::size_t r = 0; r < groups * kLanes; ++r) {
                        const float* row = X + std::min(r, count - 1) * cols;
                        decided[r / kLanes][r % kLanes] = model.goesLeft(split, row) ? -1 : 0;
                    }
                    continue;
                }
                // x < threshold, or missing with the default to the left; compared in float as
                // XGBoost does.
                const float t = split.value;
                const Floats threshold = {t, t, t, t, t, t, t, t};
                const std::int32_t d = split.defaultLeft() ? -1 : 0;
                const Masks missingLeft = {d, d, d, d, d, d, d, d};
                const Floats* x = column + static_cast<std::size_t>(split.feature) * stride;
                for (std::size_t g = 0; g < groups; ++g)
                    decided[g] = (x[g] < threshold) | ((x[g] != x[g]) & missingLeft);
            }
            const PathTables::Block* blocks = tables.blocks.data() + tree.firstBlock;
            for (std::size_t b = 0; b < tree.blockCount; ++b) {
                const PathTables::Block& block = blocks[b];
                const double* table = tables.values.data() + block.offset;
                for (std::size_t g = 0; g < groups; ++g, ++next) {
                    Masks index = {0, 0, 0, 0, 0, 0, 0, 0};
                    for (std::size_t j = 0; j < block.bits; ++j) {
                        const std::int32_t bit = std::int32_t{1} << j;
                        index |= left[block.split[j] * stride + g] &
                                 Masks{bit, bit, bit, bit, bit, bit, bit, bit};
                    }
                    *reinterpret_cast<Masks*>(next) = index;
                    if (!prefetch) continue;
                    const std::size_t lanes = std::min(kLanes, count - g * kLanes);
                    for (std::size_t l = 0; l < lanes; ++l)
                        prefetchEntry(table + static_cast<std::size_t>(index[l]) * block.width,
                                      block.width);
                }
            }
        }
        // The additions, in the same order.
        next = indices;
        for (std::size_t t = chunk; t < chunkEnd; ++t) {
            const PathTables::Tree& tree = tables.trees[t];
            const PathTables::Block* blocks = tables.blocks.data() + tree.firstBlock;
            for (std::size_t b = 0; b < tree.blockCount; ++b) {
                const PathTables::Block& block = blocks[b];
                const double* table = tables.values.data() + block.offset;
                const std::size_t width = block.width;
                for (std::size_t g = 0; g < groups; ++g, ++next) {
                    const double* entry[kLanes];
                    for (std::size_t l = 0; l < kLanes; ++l)
                        entry[l] = table + static_cast<std::size_t>(next->lane[l]) * width;
                    addEntries(width, entry, block.feature, sums + g * 2, stride);
                }
            }
        }
    }
    // Each row's sums started from 0 and took its entries in the single-row kernel's order, so
    // adding them to out (0 here) gives that kernel's bits.
    for (std::size_t r = 0; r < count; ++r) {
        const std::size_t g = r / kLanes, l = r % kLanes;
        double* phi = out + r * cols;
        for (std::size_t f = 0; f < features; ++f)
            phi[f] += scratch.sums[(f * stride + g) * 2 + l / 4].lane[l % 4];
    }
}

[[gnu::always_inline]] inline void explainRows(const TreeEnsemble& model, const PathTables& tables,
                                               const float* X, std::size_t rows, std::size_t cols,
                                               double* out) {
    Scratch scratch(model.featureCount(), tables, std::min(kGroups, (rows + kLanes - 1) / kLanes));
    for (std::size_t begin = 0; begin < rows; begin += kBlockRows) {
        const std::size_t count = std::min(kBlockRows, rows - begin);
        explainBlockOfRows(model, tables, X + begin * cols, count, cols, out + begin * cols,
                           scratch);
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define CWB_PATH_TABLES_AVX2 1
__attribute__((target("arch=x86-64-v3"))) void explainRowsAvx2(const TreeEnsemble& model,
                                                               const PathTables& tables,
                                                               const float* X, std::size_t rows,
                                                               std::size_t cols, double* out) {
    explainRows(model, tables, X, rows, cols, out);
}

bool cpuHasAvx2() {
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") &&
                            __builtin_cpu_supports("fma");
    return has;
}
#endif

void explainRowsPortable(const TreeEnsemble& model, const PathTables& tables, const float* X,
                         std::size_t rows, std::size_t cols, double* out) {
    explainRows(model, tables, X, rows, cols, out);
}

}  // namespace

void addPathTableContributions(const TreeEnsemble& model, const PathTables& tables, const float* X,
                               std::size_t rows, std::size_t cols, double* out, bool portable) {
    if (rows == 0 || tables.trees.empty()) return;
    if (rows < kLanes) {
        // Too few rows to fill the lanes: each row takes the single-row kernel.
        for (std::size_t r = 0; r < rows; ++r)
            addPathTableContributionsOfRow(model, tables, X + r * cols, out + r * cols, portable);
        return;
    }
#ifdef CWB_PATH_TABLES_AVX2
    if (!portable && cpuHasAvx2()) {
        explainRowsAvx2(model, tables, X, rows, cols, out);
        return;
    }
#endif
    explainRowsPortable(model, tables, X, rows, cols, out);
}

}  // namespace cwb::detail
