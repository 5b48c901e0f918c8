// Building the TreeSHAP lookup tables (see model/ShapPathTables.h for what they hold).
//
// For a leaf with value v whose path has the distinct features U, let z_j be the product of
// the cover shares of the path's edges on feature j and o_j be 1 when the row agrees with all
// of those edges (else 0). The leaf's Shapley share for i in U is
//     v * (o_i - z_i) * Integral_0^1 prod_{j in U, j != i} (o_j * t + (1 - t) * z_j) dt,
// a polynomial integral of degree |U| - 1 that Gauss-Legendre quadrature gives exactly. A
// leaf's shares depend on the row only through the o pattern over U: each leaf gets a small
// table over its 2^|U| patterns, and a block entry (one combination of decisions at the block's
// index splits) adds, for every leaf of the block, that leaf's row for the o pattern the
// decisions imply.

#include "model/ShapPathTables.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "model/GaussLegendre.h"

namespace cwb::detail {

namespace {

// One edge on a leaf's path: the split it leaves, the way it goes, and its child's cover share.
struct Edge {
    std::uint32_t bit;  // position of the split among the block's index bits
    bool left;
    std::uint32_t unique;  // which distinct feature of the path
};

// A leaf's shares for every o pattern over its distinct features: row p holds, for each
// feature u, the share when bit u of p is o_u.
class LeafShares {
public:
    LeafShares(double value, const std::vector<double>& zero, const QuadratureRule& rule)
        : m_width(zero.size()), m_values((std::size_t{1} << zero.size()) * zero.size()) {
        const std::size_t d = zero.size(), m = rule.t.size();
        std::vector<double> factor(d), prefix(d + 1), excluded(d);
        for (std::size_t pattern = 0; pattern < (std::size_t{1} << d); ++pattern) {
            std::fill(excluded.begin(), excluded.end(), 0.0);
            for (std::size_t q = 0; q < m; ++q) {
                const double t = rule.t[q];
                for (std::size_t u = 0; u < d; ++u)
                    factor[u] =
                        ((pattern >> u) & 1) ? t + (1.0 - t) * zero[u] : (1.0 - t) * zero[u];
                // Products without one factor from prefix and suffix products: no division, so
                // a factor of 0 (a zero cover share) is handled like any other.
                prefix[0] = 1.0;
                for (std::size_t u = 0; u < d; ++u)
                    prefix[u + 1] = prefix[u] * factor[u];
                double suffix = 1.0;
                for (std::size_t u = d; u-- > 0;) {
                    excluded[u] += rule.w[q] * prefix[u] * suffix;
                    suffix *= factor[u];
                }
            }
            double* row = m_values.data() + pattern * d;
            for (std::size_t u = 0; u < d; ++u) {
                const double o = (pattern >> u) & 1 ? 1.0 : 0.0;
                row[u] = value * (o - zero[u]) * excluded[u];
            }
        }
    }
    const double* row(std::size_t pattern) const { return m_values.data() + pattern * m_width; }

private:
    std::size_t m_width;
    std::vector<double> m_values;
};

// The shape of one tree in its local preorder numbering (node k is global node first + k).
struct TreeShape {
    std::vector<std::int32_t> parent;        // -1 for the root
    std::vector<std::int32_t> splitNumber;   // preorder number among splits, -1 for a leaf
    std::vector<std::uint32_t> size;         // nodes in the subtree
    std::vector<std::uint32_t> splitsBelow;  // splits in the subtree, the node included
    std::uint32_t splitCount = 0;

    TreeShape(const TreeEnsemble& model, const TreeEnsemble::Tree& tree) {
        const auto nodes = model.nodes();
        const std::uint32_t first = tree.firstNode, count = tree.nodeCount;
        parent.assign(count, -1);
        splitNumber.assign(count, -1);
        size.assign(count, 1);
        splitsBelow.assign(count, 0);
        for (std::uint32_t k = 0; k < count; ++k) {
            const auto& node = nodes[first + k];
            if (node.isLeaf()) continue;
            splitNumber[k] = static_cast<std::int32_t>(splitCount++);
            parent[k + 1] = static_cast<std::int32_t>(k);
            parent[static_cast<std::uint32_t>(node.right) - first] = static_cast<std::int32_t>(k);
        }
        // Children follow their parent in preorder: one backward pass sees them first.
        for (std::uint32_t k = count; k-- > 0;) {
            const auto& node = nodes[first + k];
            if (node.isLeaf()) continue;
            const std::uint32_t right = static_cast<std::uint32_t>(node.right) - first;
            size[k] = 1 + size[k + 1] + size[right];
            splitsBelow[k] = 1 + splitsBelow[k + 1] + splitsBelow[right];
        }
    }
};

// A block before its values are computed.
struct PlannedBlock {
    std::uint32_t root = 0;               // local node
    std::vector<std::uint32_t> bitNodes;  // local split nodes, by ascending split number
    std::vector<std::uint32_t> features;  // distinct, in bit order
};

// Blocks of one tree, or false when the tree does not qualify.
bool planBlocks(const TreeEnsemble& model, const TreeEnsemble::Tree& tree, const TreeShape& shape,
                std::uint32_t blockSplits, std::vector<PlannedBlock>& blocks) {
    const auto nodes = model.nodes();
    blocks.clear();
    for (std::uint32_t k = 0; k < tree.nodeCount; ++k) {
        const bool small = shape.splitsBelow[k] <= blockSplits;
        const std::int32_t up = shape.parent[k];
        if (!small || (up >= 0 && shape.splitsBelow[static_cast<std::uint32_t>(up)] <= blockSplits))
            continue;
        PlannedBlock block;
        block.root = k;
        for (std::int32_t a = up; a >= 0; a = shape.parent[static_cast<std::uint32_t>(a)])
            block.bitNodes.push_back(static_cast<std::uint32_t>(a));
        std::reverse(block.bitNodes.begin(), block.bitNodes.end());  // root first
        for (std::uint32_t j = k; j < k + shape.size[k]; ++j)
            if (shape.splitNumber[j] >= 0) block.bitNodes.push_back(j);
        if (block.bitNodes.size() > PathTables::kMaxBits) return false;
        for (std::uint32_t j : block.bitNodes) {
            const auto feature = static_cast<std::uint32_t>(nodes[tree.firstNode + j].feature);
            if (std::find(block.features.begin(), block.features.end(), feature) ==
                block.features.end())
                block.features.push_back(feature);
        }
        // A tree that is a single leaf credits no feature: nothing to look up.
        if (!block.features.empty()) blocks.push_back(std::move(block));
    }
    return true;
}

std::size_t valueCount(const std::vector<PlannedBlock>& blocks) {
    std::size_t count = 0;
    for (const auto& block : blocks)
        count += (std::size_t{1} << block.bitNodes.size()) * block.features.size();
    return count;
}

class BlockFiller {
public:
    BlockFiller(const TreeEnsemble& model, const TreeEnsemble::Tree& tree, const TreeShape& shape)
        : m_model(model), m_tree(tree), m_shape(shape) {}

    // Adds every leaf of the block into its 2^bits x width entries at out.
    void fill(const PlannedBlock& block, double* out) {
        const auto nodes = m_model.nodes();
        const auto shares = m_model.coverShares();
        const std::uint32_t first = m_tree.firstNode;
        const std::size_t width = block.features.size(),
                          entries = std::size_t{1} << block.bitNodes.size();
        for (std::uint32_t leaf = block.root; leaf < block.root + m_shape.size[block.root];
             ++leaf) {
            if (!nodes[first + leaf].isLeaf()) continue;
            // The leaf's path, its distinct features (as columns) and their cover products.
            std::vector<Edge> path;
            std::vector<std::uint32_t> column;  // per distinct feature u: its block column
            std::vector<double> zero;
            for (std::uint32_t child = leaf; m_shape.parent[child] >= 0;) {
                const auto up = static_cast<std::uint32_t>(m_shape.parent[child]);
                const auto& split = nodes[first + up];
                const auto at = std::find(block.bitNodes.begin(), block.bitNodes.end(), up);
                const auto col = static_cast<std::uint32_t>(
                    std::find(block.features.begin(), block.features.end(),
                              static_cast<std::uint32_t>(split.feature)) -
                    block.features.begin());
                const auto found = std::find(column.begin(), column.end(), col);
                const auto unique = static_cast<std::uint32_t>(found - column.begin());
                if (found == column.end()) {
                    column.push_back(col);
                    zero.push_back(1.0);
                }
                zero[unique] *= shares[first + child];
                path.push_back({static_cast<std::uint32_t>(at - block.bitNodes.begin()),
                                child == up + 1, unique});
                child = up;
            }
            const std::uint32_t points =
                pointsForDegree(zero.empty() ? 0 : static_cast<std::uint32_t>(zero.size() - 1));
            const LeafShares leafShares(nodes[first + leaf].value, zero, rule(points));
            for (std::size_t entry = 0; entry < entries; ++entry) {
                // o_u is 1 when the entry's decisions agree with every edge on feature u.
                std::size_t pattern = (std::size_t{1} << zero.size()) - 1;
                for (const Edge& edge : path) {
                    const bool left = (entry >> edge.bit) & 1;
                    if (left != edge.left) pattern &= ~(std::size_t{1} << edge.unique);
                }
                const double* shares = leafShares.row(pattern);
                double* target = out + entry * width;
                for (std::size_t u = 0; u < zero.size(); ++u)
                    target[column[u]] += shares[u];
            }
        }
    }

private:
    const QuadratureRule& rule(std::uint32_t points) {
        while (m_rules.size() <= points)
            m_rules.push_back(gaussLegendre(static_cast<std::uint32_t>(m_rules.size())));
        return m_rules[points];
    }

    const TreeEnsemble& m_model;
    const TreeEnsemble::Tree& m_tree;
    const TreeShape& m_shape;
    std::vector<QuadratureRule> m_rules{QuadratureRule{}};
};

}  // namespace

std::shared_ptr<const PathTables> buildPathTables(const TreeEnsemble& model,
                                                  std::size_t budgetBytes,
                                                  std::uint32_t blockSplits) {
    auto tables = std::make_shared<PathTables>();
    tables->covered.assign(model.treeCount(), 0);
    const auto nodes = model.nodes();
    std::size_t spent = tables->bytes();  // the per-tree flags
    std::vector<PlannedBlock> planned;
    for (std::size_t t = 0; t < model.treeCount(); ++t) {
        const auto& tree = model.trees()[t];
        const TreeShape shape(model, tree);
        if (shape.splitCount > PathTables::kMaxSplits) continue;
        if (!planBlocks(model, tree, shape, blockSplits, planned)) continue;
        // Exactly what the tree adds to bytes().
        const std::size_t lanes = (shape.splitCount + PathTables::kSplitLanes - 1) /
                                  PathTables::kSplitLanes * PathTables::kSplitLanes;
        const std::size_t cost =
            valueCount(planned) * sizeof(double) + planned.size() * sizeof(PathTables::Block) +
            shape.splitCount * sizeof(TreeEnsemble::Node) +
            lanes * (sizeof(std::int32_t) + sizeof(float)) + sizeof(PathTables::Tree);
        if (spent + cost > budgetBytes) continue;
        spent += cost;

        PathTables::Tree entry;
        entry.index = static_cast<std::uint32_t>(t);
        entry.firstSplit = static_cast<std::uint32_t>(tables->splits.size());
        entry.splitCount = shape.splitCount;
        entry.firstBlock = static_cast<std::uint32_t>(tables->blocks.size());
        entry.blockCount = static_cast<std::uint32_t>(planned.size());
        entry.firstLane = static_cast<std::uint32_t>(tables->laneFeature.size());
        for (std::uint32_t k = 0; k < tree.nodeCount; ++k) {
            const auto& node = nodes[tree.firstNode + k];
            if (shape.splitNumber[k] < 0) continue;
            const std::uint64_t bit = std::uint64_t{1} << shape.splitNumber[k];
            tables->splits.push_back(node);
            tables->laneFeature.push_back(node.feature);
            tables->laneThreshold.push_back(node.value);
            if (node.defaultLeft()) entry.missingLeft |= bit;
            if (node.categorical()) entry.categorical |= bit;
        }
        while ((tables->laneFeature.size() - entry.firstLane) % PathTables::kSplitLanes != 0) {
            tables->laneFeature.push_back(0);
            tables->laneThreshold.push_back(std::numeric_limits<float>::quiet_NaN());
        }
        BlockFiller filler(model, tree, shape);
        for (const PlannedBlock& plan : planned) {
            PathTables::Block block;
            block.offset = tables->values.size();
            block.bits = static_cast<std::uint8_t>(plan.bitNodes.size());
            block.width = static_cast<std::uint8_t>(plan.features.size());
            for (std::size_t j = 0; j < plan.bitNodes.size(); ++j) {
                block.split[j] = static_cast<std::uint8_t>(shape.splitNumber[plan.bitNodes[j]]);
                block.splitMask |= std::uint64_t{1} << block.split[j];
                // Bit j of an index must be the j-th lowest bit of splitMask (a bit extract
                // keeps that order): preorder puts ancestors first and keeps subtrees together.
                if (j > 0 && block.split[j] <= block.split[j - 1])
                    throw std::logic_error("buildPathTables: index bits out of order");
            }
            std::copy(plan.features.begin(), plan.features.end(), block.feature);
            tables->values.resize(block.offset + (std::size_t{1} << block.bits) * block.width, 0.0);
            filler.fill(plan, tables->values.data() + block.offset);
            tables->blocks.push_back(block);
        }
        tables->trees.push_back(entry);
        tables->covered[t] = 1;
        tables->maxSplits = std::max(tables->maxSplits, shape.splitCount);
        tables->maxBlocks = std::max(tables->maxBlocks, entry.blockCount);
    }
    tables->values.shrink_to_fit();
    return tables;
}

}  // namespace cwb::detail
