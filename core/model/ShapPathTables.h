#pragma once
// Exact path-dependent TreeSHAP by table lookup, for shallow trees: FastTreeSHAP v2's idea
// (Yang 2021, "Fast TreeSHAP", arXiv:2109.09847) with leaves grouped into small subtrees.
//
// A leaf's Shapley shares depend on the row only through which of its path's splits the row
// agrees with: one bit per split on the path. FastTreeSHAP v2 tabulates each leaf's shares for
// every pattern of those bits at load time, so that a row costs one lookup per leaf. Here the
// leaves of a small subtree (a "block": a node whose subtree has at most blockSplits splits,
// with its parent above that) share one table, indexed by the row's decisions at the block's
// ancestors and at the splits inside it; an entry holds the summed shares of all the block's
// leaves for each distinct feature of those splits. A depth-5 tree then takes 8 lookups of 6
// values each instead of 32 lookups of 5 (blockSplits 3; the benchmark measures the choices,
// see docs/decisions). Tables are computed in double from the integral form in
// model/TreeShap.h, so they are exact to rounding.
//
// Memory: a block with b index bits and w distinct features takes 2^b * w doubles; a depth-5
// tree about 24 KB. Trees with more than kMaxSplits splits, with a block over kMaxBits bits, or
// that would take the tables past the budget are left to the quadrature kernel
// (model/TreeShap.cpp), which needs no tables.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "model/TreeEnsemble.h"

namespace cwb::detail {

struct PathTables {
    static constexpr std::uint32_t kMaxSplits = 64;  // a tree's decisions fit in one 64-bit word
    static constexpr std::uint32_t kMaxBits = 12;    // at most 4096 entries per block
    static constexpr std::uint32_t kDefaultBlockSplits = 3;
    static constexpr std::size_t kDefaultBudgetBytes = std::size_t{32} << 20;

    struct Block {
        std::size_t offset = 0;  // of entry 0 in values; entries are `width` values apart
        std::uint8_t bits = 0;   // index bits: the block's ancestors and inside splits
        std::uint8_t width = 0;  // distinct features of those splits: the columns
        // Bit j of an entry's index is "goes left" at the tree's split split[j] (tree-local,
        // ascending); column c credits feature[c].
        std::uint8_t split[kMaxBits] = {};
        std::uint32_t feature[kMaxBits] = {};
        std::uint64_t splitMask = 0;  // the same splits as bits of a tree's decision word
    };
    struct Tree {
        std::uint32_t index = 0;  // in the ensemble
        std::uint32_t firstSplit = 0, splitCount = 0;
        std::uint32_t firstBlock = 0, blockCount = 0;
        // For one row at a time: the splits' features and thresholds from firstLane on, padded
        // to a multiple of kSplitLanes (feature 0, threshold NaN: never "left"), so that eight
        // splits are decided at once; bit s of these masks is split s.
        std::uint32_t firstLane = 0;
        std::uint64_t missingLeft = 0;  // a missing value goes left
        std::uint64_t categorical = 0;  // decided one by one (TreeEnsemble::goesLeft)
    };
    static constexpr std::uint32_t kSplitLanes = 8;

    std::vector<Tree> trees;  // the trees with tables, in ensemble order
    // Per tree, its splits in preorder (a tree-local split number is the position here).
    std::vector<TreeEnsemble::Node> splits;
    std::vector<std::int32_t> laneFeature;  // see Tree::firstLane
    std::vector<float> laneThreshold;
    std::vector<Block> blocks;
    std::vector<double> values;
    std::vector<char> covered;    // per ensemble tree: 1 when it has tables
    std::uint32_t maxSplits = 0;  // most splits (and blocks) of one tree
    std::uint32_t maxBlocks = 0;

    std::size_t bytes() const {
        return values.size() * sizeof(double) + blocks.size() * sizeof(Block) +
               splits.size() * sizeof(TreeEnsemble::Node) + trees.size() * sizeof(Tree) +
               laneFeature.size() * sizeof(std::int32_t) + laneThreshold.size() * sizeof(float) +
               covered.size();
    }
};

// Tables for every tree that qualifies, in ensemble order, until budgetBytes would be exceeded
// (later trees that still fit are taken). blockSplits: the most splits inside one block (0
// gives FastTreeSHAP v2's per-leaf tables).
std::shared_ptr<const PathTables> buildPathTables(
    const TreeEnsemble& model, std::size_t budgetBytes = PathTables::kDefaultBudgetBytes,
    std::uint32_t blockSplits = PathTables::kDefaultBlockSplits);

// Adds the contributions of the trees that have tables, for rows of X (row-major, cols values
// per row), to out (rows x cols). `portable` forces the kernels that CPUs without AVX2 run.
// Rows are added tree by tree, block by block, column by column from 0 in every kernel, so a
// row's values are the same bits whichever kernel and batch it goes through.
void addPathTableContributions(const TreeEnsemble& model, const PathTables& tables, const float* X,
                               std::size_t rows, std::size_t cols, double* out, bool portable);

// The same for one row (model/ShapPathSingleRow.cpp): its decisions eight splits at a time and
// its lookups for several trees in flight together.
void addPathTableContributionsOfRow(const TreeEnsemble& model, const PathTables& tables,
                                    const float* row, double* phi, bool portable);

}  // namespace cwb::detail
