#pragma once
// An XGBoost tree ensemble flattened into contiguous arrays, read from the model document that
// XGBoost 1.7 writes (XGBoosterSaveModelToBuffer, format "json" or "ubj"). It predicts without
// the XGBoost runtime and carries what the fast exact TreeSHAP (model/TreeShap.h) walks.
//
// Parity with XGBoost 1.7.4 (checked by tests/core/tst_treeshap.cpp against the C API):
//  - a numeric split sends x left when x < threshold (float compare); NaN takes the default child;
//  - a categorical split sends a category in the node's set RIGHT and everything else left: a
//    non-integer value counts as its truncation, a negative or unknown code goes left, NaN takes
//    the default child (this is what XGBoost 1.7.4 itself does; later versions differ);
//  - the margin is accumulated in float, tree by tree, from base margin, as XGBoost's CPU
//    predictor does, so margins are bit-identical to XGBoost's output_margin predictions.
//
// Supported: gbtree boosters (boosting or random-forest mode) with one output group and the
// objectives binary:logistic, reg:logistic, binary:logitraw and reg:squarederror. Anything else
// (dart, gblinear, multi-class) is refused with a clear message.
//
// Thread-safety: the object is immutable after loading; const methods may run concurrently.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/Result.h"

namespace cwb {

// Limits on a model read from a file (a bundle or an imported model): what the workbench trains
// stays far below them, and they keep a hostile file from costing unbounded memory or time, or
// from pushing scores outside the 64-bit range (|margin| <= trees * leaf bound + base bound).
struct TreeLimits {
    static constexpr std::size_t maxFeatures = 100000;
    static constexpr std::size_t maxTrees = 100000;
    static constexpr std::size_t maxNodes = std::size_t{1} << 23;  // all trees together
    static constexpr std::uint32_t maxDepth = 128;
    static constexpr double maxLeafMagnitude = 1e6;  // leaves and the base margin
    static constexpr std::int64_t maxCategoryCode = 65535;
    static constexpr std::size_t maxCategoryWords = std::size_t{1} << 20;  // all sets, 4 MB
};

class DenseForest;

namespace detail {
struct ShapTables;         // TreeSHAP's per-node tables (model/TreeShap.cpp)
struct PathTables;         // TreeSHAP's lookup tables for shallow trees (model/ShapPathTables.h)
struct ExplanationTables;  // both, built on the first explanation (TreeEnsemble.cpp)
}  // namespace detail

class TreeEnsemble {
public:
    // One node. Each tree's nodes are stored in depth-first preorder, so a split's left child is
    // always the next node and only the right child's index is kept; indices are global (into
    // nodes()), which lets a traversal run without per-tree offsets.
    struct Node {
        float value = 0.0f;         // split threshold, or the leaf value
        std::int32_t feature = -1;  // split feature, or -1 for a leaf
        std::int32_t right = -1;    // global index of the right child (splits only)
        std::uint32_t flags = 0;    // kDefaultLeft | kCategorical, categorical set index << 2

        bool isLeaf() const { return feature < 0; }
        bool defaultLeft() const { return (flags & kDefaultLeft) != 0; }
        bool categorical() const { return (flags & kCategorical) != 0; }
    };
    static constexpr std::uint32_t kDefaultLeft = 1;
    static constexpr std::uint32_t kCategorical = 2;

    struct Tree {
        std::uint32_t firstNode = 0;  // global index of the root
        std::uint32_t nodeCount = 0;
        std::uint32_t depth = 0;     // edges on the longest root-to-leaf path
        double expectedValue = 0.0;  // cover-weighted mean leaf value (XGBoost's node mean)
    };

    enum class Transform { Identity, Logistic };

    TreeEnsemble();  // an empty model: no trees, no features, margin 0
    ~TreeEnsemble();
    TreeEnsemble(const TreeEnsemble&);
    TreeEnsemble(TreeEnsemble&&) noexcept;
    TreeEnsemble& operator=(const TreeEnsemble&);
    TreeEnsemble& operator=(TreeEnsemble&&) noexcept;

    // Reads an XGBoost JSON model (NaN and Infinity tokens as XGBoost writes them are accepted).
    // A document that is not a supported XGBoost model gives BadInput naming what is wrong.
    // Every check XGBoost 1.7 would need to predict safely is made here (child indices in range
    // and right == left + 1 as its predictor assumes, acyclic, feature indices below
    // num_feature, finite thresholds and leaves, bounded category sets, tree_info and num_trees
    // matching the trees, TreeLimits), so a document accepted here may be given to XGBoost.
    static Result<TreeEnsemble> fromXgboostJson(std::string_view json);
    // The same from XGBoost's UBJSON bytes (format "ubj").
    static Result<TreeEnsemble> fromXgboostUbjson(std::span<const std::uint8_t> bytes);
    // The same from a parsed document (NaN as null, as parseXgboostDocument gives it).
    static Result<TreeEnsemble> fromXgboostDocument(const nlohmann::json& document);

    std::size_t featureCount() const { return m_featureCount; }
    std::size_t treeCount() const { return m_trees.size(); }
    const std::string& objective() const { return m_objective; }
    Transform transform() const { return m_transform; }

    // The margin every row starts from: logit(base_score) for the logistic objectives, computed
    // in float exactly as XGBoost does.
    double baseMargin() const { return m_baseMargin; }
    // baseMargin() plus every tree's expected value: XGBoost's TreeSHAP bias column.
    double expectedMargin() const { return m_expectedMargin; }
    // The model's output for a margin: the probability for logistic objectives.
    double output(double margin) const {
        return m_transform == Transform::Logistic ? 1.0 / (1.0 + std::exp(-margin)) : margin;
    }

    // margins[r] for each row of X (row-major, cols values per row, NaN = missing). cols must be
    // at least featureCount(); columns beyond it are ignored. The overload without cols reads
    // featureCount() values per row.
    void predictMargin(const float* X, std::size_t rows, std::size_t cols, double* margins) const;
    void predictMargin(const float* X, std::size_t rows, double* margins) const {
        predictMargin(X, rows, m_featureCount, margins);
    }
    // The general node walk behind predictMargin, which otherwise uses the dense layout
    // (model/DenseForest.h) when the model allows it; public so tests can compare the two.
    void predictMarginByWalk(const float* X, std::size_t rows, std::size_t cols,
                             double* margins) const;
    // out[r] = output(margin of row r): the probability of "bad" for logistic objectives.
    void predict(const float* X, std::size_t rows, std::size_t cols, double* out) const;

    // Whether a row (featureCount() values or more) goes to the left child of split node.
    bool goesLeft(const Node& node, const float* row) const {
        const float x = row[node.feature];
        // Bitwise on purpose: no branch on the data, which the predictor cannot guess.
        if (!node.categorical())
            return static_cast<unsigned>(x < node.value) |
                   (static_cast<unsigned>(std::isnan(x)) & (node.flags & kDefaultLeft));
        return categoryGoesLeft(node, x);
    }

    std::span<const Node> nodes() const { return m_nodes; }
    std::span<const Tree> trees() const { return m_trees; }
    // Per node: its training cover (XGBoost's sum_hess) over its parent's, 1 for a root. This is
    // the share of the parent's data that TreeSHAP sends down the node when its feature is unknown.
    std::span<const double> coverShares() const { return m_coverShares; }

    // The tables contributions() (model/TreeShap.h) reads; opaque to everyone else. They are
    // built by the first call (from any thread; the others wait), not at load: scoring without
    // reasons never needs them, and for a 300-tree model they are most of the load time
    // (decision 46).
    const detail::ShapTables& shapTables() const;
    const detail::PathTables& pathTables() const;

private:
    struct CategorySet {
        std::uint32_t firstWord = 0;
        std::uint32_t wordCount = 0;  // bits cover categories 0 .. 32 * wordCount - 1
    };
    friend class TreeEnsembleBuilder;

    bool categoryGoesLeft(const Node& node, float x) const;

    // Node as predictMargin walks it: both children explicit, a leaf its own child.
    struct Step {
        float value = 0.0f;         // threshold, or the leaf value
        std::uint32_t feature = 0;  // feature index | kStepDefaultLeft | kStepCategorical
        std::uint32_t left = 0, right = 0;
    };
    static constexpr std::uint32_t kStepDefaultLeft = 1u << 31;
    static constexpr std::uint32_t kStepCategorical = 1u << 30;
    static constexpr std::uint32_t kStepFeature = kStepCategorical - 1;

    std::vector<Node> m_nodes;
    std::vector<Step> m_steps;
    std::vector<Tree> m_trees;
    std::vector<double> m_coverShares;
    std::vector<CategorySet> m_categorySets;
    std::vector<std::uint32_t> m_categoryWords;
    std::size_t m_featureCount = 0;
    std::string m_objective;
    Transform m_transform = Transform::Identity;
    double m_baseMargin = 0.0;  // holds a float value: XGBoost keeps the base margin in float
    double m_expectedMargin = 0.0;
    // Copies share it: the model is immutable once built, so its tables are the same.
    std::shared_ptr<detail::ExplanationTables> m_explanation;
    std::shared_ptr<const DenseForest> m_dense;  // nullptr: the model needs the walk
};

}  // namespace cwb
