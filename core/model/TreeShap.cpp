// Exact path-dependent TreeSHAP by Gauss-Legendre quadrature of the Shapley weight integral.
// See model/TreeShap.h for the formula. Notation used below, per node c other than a root:
//   z_c  product of the cover shares of c and of every edge on c's path that splits on the same
//        feature as c's parent (XGBoost's "zero fraction" after merging repeated features),
//   o_c  1 when the row follows c and every such same-feature edge above it, else 0,
//   g_c(t) = o_c * t + (1 - t) * z_c, the feature's factor in the leaf integrands below c,
//   P_c(t)  the product of the current factor of every feature on the path down to c.
// A repeated feature replaces its earlier factor, so P_c = P_parent * g_c / g_prev, where prev is
// the edge of the nearest ancestor split on the same feature. Since o is 0 or 1, the ratio takes
// one of three values per node (prev hot and c hot, prev hot and c cold, prev cold), tabulated
// at load time together with the leaf value, so a row costs one multiplication per node and
// quadrature point on the way down, where a leaf's slot ends up holding v * P_leaf.
// On the way up, S_c(t) sums v * P_leaf over the leaves below c, and the parent's feature i is
// credited (o_c - z_c) * sum_q w_q * S_c(t_q) / g_c(t_q) (that weight is tabulated for o_c = 0
// and 1). Leaves below a deeper split on the same feature i carry a newer factor for i and are
// credited there, so that deeper split n' takes its S_n' back out of prev's credit.
//
// Cost per row and tree: two passes over the splits with a few operations per quadrature point,
// against O(leaves * depth^2) for the classic recursion. Four rows share each pass in SIMD lanes.

#include "model/TreeShap.h"

#include "model/GaussLegendre.h"
#include "model/ShapPathTables.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace cwb {

namespace detail {

struct ShapTables {
    // Per node slot c other than a root, five vectors of `points` values:
    static constexpr std::size_t kHot = 0;         // P ratio, prev hot, c hot (times v at a leaf)
    static constexpr std::size_t kCold = 1;        // P ratio, prev hot, c cold (times v at a leaf)
    static constexpr std::size_t kPrevCold = 2;    // P ratio, prev cold (times v at a leaf)
    static constexpr std::size_t kCreditHot = 3;   // w (1 - z) / g when o_c = 1
    static constexpr std::size_t kCreditCold = 4;  // w (0 - z) / g when o_c = 0
    static constexpr std::size_t kVectors = 5;

    // A split as the kernels read it: one record per split, in breadth-first order, so the walks
    // never test for leaves (a leaf test per node is a branch the predictor cannot learn over
    // many trees) and a split's parent always comes before it.
    struct Split {
        TreeEnsemble::Node node;  // feature, threshold and flags, for TreeEnsemble::goesLeft
        std::int32_t self = 0, left = 0, right = 0;  // slots: local node indices
        // Slot of the edge through which the path passed the nearest ancestor split on the same
        // feature. Without one, the tree's spare slot (nodeCount), whose o is 1 and whose
        // credits are 0, which keeps the kernel free of branches.
        std::int32_t previous = 0;
    };
    struct TreeTables {
        std::uint32_t points = 1;    // Gauss-Legendre points that make this tree's integrals exact
        std::uint32_t slots = 1;     // nodeCount + the spare slot
        std::size_t firstSplit = 0;  // into splits
        std::size_t splitCount = 0;
        std::size_t vectorBase = 0;  // into vectors: slots * kVectors * points values
    };
    std::vector<TreeTables> trees;
    std::vector<Split> splits;
    std::vector<double> vectors;
    std::uint32_t maxPoints = 1;
    std::uint32_t maxSlots = 1;
};

std::shared_ptr<const ShapTables> buildShapTables(const TreeEnsemble& model) {
    auto tables = std::make_shared<ShapTables>();
    const auto nodes = model.nodes();
    const auto shares = model.coverShares();
    tables->trees.resize(model.treeCount());
    std::vector<QuadratureRule> rules(1);  // rules[m] has m points; built on demand
    std::vector<std::int32_t> lastEdge(model.featureCount(), -1);
    std::vector<double> zero;
    std::vector<std::int32_t> previous;
    std::vector<std::uint32_t> unique, parent;

    struct Open {
        std::int32_t node, feature, savedEdge;
    };
    std::vector<Open> path;
    for (std::size_t t = 0; t < model.treeCount(); ++t) {
        const auto& tree = model.trees()[t];
        const std::uint32_t first = tree.firstNode, count = tree.nodeCount;
        zero.assign(count, 1.0);
        previous.assign(count, -1);
        unique.assign(count, 0);
        parent.assign(count, 0);
        for (std::uint32_t k = 0; k < count; ++k) {
            if (!nodes[first + k].isLeaf()) {
                parent[k + 1] = k;
                parent[static_cast<std::uint32_t>(nodes[first + k].right) - first] = k;
            }
        }
        // Preorder walk with the open splits on a stack; lastEdge[f] is the edge through which
        // the path passed the nearest split on f, restored as splits close.
        std::uint32_t deepest = 0;
        path.clear();
        for (std::uint32_t k = 0; k < count; ++k) {
            if (k != 0) {
                while (path.back().node != static_cast<std::int32_t>(parent[k])) {
                    lastEdge[path.back().feature] = path.back().savedEdge;
                    path.pop_back();
                }
                const Open& up = path.back();
                const std::int32_t prev = previous[up.node];
                zero[k] = (prev >= 0 ? zero[prev] : 1.0) * shares[first + k];
                unique[k] = unique[up.node] + (prev >= 0 ? 0 : 1);
                lastEdge[up.feature] = static_cast<std::int32_t>(k);
            }
            const auto& node = nodes[first + k];
            if (node.isLeaf()) {
                deepest = std::max(deepest, unique[k]);
            } else {
                previous[k] = lastEdge[node.feature];
                path.push_back(
                    {static_cast<std::int32_t>(k), node.feature, lastEdge[node.feature]});
            }
        }
        for (; !path.empty(); path.pop_back())
            lastEdge[path.back().feature] = path.back().savedEdge;

        // A leaf's integrand has degree (unique features - 1): ceil(deepest / 2) points suffice.
        const std::uint32_t m = std::max<std::uint32_t>(1, (deepest + 1) / 2);
        while (rules.size() <= m)
            rules.push_back(gaussLegendre(static_cast<std::uint32_t>(rules.size())));
        tables->maxPoints = std::max(tables->maxPoints, m);
        tables->maxSlots = std::max(tables->maxSlots, count + 1);
        auto& tt = tables->trees[t];
        tt.points = m;
        tt.slots = count + 1;
        tt.firstSplit = tables->splits.size();
        tt.vectorBase = tables->vectors.size();
        const std::size_t stride = ShapTables::kVectors * m;
        const auto spare = static_cast<std::int32_t>(count);
        tables->vectors.resize(tables->vectors.size() + std::size_t{tt.slots} * stride, 0.0);
        const QuadratureRule& rule = rules[m];
        // Splits in breadth-first order: consecutive records are then siblings or cousins,
        // independent of each other, so the CPU overlaps them. In depth-first order each split
        // would wait for its parent's stores (P and o) to reach it through memory.
        const auto addSplit = [&](std::int32_t k) {
            const auto& node = nodes[first + static_cast<std::uint32_t>(k)];
            if (node.isLeaf()) return;
            ShapTables::Split split;
            split.node = node;
            split.self = k;
            split.left = k + 1;
            split.right = node.right - static_cast<std::int32_t>(first);
            split.previous = previous[k] >= 0 ? previous[k] : spare;
            tables->splits.push_back(split);
        };
        addSplit(0);
        for (std::size_t next = tt.firstSplit; next < tables->splits.size(); ++next) {
            const ShapTables::Split queued = tables->splits[next];  // a copy: push_back moves
            addSplit(queued.left);
            addSplit(queued.right);
        }
        for (std::uint32_t k = 1; k < count; ++k) {
            const auto& node = nodes[first + k];
            const std::int32_t prev = previous[parent[k]];
            // Folding the leaf value into the ratios leaves v * P_leaf in a leaf's slot.
            const double value = node.isLeaf() ? node.value : 1.0;
            double* v = tables->vectors.data() + tt.vectorBase + std::size_t{k} * stride;
            for (std::uint32_t q = 0; q < m; ++q) {
                const double tq = rule.t[q], wq = rule.w[q];
                const double hot = tq + (1.0 - tq) * zero[k];
                const double cold = (1.0 - tq) * zero[k];
                // Below a same-feature edge that was hot, divide out its factor (never 0: t > 0).
                // Below one that was cold, both factors are (1 - t) z: their ratio is the share.
                const double above = prev >= 0 ? tq + (1.0 - tq) * zero[prev] : 1.0;
                v[ShapTables::kHot * m + q] = value * hot / above;
                v[ShapTables::kCold * m + q] = value * cold / above;
                v[ShapTables::kPrevCold * m + q] = value * shares[first + k];
                v[ShapTables::kCreditHot * m + q] = (1.0 - zero[k]) * wq / hot;
                // o = z = 0 makes (o - z) vanish; otherwise (0 - z) w / ((1 - t) z).
                v[ShapTables::kCreditCold * m + q] = zero[k] > 0.0 ? -wq / (1.0 - tq) : 0.0;
            }
        }
        tt.splitCount = tables->splits.size() - tt.firstSplit;
    }
    return tables;
}

}  // namespace detail

namespace {

using detail::ShapTables;

// Four rows go through a tree together, one per SIMD lane (GCC/Clang vector extensions: one
// AVX2 instruction or two SSE2 ones per operation, no intrinsics). All the per-split work that
// does not depend on the row (reading the split, finding slots and table entries) is then done
// once for four rows, and nothing branches on the data: the row's direction is as good as
// random to the branch predictor, so choices are lane-wise selects.
constexpr std::size_t kLanes = 4;
typedef double Lanes __attribute__((vector_size(kLanes * sizeof(double))));
typedef std::int64_t LaneMask __attribute__((vector_size(kLanes * sizeof(double))));
typedef float RowValues __attribute__((vector_size(kLanes * sizeof(float))));
typedef std::int32_t RowMask __attribute__((vector_size(kLanes * sizeof(float))));

// Lane-wise `mask ? a : b` for masks that are all ones or all zeros per lane, as bit operations:
// the vector ?: of the extension first compares the mask with 0, which baseline x86-64 (SSE2,
// no 64-bit lane compare) emulates slowly. A macro because a function taking or returning a
// 32-byte vector changes ABI between the clones below (GCC warns, -Wpsabi).
#define CWB_SELECT(mask, a, b) ((Lanes)(((LaneMask)(a) & (mask)) | ((LaneMask)(b) & ~(mask))))

// Scratch for one call: per slot, M vectors of lanes (P down, S up) and the lanes' o.
struct Scratch {
    // One Lanes or LaneMask value each; plain structs keep std::vector free of vector types, and
    // their element types match the vectors' (GCC lets a vector alias its element type).
    struct alignas(32) Slot {
        double lane[kLanes];
    };
    struct alignas(32) MaskSlot {
        std::int64_t lane[kLanes];
    };
    std::vector<Slot> values;
    std::vector<MaskSlot> follows;
};

// One tree, four rows (lanes >= 1 of them real; the others repeat a real row and are not
// written back), M points fixed at compile time.
template <int M>
[[gnu::always_inline]] inline void explainTreeLanes(const TreeEnsemble& model,
                                                    const ShapTables::TreeTables& tree,
                                                    const ShapTables::Split* splits,
                                                    const double* table, const float* const* rows,
                                                    double* const* phi, std::size_t lanes,
                                                    Scratch& scratch) {
    constexpr std::size_t stride = ShapTables::kVectors * M;
    Lanes* V = reinterpret_cast<Lanes*>(scratch.values.data());
    LaneMask* o = reinterpret_cast<LaneMask*>(scratch.follows.data());  // o per slot
    const LaneMask all = {-1, -1, -1, -1};
    for (std::size_t q = 0; q < M; ++q)
        V[q] = Lanes{1.0, 1.0, 1.0, 1.0};
    o[0] = all;
    o[tree.slots - 1] = all;  // the spare slot: "no earlier split on this feature"

    for (std::size_t s = 0; s < tree.splitCount; ++s) {
        const ShapTables::Split& split = splits[s];
        LaneMask left;
        if (split.node.categorical()) [[unlikely]] {
            for (std::size_t l = 0; l < kLanes; ++l)
                left[l] = model.goesLeft(split.node, rows[l]) ? -1 : 0;
        } else {
            // Compared in float, as XGBoost does, then widened to 64-bit lane masks; written
            // this way the baseline build also compares all lanes with one instruction.
            const auto f = static_cast<std::size_t>(split.node.feature);
            const RowValues x = {rows[0][f], rows[1][f], rows[2][f], rows[3][f]};
            const float t = split.node.value;
            const std::int32_t missingLeft = split.node.defaultLeft() ? -1 : 0;
            const RowMask narrow =
                (x < RowValues{t, t, t, t}) |
                ((x != x) & RowMask{missingLeft, missingLeft, missingLeft, missingLeft});
            left = __builtin_convertvector(narrow, LaneMask);
        }
        const LaneMask reach = o[split.previous];  // the same-feature edge above was hot
        const LaneMask oLeft = reach & left, oRight = reach & ~left;
        o[split.left] = oLeft;
        o[split.right] = oRight;
        const double* tl = table + split.left * stride;
        const double* tr = table + split.right * stride;
        const Lanes* pk = V + split.self * M;
        Lanes* pl = V + split.left * M;
        Lanes* pr = V + split.right * M;
        for (std::size_t q = 0; q < M; ++q) {
            const double hotL = tl[ShapTables::kHot * M + q], coldL = tl[ShapTables::kCold * M + q];
            const double hotR = tr[ShapTables::kHot * M + q], coldR = tr[ShapTables::kCold * M + q];
            const double prevColdL = tl[ShapTables::kPrevCold * M + q];
            const double prevColdR = tr[ShapTables::kPrevCold * M + q];
            // o of the child says "hot" exactly when the hot ratio applies.
            const Lanes ratioL =
                CWB_SELECT(oLeft, (Lanes{hotL, hotL, hotL, hotL}),
                           CWB_SELECT(reach, (Lanes{coldL, coldL, coldL, coldL}),
                                      (Lanes{prevColdL, prevColdL, prevColdL, prevColdL})));
            const Lanes ratioR =
                CWB_SELECT(oRight, (Lanes{hotR, hotR, hotR, hotR}),
                           CWB_SELECT(reach, (Lanes{coldR, coldR, coldR, coldR}),
                                      (Lanes{prevColdR, prevColdR, prevColdR, prevColdR})));
            const Lanes p = pk[q];
            pl[q] = p * ratioL;
            pr[q] = p * ratioR;
        }
    }
    for (std::size_t s = tree.splitCount; s-- > 0;) {
        const ShapTables::Split& split = splits[s];
        const LaneMask oL = o[split.left], oR = o[split.right], oP = o[split.previous];
        const double* tl = table + split.left * stride;
        const double* tr = table + split.right * stride;
        const double* tp = table + split.previous * stride;
        const Lanes* sl = V + split.left * M;
        const Lanes* sr = V + split.right * M;
        Lanes* sk = V + split.self * M;
        Lanes credit = {0.0, 0.0, 0.0, 0.0};
        for (std::size_t q = 0; q < M; ++q) {
            const double hotL = tl[ShapTables::kCreditHot * M + q];
            const double coldL = tl[ShapTables::kCreditCold * M + q];
            const double hotR = tr[ShapTables::kCreditHot * M + q];
            const double coldR = tr[ShapTables::kCreditCold * M + q];
            const double hotP = tp[ShapTables::kCreditHot * M + q];
            const double coldP = tp[ShapTables::kCreditCold * M + q];
            const Lanes kl = CWB_SELECT(oL, (Lanes{hotL, hotL, hotL, hotL}),
                                        (Lanes{coldL, coldL, coldL, coldL}));
            const Lanes kr = CWB_SELECT(oR, (Lanes{hotR, hotR, hotR, hotR}),
                                        (Lanes{coldR, coldR, coldR, coldR}));
            const Lanes kp = CWB_SELECT(oP, (Lanes{hotP, hotP, hotP, hotP}),
                                        (Lanes{coldP, coldP, coldP, coldP}));
            const Lanes a = sl[q], b = sr[q];
            const Lanes sum = a + b;
            credit += kl * a + kr * b - kp * sum;
            sk[q] = sum;
        }
        const auto f = static_cast<std::size_t>(split.node.feature);
        for (std::size_t l = 0; l < lanes; ++l)
            phi[l][f] += credit[l];
    }
}

#undef CWB_SELECT

// The same for one row and any point count (trees deeper than 16 distinct features on a path),
// with plain loops.
[[gnu::always_inline]] inline void explainTreeAnyWidth(const TreeEnsemble& model,
                                                       const ShapTables::TreeTables& tree,
                                                       const ShapTables::Split* splits,
                                                       const double* table, const float* row,
                                                       double* phi, double* V, std::int64_t* o) {
    const std::size_t m = tree.points, stride = ShapTables::kVectors * m;
    for (std::size_t q = 0; q < m; ++q)
        V[q] = 1.0;
    o[0] = 1;
    o[tree.slots - 1] = 1;
    for (std::size_t s = 0; s < tree.splitCount; ++s) {
        const ShapTables::Split& split = splits[s];
        const bool left = model.goesLeft(split.node, row);
        const bool reach = o[split.previous] != 0;
        const std::size_t choiceL =
            reach ? (left ? ShapTables::kHot : ShapTables::kCold) : ShapTables::kPrevCold;
        const std::size_t choiceR =
            reach ? (left ? ShapTables::kCold : ShapTables::kHot) : ShapTables::kPrevCold;
        const double* tl = table + split.left * stride + choiceL * m;
        const double* tr = table + split.right * stride + choiceR * m;
        for (std::size_t q = 0; q < m; ++q) {
            const double p = V[split.self * m + q];
            V[split.left * m + q] = p * tl[q];
            V[split.right * m + q] = p * tr[q];
        }
        o[split.left] = reach && left ? 1 : 0;
        o[split.right] = reach && !left ? 1 : 0;
    }
    const auto credits = [&](std::int32_t slot) {
        return table + slot * stride +
               (o[slot] != 0 ? ShapTables::kCreditHot : ShapTables::kCreditCold) * m;
    };
    for (std::size_t s = tree.splitCount; s-- > 0;) {
        const ShapTables::Split& split = splits[s];
        const double *kl = credits(split.left), *kr = credits(split.right);
        const double* kp = credits(split.previous);
        double credit = 0.0;
        for (std::size_t q = 0; q < m; ++q) {
            const double a = V[split.left * m + q], b = V[split.right * m + q];
            credit += kl[q] * a + kr[q] * b - kp[q] * (a + b);
            V[split.self * m + q] = a + b;
        }
        phi[split.node.feature] += credit;
    }
}

// One tree over a block of rows.
template <int M>
[[gnu::always_inline]] inline void explainBlock(const TreeEnsemble& model, const ShapTables& tables,
                                                std::size_t t, const float* X, std::size_t rows,
                                                std::size_t cols, double* out, Scratch& scratch) {
    const auto& tree = tables.trees[t];
    const ShapTables::Split* splits = tables.splits.data() + tree.firstSplit;
    const double* table = tables.vectors.data() + tree.vectorBase;
    if constexpr (M > 0) {
        for (std::size_t r = 0; r < rows; r += kLanes) {
            const std::size_t lanes = std::min(kLanes, rows - r);
            const float* rowOf[kLanes];
            double* phiOf[kLanes];
            for (std::size_t l = 0; l < kLanes; ++l) {
                const std::size_t row = r + std::min(l, lanes - 1);
                rowOf[l] = X + row * cols;
                phiOf[l] = out + row * cols;
            }
            explainTreeLanes<M>(model, tree, splits, table, rowOf, phiOf, lanes, scratch);
        }
    } else {
        double* V = &scratch.values.data()->lane[0];
        std::int64_t* o = &scratch.follows.data()->lane[0];
        for (std::size_t r = 0; r < rows; ++r)
            explainTreeAnyWidth(model, tree, splits, table, X + r * cols, out + r * cols, V, o);
    }
}

[[gnu::always_inline]] inline void explainTreeOverBlock(const TreeEnsemble& model,
                                                        const ShapTables& tables, std::size_t t,
                                                        const float* X, std::size_t rows,
                                                        std::size_t cols, double* out,
                                                        Scratch& scratch) {
    switch (tables.trees[t].points) {
        case 1:
            explainBlock<1>(model, tables, t, X, rows, cols, out, scratch);
            break;
        case 2:
            explainBlock<2>(model, tables, t, X, rows, cols, out, scratch);
            break;
        case 3:
            explainBlock<3>(model, tables, t, X, rows, cols, out, scratch);
            break;
        case 4:
            explainBlock<4>(model, tables, t, X, rows, cols, out, scratch);
            break;
        case 5:
            explainBlock<5>(model, tables, t, X, rows, cols, out, scratch);
            break;
        case 6:
            explainBlock<6>(model, tables, t, X, rows, cols, out, scratch);
            break;
        case 7:
            explainBlock<7>(model, tables, t, X, rows, cols, out, scratch);
            break;
        case 8:
            explainBlock<8>(model, tables, t, X, rows, cols, out, scratch);
            break;
        default:
            explainBlock<0>(model, tables, t, X, rows, cols, out, scratch);
            break;
    }
}

// Each tree not covered by lookup tables (all of them when `covered` is null) over a block of
// rows.
[[gnu::always_inline]] inline void explainTreesOverBlock(const TreeEnsemble& model,
                                                         const ShapTables& tables,
                                                         const char* covered, const float* X,
                                                         std::size_t rows, std::size_t cols,
                                                         double* out, Scratch& scratch) {
    for (std::size_t t = 0; t < model.treeCount(); ++t)
        if (!covered || !covered[t])
            explainTreeOverBlock(model, tables, t, X, rows, cols, out, scratch);
}

// On x86-64 the kernel is compiled twice, for the baseline and for x86-64-v3 (AVX2), and picked
// at run time for the CPU: the four lanes then take one instruction instead of two, while the
// package stays runnable on any x86-64. This file is built with -ffp-contract=off
// (core/CMakeLists.txt): GCC would otherwise fuse multiplies and adds into FMA in the AVX2
// build only, and the two would differ in the last bits.
#if defined(__x86_64__) && defined(__GNUC__)
#define CWB_TREESHAP_AVX2 1
__attribute__((target("arch=x86-64-v3"))) void explainTreesOverBlockAvx2(
    const TreeEnsemble& model, const ShapTables& tables, const char* covered, const float* X,
    std::size_t rows, std::size_t cols, double* out, Scratch& scratch) {
    explainTreesOverBlock(model, tables, covered, X, rows, cols, out, scratch);
}

bool cpuHasAvx2() {
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has;
}
#endif

void explainTreesOverBlockPortable(const TreeEnsemble& model, const ShapTables& tables,
                                   const char* covered, const float* X, std::size_t rows,
                                   std::size_t cols, double* out, Scratch& scratch) {
    explainTreesOverBlock(model, tables, covered, X, rows, cols, out, scratch);
}

// The quadrature walk for every tree that `covered` (one flag per tree, or null for none)
// leaves out, adding into out.
void addQuadratureContributions(const TreeEnsemble& model, const char* covered, const float* X,
                                std::size_t rows, std::size_t cols, double* out, bool portable) {
    const ShapTables& tables = model.shapTables();
    Scratch scratch;
    // Four lanes per slot and point for the lane kernel, or one row's slots x points for the
    // any-width kernel: the same size.
    scratch.values.resize(std::size_t{tables.maxSlots} * tables.maxPoints);
    scratch.follows.resize(tables.maxSlots);
    // Rows are taken in blocks and each tree runs over the whole block, so the tree's splits and
    // tables stay in L1 while the block's outputs (block x cols doubles) do too.
    constexpr std::size_t kBlock = 32;
    for (std::size_t begin = 0; begin < rows; begin += kBlock) {
        const std::size_t count = std::min(rows, begin + kBlock) - begin;
#ifdef CWB_TREESHAP_AVX2
        if (!portable && cpuHasAvx2()) {
            explainTreesOverBlockAvx2(model, tables, covered, X + begin * cols, count, cols,
                                      out + begin * cols, scratch);
            continue;
        }
#endif
        explainTreesOverBlockPortable(model, tables, covered, X + begin * cols, count, cols,
                                      out + begin * cols, scratch);
    }
}

void checkColumns(const TreeEnsemble& model, std::size_t cols) {
    if (cols < model.featureCount())
        throw std::invalid_argument("contributions: fewer columns than the model's features");
}

}  // namespace

namespace detail {

void contributionsWith(const TreeEnsemble& model, const PathTables& pathTables, const float* X,
                       std::size_t rows, std::size_t cols, double* out, double* bias,
                       bool portable) {
    checkColumns(model, cols);
    std::fill(out, out + rows * cols, 0.0);
    std::fill(bias, bias + rows, model.expectedMargin());
    addPathTableContributions(model, pathTables, X, rows, cols, out, portable);
    if (pathTables.trees.size() < model.treeCount())
        addQuadratureContributions(model, pathTables.covered.data(), X, rows, cols, out, portable);
}

}  // namespace detail

void contributions(const TreeEnsemble& model, const float* X, std::size_t rows, std::size_t cols,
                   double* out, double* bias, ShapOptions options) {
    if (!options.quadratureOnly) {
        detail::contributionsWith(model, model.pathTables(), X, rows, cols, out, bias,
                                  options.portable);
        return;
    }
    checkColumns(model, cols);
    std::fill(out, out + rows * cols, 0.0);
    std::fill(bias, bias + rows, model.expectedMargin());
    addQuadratureContributions(model, nullptr, X, rows, cols, out, options.portable);
}

ShapTableReport shapTableReport(const TreeEnsemble& model) {
    const detail::PathTables& tables = model.pathTables();
    ShapTableReport report;
    report.treesWithTables = tables.trees.size();
    report.treesWithout = model.treeCount() - tables.trees.size();
    report.tableBytes = tables.bytes();
    return report;
}

}  // namespace cwb
