#include "model/DenseForest.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/TreeEnsemble.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CWB_DENSE_AVX2 1
#endif

namespace cwb {

namespace {

constexpr std::size_t kBlock = 64;   // rows that go through all trees before the next rows
constexpr std::size_t kPad = 32;     // slots a tree's top levels take in four AVX2 registers
constexpr std::size_t kFewRows = 8;  // fewer rows than this take the scalar kernel

// Lays one node (and, for a leaf above the full depth, its "always right" padding) into the
// complete tree rooted at slot `slot` on level `level`.
struct Filler {
    const TreeEnsemble& model;
    const TreeEnsemble::Tree& tree;
    std::uint32_t* feature;
    float* threshold;
    float* leaf;
    std::uint32_t defaultLeftBit;

    void fill(std::uint32_t node, std::uint32_t slot, std::uint32_t level) const {
        const auto& n = model.nodes()[node];
        const std::uint32_t splits = (1u << tree.depth) - 1;
        if (level == tree.depth) {
            leaf[slot - splits] = n.value;  // preorder guarantees a leaf here
            return;
        }
        if (n.isLeaf()) {
            // NaN never compares less and the missing bit is clear: always right.
            feature[slot] = 0;
            threshold[slot] = std::numeric_limits<float>::quiet_NaN();
            fill(node, 2 * slot + 2, level + 1);
            fill(node, 2 * slot + 1, level + 1);  // unreachable, but keeps the arrays defined
            return;
        }
        feature[slot] =
            static_cast<std::uint32_t>(n.feature) | (n.defaultLeft() ? defaultLeftBit : 0);
        threshold[slot] = n.value;
        fill(node + 1, 2 * slot + 1, level + 1);
        fill(static_cast<std::uint32_t>(n.right), 2 * slot + 2, level + 1);
    }
};

#ifdef CWB_DENSE_AVX2
bool cpuHasAvx2() {
    static const bool has = __builtin_cpu_supports("avx2");
    return has;
}
bool cpuHasAvx512() {
    static const bool has = __builtin_cpu_supports("avx512f");
    return has;
}
#endif

}  // namespace

std::unique_ptr<DenseForest> DenseForest::build(const TreeEnsemble& model) {
    for (const auto& node : model.nodes())
        if (!node.isLeaf() && node.categorical()) return nullptr;
    auto forest = std::unique_ptr<DenseForest>(new DenseForest());
    std::size_t splits = 0, leaves = 0;
    for (const auto& tree : model.trees()) {
        if (tree.depth > kMaxDepth) return nullptr;
        splits += (std::size_t{1} << tree.depth) - 1;
        leaves += std::size_t{1} << tree.depth;
    }
    // kPad spare slots at the end let the vector kernel load a tree's first 32 slots whole.
    forest->m_splitFeature.assign(splits + kPad, 0);
    forest->m_threshold.assign(splits + kPad, 0.0f);
    forest->m_leafValue.assign(leaves + kPad, 0.0f);
    std::uint32_t splitAt = 0, leafAt = 0;
    for (const auto& tree : model.trees()) {
        forest->m_trees.push_back({tree.depth, splitAt, leafAt});
        const Filler filler{model,
                            tree,
                            forest->m_splitFeature.data() + splitAt,
                            forest->m_threshold.data() + splitAt,
                            forest->m_leafValue.data() + leafAt,
                            kDefaultLeft};
        filler.fill(tree.firstNode, 0, 0);
        splitAt += (1u << tree.depth) - 1;
        leafAt += 1u << tree.depth;
    }
    return forest;
}

const char* DenseForest::kernelName() {
#ifdef CWB_DENSE_AVX2
    if (cpuHasAvx512()) return "avx512";
    if (cpuHasAvx2()) return "avx2";
#endif
    return "scalar";
}

void DenseForest::predictMargin(const float* X, std::size_t rows, std::size_t cols,
                                float baseMargin, double* margins, Kernel kernel) const {
#ifdef CWB_DENSE_AVX2
    // Lane offsets are 32-bit; a block of rows that wide is far beyond any credit file. A few
    // rows (one applicant) take the scalar loop: the vector kernels always fill 64 lanes, and
    // the scalar one overlaps the trees' independent descents just as well for one row.
    if (kernel != Kernel::Scalar && rows >= kFewRows && cols * kBlock < (std::size_t{1} << 30)) {
        if (kernel == Kernel::Widest && cpuHasAvx512()) {
            predictAvx512(X, rows, cols, baseMargin, margins);
            return;
        }
        if (cpuHasAvx2()) {
            predictAvx2(X, rows, cols, baseMargin, margins);
            return;
        }
    }
#endif
    predictScalar(X, rows, cols, baseMargin, margins);
}

namespace {

// One level down from slot: 2 * slot + 1 when the row goes left, else 2 * slot + 2.
inline std::uint32_t step(std::uint32_t slot, const std::uint32_t* feature, const float* threshold,
                          const float* row, std::uint32_t defaultLeftBit) {
    const std::uint32_t f = feature[slot];
    const float x = row[f & ~defaultLeftBit];
    const std::uint32_t left = static_cast<std::uint32_t>(x < threshold[slot]) |
                               (static_cast<std::uint32_t>(std::isnan(x)) & (f >> 31));
    return 2 * slot + 2 - left;
}

}  // namespace

float DenseForest::predictOne(const float* row, float baseMargin) const {
    const auto leafOf = [&](const Tree& tree, std::uint32_t slot) {
        return m_leafValue[tree.firstLeaf + slot - ((1u << tree.depth) - 1)];
    };
    // Four trees of equal depth descend in lockstep: their chains of dependent loads overlap,
    // which a single row needs (its trees' nodes are often not in the nearest caches). The sum
    // still takes the leaves in tree order.
    constexpr std::size_t kTogether = 4;
    float sum = baseMargin;
    for (std::size_t t = 0; t < m_trees.size(); t += kTogether) {
        const Tree* trees = m_trees.data() + t;
        const std::size_t count = std::min(kTogether, m_trees.size() - t);
        bool same = count == kTogether;
        for (std::size_t k = 1; k < count; ++k)
            same &= trees[k].depth == trees[0].depth;
        std::uint32_t slot[kTogether] = {};
        if (same) {
            for (std::uint32_t level = 0; level < trees[0].depth; ++level) {
                for (std::size_t k = 0; k < kTogether; ++k)
                    slot[k] = step(slot[k], m_splitFeature.data() + trees[k].firstSplit,
                                   m_threshold.data() + trees[k].firstSplit, row, kDefaultLeft);
            }
        } else {
            for (std::size_t k = 0; k < count; ++k) {
                for (std::uint32_t level = 0; level < trees[k].depth; ++level)
                    slot[k] = step(slot[k], m_splitFeature.data() + trees[k].firstSplit,
                                   m_threshold.data() + trees[k].firstSplit, row, kDefaultLeft);
            }
        }
        for (std::size_t k = 0; k < count; ++k)
            sum += leafOf(trees[k], slot[k]);
    }
    return sum;
}

void DenseForest::predictScalar(const float* X, std::size_t rows, std::size_t cols,
                                float baseMargin, double* margins) const {
    if (rows < kFewRows) {
        for (std::size_t r = 0; r < rows; ++r)
            margins[r] = predictOne(X + r * cols, baseMargin);
        return;
    }
    float sums[kBlock];
    for (std::size_t begin = 0; begin < rows; begin += kBlock) {
        const std::size_t count = std::min(kBlock, rows - begin);
        std::fill(sums, sums + count, baseMargin);
        for (const Tree& tree : m_trees) {
            const std::uint32_t* feature = m_splitFeature.data() + tree.firstSplit;
            const float* threshold = m_threshold.data() + tree.firstSplit;
            const float* leaf = m_leafValue.data() + tree.firstLeaf;
            const std::uint32_t splits = (1u << tree.depth) - 1;
            for (std::size_t i = 0; i < count; ++i) {
                const float* row = X + (begin + i) * cols;
                std::uint32_t slot = 0;
                for (std::uint32_t level = 0; level < tree.depth; ++level) {
                    const std::uint32_t f = feature[slot];
                    const float x = row[f & ~kDefaultLeft];
                    const std::uint32_t left =
                        static_cast<std::uint32_t>(x < threshold[slot]) |
                        (static_cast<std::uint32_t>(std::isnan(x)) & (f >> 31));
                    slot = 2 * slot + 2 - left;
                }
                sums[i] += leaf[slot - splits];
            }
        }
        for (std::size_t i = 0; i < count; ++i)
            margins[begin + i] = sums[i];
    }
}

#ifdef CWB_DENSE_AVX2
namespace {

// Up to 32 slots (features, thresholds or leaf values, as raw 32-bit patterns) held in four
// registers, looked up per lane by permutes and blends: a few cycles, where a gather takes many.
// `registers` is 1, 2 or 4: how many of them the indices can reach.
__attribute__((target("avx2"))) inline __m256 lookup(const __m256* table, __m256i index,
                                                     int registers) {
    const __m256 low = _mm256_permutevar8x32_ps(table[0], index);
    if (registers == 1) return low;
    // blendv takes the sign bit: bit 3 (and bit 4) of the index shifted up to bit 31.
    const __m256 bit3 = _mm256_castsi256_ps(_mm256_slli_epi32(index, 28));
    const __m256 first = _mm256_blendv_ps(low, _mm256_permutevar8x32_ps(table[1], index), bit3);
    if (registers == 2) return first;
    const __m256 second = _mm256_blendv_ps(_mm256_permutevar8x32_ps(table[2], index),
                                           _mm256_permutevar8x32_ps(table[3], index), bit3);
    return _mm256_blendv_ps(first, second, _mm256_castsi256_ps(_mm256_slli_epi32(index, 27)));
}

// A block's lanes before its first tree: each lane's row offset into the block and its sum at
// the base margin. Lanes past the last row repeat it; their sums are never read.
inline void startBlock(std::size_t count, std::size_t cols, float baseMargin, std::int32_t* offsets,
                       float* sums) {
    for (std::size_t i = 0; i < kBlock; ++i) {
        offsets[i] = static_cast<std::int32_t>(std::min(i, count - 1) * cols);
        sums[i] = baseMargin;
    }
}

// Registers a lookup needs for indices below `limit` (0 = too many: gather instead).
constexpr int registersFor(std::uint32_t limit) {
    return limit <= 8 ? 1 : limit <= 16 ? 2 : limit <= 32 ? 4 : 0;
}

}  // namespace

// Eight rows per vector, four vectors in lockstep, with no branch on the data. The top five
// levels and up to 32 leaves come from registers (lookup above); deeper levels gather. Every
// level gathers the rows' values of the split feature.
__attribute__((target("avx2"))) void DenseForest::predictAvx2(const float* X, std::size_t rows,
                                                              std::size_t cols, float baseMargin,
                                                              double* margins) const {
    constexpr std::size_t kLanes = 8, kVectors = 4;
    alignas(32) float sums[kBlock];
    alignas(32) std::int32_t offsets[kBlock];
    const __m256i featureMask = _mm256_set1_epi32(static_cast<int>(~kDefaultLeft));
    const __m256i two = _mm256_set1_epi32(2);
    for (std::size_t begin = 0; begin < rows; begin += kBlock) {
        const std::size_t count = std::min(kBlock, rows - begin);
        const float* block = X + begin * cols;
        startBlock(count, cols, baseMargin, offsets, sums);
        for (const Tree& tree : m_trees) {
            const auto* feature =
                reinterpret_cast<const float*>(m_splitFeature.data() + tree.firstSplit);
            const float* threshold = m_threshold.data() + tree.firstSplit;
            const float* leaf = m_leafValue.data() + tree.firstLeaf;
            __m256 featureTable[4], thresholdTable[4], leafTable[4];
            for (int q = 0; q < 4; ++q) {
                featureTable[q] = _mm256_loadu_ps(feature + 8 * q);
                thresholdTable[q] = _mm256_loadu_ps(threshold + 8 * q);
                leafTable[q] = _mm256_loadu_ps(leaf + 8 * q);
            }
            const std::uint32_t splits = (1u << tree.depth) - 1;
            const __m256i firstLeaf = _mm256_set1_epi32(static_cast<int>(splits));
            const int leafRegisters = registersFor(1u << tree.depth);
            for (std::size_t i = 0; i < count; i += kLanes * kVectors) {
                __m256i slot[kVectors], offset[kVectors];
                for (std::size_t v = 0; v < kVectors; ++v) {
                    slot[v] = _mm256_setzero_si256();
                    offset[v] = _mm256_load_si256(
                        reinterpret_cast<const __m256i*>(offsets + i + v * kLanes));
                }
                for (std::uint32_t level = 0; level < tree.depth; ++level) {
                    // Slots on this level end before 2^(level+1) - 1.
                    const int registers = registersFor((2u << level) - 1);
                    for (std::size_t v = 0; v < kVectors; ++v) {
                        __m256i f;
                        __m256 t;
                        if (registers > 0) {
                            f = _mm256_castps_si256(lookup(featureTable, slot[v], registers));
                            t = lookup(thresholdTable, slot[v], registers);
                        } else {
                            f = _mm256_i32gather_epi32(reinterpret_cast<const int*>(feature),
                                                       slot[v], 4);
                            t = _mm256_i32gather_ps(threshold, slot[v], 4);
                        }
                        const __m256i column =
                            _mm256_add_epi32(offset[v], _mm256_and_si256(f, featureMask));
                        const __m256 x = _mm256_i32gather_ps(block, column, 4);
                        const __m256i less = _mm256_castps_si256(_mm256_cmp_ps(x, t, _CMP_LT_OQ));
                        const __m256i missing =
                            _mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q));
                        // All ones (-1) when the row goes left: slot = 2 * slot + 2 - 1.
                        const __m256i left = _mm256_or_si256(
                            less, _mm256_and_si256(missing, _mm256_srai_epi32(f, 31)));
                        slot[v] = _mm256_add_epi32(
                            _mm256_add_epi32(_mm256_add_epi32(slot[v], slot[v]), two), left);
                    }
                }
                for (std::size_t v = 0; v < kVectors && i + v * kLanes < count; ++v) {
                    const __m256i index = _mm256_sub_epi32(slot[v], firstLeaf);
                    const __m256 value = leafRegisters > 0 ? lookup(leafTable, index, leafRegisters)
                                                           : _mm256_i32gather_ps(leaf, index, 4);
                    float* sum = sums + i + v * kLanes;
                    _mm256_store_ps(sum, _mm256_add_ps(_mm256_load_ps(sum), value));
                }
            }
        }
        for (std::size_t i = 0; i < count; ++i)
            margins[begin + i] = sums[i];
    }
}

// The AVX2 kernel's walk with sixteen rows per vector, on a transposed copy of the block (one
// 64-float column per feature), so that a split whose feature is the same in every lane reads
// its values with a plain load instead of a gather. The top three levels (seven splits) are
// decided that way for all lanes at once, as compare masks combined along the paths; deeper
// levels look their splits up with one two-register permute (a tree's first 32 split slots and
// its 32 leaves sit in two registers each) and gather the rows' values, as before. Gathers were
// most of a run without reasons (five per tree, now two for a depth-5 tree). Same leaves, same
// float sums in the same tree order: the same bits as the other kernels.
__attribute__((target("avx512f"))) void DenseForest::predictAvx512(const float* X, std::size_t rows,
                                                                   std::size_t cols,
                                                                   float baseMargin,
                                                                   double* margins) const {
    constexpr std::size_t kLanes = 16, kVectors = kBlock / kLanes;
    constexpr std::uint32_t kTopLevels = 3, kTopSplits = 7;
    alignas(64) float sums[kBlock];
    // column f of the block: rows' values of feature f, at f * kBlock. Rows past the block's
    // last repeat it; their sums are never read.
    std::vector<float> columns(cols * kBlock);
    static_assert(kBlock == 64, "a column starts at feature << 6");
    const __m512i featureMask = _mm512_set1_epi32(static_cast<int>(~kDefaultLeft));
    const __m512i two = _mm512_set1_epi32(2);
    const __m512i one = _mm512_set1_epi32(1);
    const __m512i four = _mm512_set1_epi32(4);
    const __m512i zero = _mm512_setzero_si512();
    // Gathers with a mask and a defined source: GCC 12 warns that the plain ones read an
    // undefined register (they do not, but -Werror).
    const __m512 zeroPs = _mm512_setzero_ps();
    constexpr __mmask16 kAll = 0xFFFF;
    __m512i laneRow[kVectors];
    for (std::size_t v = 0; v < kVectors; ++v)
        laneRow[v] = _mm512_add_epi32(
            _mm512_set1_epi32(static_cast<int>(v * kLanes)),
            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    for (std::size_t begin = 0; begin < rows; begin += kBlock) {
        const std::size_t count = std::min(kBlock, rows - begin);
        const float* block = X + begin * cols;
        for (std::size_t r = 0; r < kBlock; ++r) {
            const float* row = block + std::min(r, count - 1) * cols;
            for (std::size_t f = 0; f < cols; ++f)
                columns[f * kBlock + r] = row[f];
        }
        for (std::size_t i = 0; i < kBlock; ++i)
            sums[i] = baseMargin;
        for (const Tree& tree : m_trees) {
            const auto* feature =
                reinterpret_cast<const int*>(m_splitFeature.data() + tree.firstSplit);
            const float* threshold = m_threshold.data() + tree.firstSplit;
            const float* leaf = m_leafValue.data() + tree.firstLeaf;
            // kPad spare slots make these 32-slot loads safe for every tree.
            const __m512i featureLow = _mm512_loadu_si512(feature);
            const __m512i featureHigh = _mm512_loadu_si512(feature + 16);
            const __m512 thresholdLow = _mm512_loadu_ps(threshold);
            const __m512 thresholdHigh = _mm512_loadu_ps(threshold + 16);
            const __m512 leafLow = _mm512_loadu_ps(leaf);
            const __m512 leafHigh = _mm512_loadu_ps(leaf + 16);
            const std::uint32_t splits = (1u << tree.depth) - 1;
            const __m512i firstLeaf = _mm512_set1_epi32(static_cast<int>(splits));
            const bool leavesInRegisters = (1u << tree.depth) <= 32;
            // The top splits' columns, thresholds and missing-value directions.
            const bool top = tree.depth >= kTopLevels;
            const float* topColumn[kTopSplits] = {};
            __m512 topThreshold[kTopSplits];
            __mmask16 topMissingLeft[kTopSplits] = {};
            if (top) {
                for (std::uint32_t n = 0; n < kTopSplits; ++n) {
                    const auto word = static_cast<std::uint32_t>(feature[n]);
                    topColumn[n] = columns.data() + (word & ~kDefaultLeft) * kBlock;
                    topThreshold[n] = _mm512_set1_ps(threshold[n]);
                    topMissingLeft[n] = (word & kDefaultLeft) ? kAll : 0;
                }
            }
            __m512i slot[kVectors];
            for (std::size_t v = 0; v < kVectors; ++v) {
                if (!top) {
                    slot[v] = zero;
                    continue;
                }
                // Which rows go left at each of the seven splits, then along the paths.
                __mmask16 left[kTopSplits];
                for (std::uint32_t n = 0; n < kTopSplits; ++n) {
                    const __m512 x = _mm512_loadu_ps(topColumn[n] + v * kLanes);
                    left[n] = _mm512_cmp_ps_mask(x, topThreshold[n], _CMP_LT_OQ) |
                              (_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q) & topMissingLeft[n]);
                }
                const __mmask16 l0 = left[0];
                const __mmask16 l1 = (l0 & left[1]) | (~l0 & left[2]);
                const __mmask16 l2 = (l0 & l1 & left[3]) | (l0 & ~l1 & left[4]) |
                                     (~l0 & l1 & left[5]) | (~l0 & ~l1 & left[6]);
                // The level-3 slot: 7 + 4 * right0 + 2 * right1 + right2.
                __m512i s = _mm512_set1_epi32(static_cast<int>(kTopSplits));
                s = _mm512_mask_add_epi32(s, static_cast<__mmask16>(~l0), s, four);
                s = _mm512_mask_add_epi32(s, static_cast<__mmask16>(~l1), s, two);
                slot[v] = _mm512_mask_add_epi32(s, static_cast<__mmask16>(~l2), s, one);
            }
            for (std::uint32_t level = top ? kTopLevels : 0; level < tree.depth; ++level) {
                // Slots on this level end before 2^(level+1) - 1: the top five levels are in
                // the registers, deeper ones are gathered.
                const bool inRegisters = level < 5;
                for (std::size_t v = 0; v < kVectors; ++v) {
                    __m512i f;
                    __m512 t;
                    if (inRegisters) {
                        f = _mm512_permutex2var_epi32(featureLow, slot[v], featureHigh);
                        t = _mm512_permutex2var_ps(thresholdLow, slot[v], thresholdHigh);
                    } else {
                        f = _mm512_mask_i32gather_epi32(zero, kAll, slot[v], feature, 4);
                        t = _mm512_mask_i32gather_ps(zeroPs, kAll, slot[v], threshold, 4);
                    }
                    // kBlock = 64: the column starts at feature * 64.
                    const __m512i at = _mm512_add_epi32(
                        laneRow[v],
                        _mm512_mask_slli_epi32(zero, kAll, _mm512_and_si512(f, featureMask), 6));
                    const __m512 x = _mm512_mask_i32gather_ps(zeroPs, kAll, at, columns.data(), 4);
                    const __mmask16 left =
                        _mm512_cmp_ps_mask(x, t, _CMP_LT_OQ) |
                        (_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q) & _mm512_cmplt_epi32_mask(f, zero));
                    // 2 * slot + 2, less one where the row goes left.
                    const __m512i right = _mm512_add_epi32(_mm512_add_epi32(slot[v], slot[v]), two);
                    slot[v] = _mm512_mask_sub_epi32(right, left, right, one);
                }
            }
            for (std::size_t v = 0; v < kVectors && v * kLanes < count; ++v) {
                const __m512i index = _mm512_sub_epi32(slot[v], firstLeaf);
                const __m512 value = leavesInRegisters
                                         ? _mm512_permutex2var_ps(leafLow, index, leafHigh)
                                         : _mm512_mask_i32gather_ps(zeroPs, kAll, index, leaf, 4);
                float* sum = sums + v * kLanes;
                _mm512_store_ps(sum, _mm512_add_ps(_mm512_load_ps(sum), value));
            }
        }
        for (std::size_t i = 0; i < count; ++i)
            margins[begin + i] = sums[i];
    }
}
#else
void DenseForest::predictAvx2(const float* X, std::size_t rows, std::size_t cols, float baseMargin,
                              double* margins) const {
    predictScalar(X, rows, cols, baseMargin, margins);
}
void DenseForest::predictAvx512(const float* X, std::size_t rows, std::size_t cols,
                                float baseMargin, double* margins) const {
    predictScalar(X, rows, cols, baseMargin, margins);
}
#endif

}  // namespace cwb
