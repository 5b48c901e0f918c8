#pragma once
// A second layout of a tree ensemble, for prediction only: each tree padded to a complete
// binary tree of its depth and stored heap-ordered (children of slot i are 2i+1 and 2i+2), split
// features, thresholds and leaf values in separate arrays. A row then descends by index
// arithmetic alone, which lets eight rows descend at once with AVX2 gathers. A leaf above the
// full depth becomes a chain of "always right" splits (threshold NaN) ending in its value.
//
// Built only for ensembles without categorical splits whose trees are at most kMaxDepth deep
// (the padding doubles with each level); TreeEnsemble keeps its general walk for the rest.
// Margins are accumulated in float, tree by tree, exactly as TreeEnsemble::predictMargin does,
// so both give bit-identical results (tests/core/tst_treeshap.cpp checks it).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace cwb {

class TreeEnsemble;

class DenseForest {
public:
    static constexpr std::uint32_t kMaxDepth = 10;

    // nullptr when the ensemble has a categorical split or a tree deeper than kMaxDepth.
    static std::unique_ptr<DenseForest> build(const TreeEnsemble& model);

    // Which vector kernel predicts: the widest this CPU has, or a narrower one for tests (every
    // kernel gives the same bits). A CPU without the one asked for runs the next narrower one.
    enum class Kernel { Widest, Avx2, Scalar };

    // margins[r] = baseMargin + the trees' leaf values for row r of X (row-major, cols values
    // per row, NaN = missing), summed in float in tree order.
    void predictMargin(const float* X, std::size_t rows, std::size_t cols, float baseMargin,
                       double* margins, Kernel kernel = Kernel::Widest) const;

    // Which kernel runs on this CPU ("avx512", "avx2" or "scalar"), for benchmarks and logs.
    static const char* kernelName();

    struct Tree {
        std::uint32_t depth = 0;
        std::uint32_t firstSplit = 0;  // into splitFeature / threshold; 2^depth - 1 slots
        std::uint32_t firstLeaf = 0;   // into leafValue; 2^depth slots
    };

private:
    // Bit 31 of splitFeature: a missing value goes left.
    static constexpr std::uint32_t kDefaultLeft = 1u << 31;

    std::vector<Tree> m_trees;
    std::vector<std::uint32_t> m_splitFeature;
    std::vector<float> m_threshold;
    std::vector<float> m_leafValue;

    void predictScalar(const float* X, std::size_t rows, std::size_t cols, float baseMargin,
                       double* margins) const;
    float predictOne(const float* row, float baseMargin) const;
    void predictAvx2(const float* X, std::size_t rows, std::size_t cols, float baseMargin,
                     double* margins) const;
    void predictAvx512(const float* X, std::size_t rows, std::size_t cols, float baseMargin,
                       double* margins) const;
};

}  // namespace cwb
