// Reading XGBoost 1.7 model documents into flat arrays, and margin prediction over them.

#include "model/TreeEnsemble.h"

#include "model/DenseForest.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/JsonLimits.h"
#include "model/ShapPathTables.h"
#include "model/TreeShap.h"

namespace cwb {

using nlohmann::json;

namespace {

// A document that is well-formed but not a model we can use; turned into BadInput at the API.
struct BadModel {
    std::string message;
};

[[noreturn]] void fail(std::string message) {
    throw BadModel{std::move(message)};
}

// XGBoost writes non-finite floats as the bare tokens NaN, Infinity and -Infinity, which are
// not JSON. Outside strings they become null and the strings "Infinity"/"-Infinity", which
// asFloat() maps back.
std::string withJsonTokens(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 64);
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < text.size()) {
                out += text[++i];
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') {
            inString = true;
            out += c;
        } else if (text.compare(i, 3, "NaN") == 0) {
            out += "null";
            i += 2;
        } else if (text.compare(i, 8, "Infinity") == 0) {
            out += "\"Infinity\"";
            i += 7;
        } else if (text.compare(i, 9, "-Infinity") == 0) {
            out += "\"-Infinity\"";
            i += 8;
        } else {
            out += c;
        }
    }
    return out;
}

float asFloat(const json& value, const char* what) {
    if (value.is_number()) return static_cast<float>(value.get<double>());
    if (value.is_null()) return std::numeric_limits<float>::quiet_NaN();
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (text == "Infinity") return std::numeric_limits<float>::infinity();
        if (text == "-Infinity") return -std::numeric_limits<float>::infinity();
    }
    fail(std::string(what) + " holds a value that is not a number");
}

std::int64_t asInteger(const json& value, const char* what) {
    if (value.is_number_integer()) return value.get<std::int64_t>();
    if (value.is_boolean()) return value.get<bool>() ? 1 : 0;
    fail(std::string(what) + " holds a value that is not an integer");
}

// learner_model_param keeps its numbers as strings ("5E-1"); from_chars ignores the C locale,
// which Qt sets from the environment.
double parameterNumber(const json& params, const char* key, double fallback) {
    const auto it = params.find(key);
    if (it == params.end()) return fallback;
    if (it->is_number()) return it->get<double>();
    if (!it->is_string()) fail(std::string("learner_model_param.") + key + " is not a number");
    const auto& text = it->get_ref<const std::string&>();
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        fail(std::string("learner_model_param.") + key + " is not a number: " + text);
    return value;
}

const json& member(const json& object, const char* key, const char* where) {
    if (!object.is_object()) fail(std::string(where) + " is not an object");
    const auto it = object.find(key);
    if (it == object.end()) fail(std::string(where) + " has no \"" + key + "\"");
    return *it;
}

const json& arrayOf(const json& tree, const char* key, std::size_t size) {
    const json& value = member(tree, key, "a tree");
    if (!value.is_array() || value.size() != size)
        fail(std::string("a tree's \"") + key + "\" does not have one entry per node");
    return value;
}

}  // namespace

// Fills a TreeEnsemble's private arrays from the parsed document.
class TreeEnsembleBuilder {
public:
    explicit TreeEnsembleBuilder(TreeEnsemble& model) : m(model) {}

    void build(const json& document) {
        const json& learner = member(document, "learner", "the document");
        readParameters(learner);
        const json& booster = member(learner, "gradient_booster", "learner");
        const json& name = member(booster, "name", "gradient_booster");
        if (name != "gbtree")
            fail("only gbtree boosters are supported, this model uses " + name.dump());
        const json& model = member(booster, "model", "gradient_booster");
        const json& trees = member(model, "trees", "the booster model");
        if (!trees.is_array()) fail("the booster's trees are not a list");
        if (trees.size() > TreeLimits::maxTrees)
            fail("the model has more than " + std::to_string(TreeLimits::maxTrees) + " trees");
        // XGBoost indexes tree_info by num_trees: when present, both must match the trees
        // actually there (a missing one makes XGBoost refuse the model by itself).
        if (const auto info = model.find("tree_info"); info != model.end()) {
            if (!info->is_array() || info->size() != trees.size())
                fail("tree_info does not list one entry per tree");
            for (const json& group : *info) {
                if (asInteger(group, "tree_info") != 0)
                    fail("multi-output models (several output groups) are not supported");
            }
        }
        // XGBoost sizes its tree list from num_trees (0 when the key is missing or misspelt)
        // but predicts over the trees its iteration ranges name: a count that differs from the
        // trees listed makes it read trees that do not exist (SIGSEGV, found by fuzzing).
        const json& treeParam = member(model, "gbtree_model_param", "the booster model");
        if (!treeParam.is_object()) fail("gbtree_model_param is not an object");
        if (parameterNumber(treeParam, "num_trees", -1.0) != static_cast<double>(trees.size()))
            fail("gbtree_model_param.num_trees does not match the trees in the model");
        // Trees are grouped into boosting rounds of num_parallel_tree; a group size that does
        // not divide the trees leaves XGBoost's last round pointing past the list.
        const double parallel = parameterNumber(treeParam, "num_parallel_tree", 1.0);
        if (!(parallel >= 1.0 && parallel <= static_cast<double>(TreeLimits::maxTrees)) ||
            parallel != std::floor(parallel) ||
            (!trees.empty() && trees.size() % static_cast<std::size_t>(parallel) != 0))
            fail("gbtree_model_param.num_parallel_tree does not divide the trees into rounds");
        m.m_trees.reserve(trees.size());
        for (std::size_t t = 0; t < trees.size(); ++t)
            readTree(trees[t], t);

        buildSteps();
        m.m_expectedMargin = m.m_baseMargin;
        for (const auto& tree : m.m_trees)
            m.m_expectedMargin += tree.expectedValue;
        m.m_explanation = std::make_shared<detail::ExplanationTables>();
        m.m_dense = DenseForest::build(m);
    }

private:
    void readParameters(const json& learner) {
        const json& params = member(learner, "learner_model_param", "learner");
        const double features = parameterNumber(params, "num_feature", -1.0);
        if (!(features >= 1.0 && features <= static_cast<double>(TreeLimits::maxFeatures)))
            fail("the model has no valid num_feature (1 to " +
                 std::to_string(TreeLimits::maxFeatures) + ")");
        m.m_featureCount = static_cast<std::size_t>(features);
        if (parameterNumber(params, "num_class", 0.0) > 1.0)
            fail("multi-class models are not supported");
        if (parameterNumber(params, "num_target", 1.0) > 1.0)
            fail("multi-target models are not supported");

        const json& objective = member(learner, "objective", "learner");
        const json& name = member(objective, "name", "objective");
        if (!name.is_string()) fail("the objective has no name");
        m.m_objective = name.get<std::string>();
        const auto baseScore = static_cast<float>(parameterNumber(params, "base_score", 0.5));
        if (!std::isfinite(baseScore) || std::fabs(baseScore) > TreeLimits::maxLeafMagnitude)
            fail("learner_model_param.base_score is not a finite number of sane size");
        // binary:logitraw takes its base_score as a margin in XGBoost 1.7.4 (checked by the test).
        if (m.m_objective == "binary:logistic" || m.m_objective == "reg:logistic") {
            if (!(baseScore > 0.0f && baseScore < 1.0f))
                fail("base_score must lie strictly between 0 and 1 for " + m.m_objective);
            // XGBoost's ProbToMargin, in float as XGBoost computes it.
            m.m_baseMargin = -std::log(1.0f / baseScore - 1.0f);
            m.m_transform = TreeEnsemble::Transform::Logistic;
        } else if (m.m_objective == "binary:logitraw" || m.m_objective == "reg:squarederror" ||
                   m.m_objective == "reg:linear") {
            m.m_baseMargin = baseScore;
            m.m_transform = TreeEnsemble::Transform::Identity;
        } else {
            fail("the objective " + m.m_objective + " is not supported");
        }
    }

    void readTree(const json& tree, std::size_t index) {
        // XGBoost places each tree at the slot its "id" names and predicts with every slot: two
        // trees with one id leave a slot empty (SIGSEGV found by fuzzing). Without an id XGBoost
        // refuses the model itself.
        if (const auto id = tree.find("id");
            id != tree.end() && asInteger(*id, "a tree's id") != static_cast<std::int64_t>(index))
            fail("tree " + std::to_string(index) + " has the id " + id->dump() +
                 " (trees are numbered by their place in the list)");
        const json& param = member(tree, "tree_param", "a tree");
        const double declared = parameterNumber(param, "num_nodes", -1.0);
        if (!(declared >= 1.0 && declared < 1e8))
            fail("tree " + std::to_string(index) + " has no valid num_nodes");
        const auto n = static_cast<std::size_t>(declared);
        const json& left = arrayOf(tree, "left_children", n);
        const json& right = arrayOf(tree, "right_children", n);
        const json& feature = arrayOf(tree, "split_indices", n);
        const json& condition = arrayOf(tree, "split_conditions", n);
        const json& defaultLeft = arrayOf(tree, "default_left", n);
        const json& hessian = arrayOf(tree, "sum_hessian", n);
        const json* splitType =
            tree.contains("split_type") ? &arrayOf(tree, "split_type", n) : nullptr;
        const auto categorySets = readCategorySets(tree, n);
        // XGBoost reads "parents" itself and, on load, looks up every node's parent without a
        // bound check; we never use them, but check them all, reachable or not, before it does.
        const json* parents = tree.contains("parents") ? &arrayOf(tree, "parents", n) : nullptr;
        if (parents) checkParentRange(*parents, n, index);

        if (m.m_nodes.size() + n > TreeLimits::maxNodes)
            fail("the model has more than " + std::to_string(TreeLimits::maxNodes) + " nodes");
        TreeEnsemble::Tree out;
        out.firstNode = static_cast<std::uint32_t>(m.m_nodes.size());

        // Depth-first preorder from the root: a split's left child lands right after it. The
        // explicit stack keeps a hostile, very deep tree from overflowing the call stack;
        // visited[] refuses cycles and shared children.
        struct Pending {
            std::int64_t id;
            std::size_t parentSlot;  // where the parent's right index goes, or npos
            std::uint32_t depth;
            float parentCover;
            std::int64_t parentId;  // -1 for the root
        };
        constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
        std::vector<char> visited(n, 0);
        std::vector<Pending> stack{{0, kNone, 0, 0.0f, -1}};
        while (!stack.empty()) {
            const Pending p = stack.back();
            stack.pop_back();
            const auto id = static_cast<std::size_t>(p.id);
            if (visited[id])
                fail("tree " + std::to_string(index) + " is not a tree (a node is reached twice)");
            if (p.depth > TreeLimits::maxDepth)
                fail("tree " + std::to_string(index) + " is deeper than " +
                     std::to_string(TreeLimits::maxDepth) + " levels");
            visited[id] = 1;
            if (parents && p.id != 0 && asInteger((*parents)[id], "parents") != p.parentId)
                fail("tree " + std::to_string(index) + " names a wrong parent for node " +
                     std::to_string(id));
            const auto slot = m.m_nodes.size();
            if (p.parentSlot != kNone)
                m.m_nodes[p.parentSlot].right = static_cast<std::int32_t>(slot);
            out.depth = std::max(out.depth, p.depth);

            const float cover = asFloat(hessian[id], "sum_hessian");
            double share = 1.0;
            if (p.id != 0) {
                // XGBoost would divide by a zero or broken parent cover and explain with NaN;
                // an even split keeps explanations finite and still additive.
                share = p.parentCover > 0.0f && std::isfinite(p.parentCover)
                            ? static_cast<double>(cover) / p.parentCover
                            : 0.5;
            }
            m.m_coverShares.push_back(share);

            TreeEnsemble::Node node;
            node.value = asFloat(condition[id], "split_conditions");
            const std::int64_t l = asInteger(left[id], "left_children");
            if (l == -1) {
                if (!std::isfinite(node.value) ||
                    std::fabs(node.value) > TreeLimits::maxLeafMagnitude)
                    fail("tree " + std::to_string(index) +
                         " has a leaf value that is not a finite number of sane size");
                m.m_nodes.push_back(node);
                continue;
            }
            const std::int64_t r = asInteger(right[id], "right_children");
            const std::int64_t f = asInteger(feature[id], "split_indices");
            if (l <= 0 || r <= 0 || l >= static_cast<std::int64_t>(n) ||
                r >= static_cast<std::int64_t>(n) || l == r)
                fail("tree " + std::to_string(index) + " has a child index out of range");
            // XGBoost 1.7's predictor takes the right child as left + 1.
            if (r != l + 1)
                fail("tree " + std::to_string(index) +
                     " has a right child that does not follow its left sibling");
            if (f < 0 || f >= static_cast<std::int64_t>(m.m_featureCount))
                fail("tree " + std::to_string(index) + " splits on a feature beyond num_feature");
            node.feature = static_cast<std::int32_t>(f);
            if (asInteger(defaultLeft[id], "default_left") != 0)
                node.flags |= TreeEnsemble::kDefaultLeft;
            const std::int64_t type = splitType ? asInteger((*splitType)[id], "split_type") : 0;
            if (type != 0 && type != 1)
                fail("tree " + std::to_string(index) + " has an unknown split type");
            if (type == 0 && !std::isfinite(node.value))
                fail("tree " + std::to_string(index) + " has a split threshold that is not finite");
            if (type == 1) {
                const auto it = categorySets.find(static_cast<std::int64_t>(id));
                if (it == categorySets.end())
                    fail("tree " + std::to_string(index) +
                         " has a categorical split without categories");
                node.flags |= TreeEnsemble::kCategorical | (it->second << 2);
                node.value = std::numeric_limits<float>::quiet_NaN();
            }
            m.m_nodes.push_back(node);
            // Right is pushed first so that the left child is taken next (preorder).
            stack.push_back({r, slot, p.depth + 1, cover, p.id});
            stack.push_back({l, kNone, p.depth + 1, cover, p.id});
        }
        out.nodeCount = static_cast<std::uint32_t>(m.m_nodes.size() - out.firstNode);
        out.expectedValue = expectedValue(out);
        m.m_trees.push_back(out);
    }

    // The root's parent is XGBoost's "none" (-1, written as 2^31 - 1 once its left-child bit is
    // masked off); every other node's, even a deleted one's, must be a node of the same tree.
    static void checkParentRange(const json& parents, std::size_t n, std::size_t index) {
        const std::int64_t root = asInteger(parents[0], "parents");
        if (root != -1 && root != std::numeric_limits<std::int32_t>::max())
            fail("tree " + std::to_string(index) + " gives its root a parent");
        for (std::size_t k = 1; k < n; ++k) {
            const std::int64_t parent = asInteger(parents[k], "parents");
            if (parent < 0 || parent >= static_cast<std::int64_t>(n))
                fail("tree " + std::to_string(index) + " has a parent index out of range");
        }
    }

    // The prediction layout: explicit children, leaves pointing to themselves (see
    // predictMargin), feature index and flags in one word.
    void buildSteps() {
        m.m_steps.resize(m.m_nodes.size());
        for (std::size_t g = 0; g < m.m_nodes.size(); ++g) {
            const auto& node = m.m_nodes[g];
            auto& step = m.m_steps[g];
            step.value = node.value;
            if (node.isLeaf()) {
                step.feature = 0;
                step.left = step.right = static_cast<std::uint32_t>(g);
                continue;
            }
            step.feature = static_cast<std::uint32_t>(node.feature);
            if (node.defaultLeft()) step.feature |= TreeEnsemble::kStepDefaultLeft;
            if (node.categorical()) step.feature |= TreeEnsemble::kStepCategorical;
            step.left = static_cast<std::uint32_t>(g + 1);
            step.right = static_cast<std::uint32_t>(node.right);
        }
    }

    // Cover-weighted mean of the leaves, XGBoost's "node mean value" of the root, which is the
    // tree's term in the SHAP bias. Children follow their parent in preorder, so one backward
    // pass sees both children before the parent.
    double expectedValue(const TreeEnsemble::Tree& tree) const {
        std::vector<double> mean(tree.nodeCount);
        for (std::size_t k = tree.nodeCount; k-- > 0;) {
            const std::size_t g = tree.firstNode + k;
            const auto& node = m.m_nodes[g];
            if (node.isLeaf()) {
                mean[k] = node.value;
            } else {
                const std::size_t l = g + 1, r = static_cast<std::size_t>(node.right);
                mean[k] = m.m_coverShares[l] * mean[l - tree.firstNode] +
                          m.m_coverShares[r] * mean[r - tree.firstNode];
            }
        }
        return mean[0];
    }

    // XGBoost 1.7 lists each categorical split's category set as a segment of "categories".
    // Returns node id -> index into m_categorySets.
    std::unordered_map<std::int64_t, std::uint32_t> readCategorySets(const json& tree,
                                                                     std::size_t n) {
        std::unordered_map<std::int64_t, std::uint32_t> sets;
        const auto nodesIt = tree.find("categories_nodes");
        if (nodesIt == tree.end() || !nodesIt->is_array() || nodesIt->empty()) return sets;
        const json& nodes = *nodesIt;
        const json& segments = member(tree, "categories_segments", "a tree");
        const json& sizes = member(tree, "categories_sizes", "a tree");
        const json& categories = member(tree, "categories", "a tree");
        if (!segments.is_array() || !sizes.is_array() || !categories.is_array() ||
            segments.size() != nodes.size() || sizes.size() != nodes.size())
            fail("a tree's categorical split lists do not match");
        for (std::size_t k = 0; k < nodes.size(); ++k) {
            const std::int64_t id = asInteger(nodes[k], "categories_nodes");
            const std::int64_t begin = asInteger(segments[k], "categories_segments");
            const std::int64_t size = asInteger(sizes[k], "categories_sizes");
            if (id < 0 || id >= static_cast<std::int64_t>(n) || begin < 0 || size < 0 ||
                begin + size > static_cast<std::int64_t>(categories.size()))
                fail("a tree's categorical split lists are out of range");
            std::int64_t largest = -1;
            for (std::int64_t c = begin; c < begin + size; ++c) {
                const std::int64_t category = asInteger(categories[c], "categories");
                if (category < 0 || category > TreeLimits::maxCategoryCode)
                    fail("a categorical split holds a category code outside 0.." +
                         std::to_string(TreeLimits::maxCategoryCode));
                largest = std::max(largest, category);
            }
            TreeEnsemble::CategorySet set;
            set.firstWord = static_cast<std::uint32_t>(m.m_categoryWords.size());
            set.wordCount = static_cast<std::uint32_t>((largest + 1 + 31) / 32);
            if (m.m_categoryWords.size() + set.wordCount > TreeLimits::maxCategoryWords)
                fail("the model's categorical splits hold too many categories");
            m.m_categoryWords.resize(m.m_categoryWords.size() + set.wordCount, 0u);
            for (std::int64_t c = begin; c < begin + size; ++c) {
                const auto category = static_cast<std::uint32_t>(categories[c].get<std::int64_t>());
                m.m_categoryWords[set.firstWord + category / 32] |= 1u << (category % 32);
            }
            sets[id] = static_cast<std::uint32_t>(m.m_categorySets.size());
            m.m_categorySets.push_back(set);
        }
        return sets;
    }

    TreeEnsemble& m;
};

namespace detail {
struct ExplanationTables {
    std::once_flag built;
    std::shared_ptr<const ShapTables> shap;
    std::shared_ptr<const PathTables> paths;
};
}  // namespace detail

TreeEnsemble::TreeEnsemble() : m_explanation(std::make_shared<detail::ExplanationTables>()) {}

const detail::ShapTables& TreeEnsemble::shapTables() const {
    detail::ExplanationTables& tables = *m_explanation;
    std::call_once(tables.built, [&] {
        tables.shap = detail::buildShapTables(*this);
        tables.paths = detail::buildPathTables(*this);
    });
    return *tables.shap;
}

const detail::PathTables& TreeEnsemble::pathTables() const {
    shapTables();  // builds both
    return *m_explanation->paths;
}
TreeEnsemble::~TreeEnsemble() = default;
TreeEnsemble::TreeEnsemble(const TreeEnsemble&) = default;
TreeEnsemble::TreeEnsemble(TreeEnsemble&&) noexcept = default;
TreeEnsemble& TreeEnsemble::operator=(const TreeEnsemble&) = default;
TreeEnsemble& TreeEnsemble::operator=(TreeEnsemble&&) noexcept = default;

namespace {
Result<TreeEnsemble> fromDocument(const json& document) {
    TreeEnsemble model;
    try {
        TreeEnsembleBuilder(model).build(document);
    } catch (const BadModel& bad) {
        return Error::badInput("not a usable XGBoost model: " + bad.message);
    } catch (const json::exception& e) {
        return Error::badInput(std::string("not a usable XGBoost model: ") + e.what());
    }
    return model;
}
}  // namespace

Result<TreeEnsemble> TreeEnsemble::fromXgboostDocument(const json& document) {
    return fromDocument(document);
}

Result<TreeEnsemble> TreeEnsemble::fromXgboostJson(std::string_view text) {
    if (auto deep =
            checkJsonTextDepth({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
        !deep)
        return Error::badInput("not an XGBoost JSON model: " + deep.error().message);
    json document;
    try {
        document = json::parse(withJsonTokens(text));
    } catch (const json::exception& e) {
        return Error::badInput(std::string("not an XGBoost JSON model: ") + e.what());
    }
    return fromDocument(document);
}

Result<TreeEnsemble> TreeEnsemble::fromXgboostUbjson(std::span<const std::uint8_t> bytes) {
    if (auto deep = checkUbjsonDepth(bytes); !deep)
        return Error::badInput("not an XGBoost UBJSON model: " + deep.error().message);
    json document;
    try {
        document = json::from_ubjson(bytes.begin(), bytes.end());
    } catch (const json::exception& e) {
        return Error::badInput(std::string("not an XGBoost UBJSON model: ") + e.what());
    }
    return fromDocument(document);
}

bool TreeEnsemble::categoryGoesLeft(const Node& node, float x) const {
    if (std::isnan(x)) return node.defaultLeft();
    const CategorySet& set = m_categorySets[node.flags >> 2];
    // A negative value or a code beyond the set is simply "not in the set" (left) in 1.7.4.
    if (!(x >= 0.0f) || x >= static_cast<float>(set.wordCount) * 32.0f) return true;
    const auto category = static_cast<std::uint32_t>(x);  // truncates, as XGBoost does
    const std::uint32_t word = m_categoryWords[set.firstWord + category / 32];
    return ((word >> (category % 32)) & 1u) == 0;
}

void TreeEnsemble::predictMargin(const float* X, std::size_t rows, std::size_t cols,
                                 double* margins) const {
    if (cols < m_featureCount)
        throw std::invalid_argument("predictMargin: fewer columns than the model's features");
    if (m_dense) {
        m_dense->predictMargin(X, rows, cols, static_cast<float>(m_baseMargin), margins);
        return;
    }
    predictMarginByWalk(X, rows, cols, margins);
}

void TreeEnsemble::predictMarginByWalk(const float* X, std::size_t rows, std::size_t cols,
                                       double* margins) const {
    if (cols < m_featureCount)
        throw std::invalid_argument("predictMargin: fewer columns than the model's features");
    // Rows go through the trees in blocks so that each tree is fetched from memory once per
    // block; the float accumulator and the tree order are XGBoost's, which makes the margins
    // bit-identical to its predictions.
    constexpr std::size_t kBlock = 64;
    constexpr std::size_t kLanes = 8;
    float sums[kBlock];
    const Step* steps = m_steps.data();
    for (std::size_t begin = 0; begin < rows; begin += kBlock) {
        const std::size_t count = std::min(kBlock, rows - begin);
        std::fill(sums, sums + count, static_cast<float>(m_baseMargin));
        for (const Tree& tree : m_trees) {
            // Eight rows descend in lockstep for exactly `depth` levels (leaves point to
            // themselves), with branch-free child selection: the chains are independent, so the
            // CPU overlaps them, and nothing depends on the branch predictor guessing the data.
            for (std::size_t i = 0; i < count; i += kLanes) {
                const std::size_t lanes = std::min(kLanes, count - i);
                std::uint32_t at[kLanes];
                const float* row[kLanes];
                for (std::size_t l = 0; l < kLanes; ++l) {
                    at[l] = tree.firstNode;
                    row[l] = X + (begin + i + std::min(l, lanes - 1)) * cols;
                }
                for (std::uint32_t level = 0; level < tree.depth; ++level) {
                    for (std::size_t l = 0; l < kLanes; ++l) {
                        const Step& step = steps[at[l]];
                        const std::uint32_t feature = step.feature & kStepFeature;
                        const float x = row[l][feature];
                        std::uint32_t left;
                        if (step.feature & kStepCategorical) [[unlikely]] {
                            left = categoryGoesLeft(m_nodes[at[l]], x) ? 1 : 0;
                        } else {
                            static_assert(kStepDefaultLeft == 1u << 31);
                            left =
                                static_cast<std::uint32_t>(x < step.value) |
                                (static_cast<std::uint32_t>(std::isnan(x)) & (step.feature >> 31));
                        }
                        at[l] = step.right ^ ((step.left ^ step.right) & (0u - left));
                    }
                }
                for (std::size_t l = 0; l < lanes; ++l)
                    sums[i + l] += steps[at[l]].value;
            }
        }
        for (std::size_t i = 0; i < count; ++i)
            margins[begin + i] = sums[i];
    }
}

void TreeEnsemble::predict(const float* X, std::size_t rows, std::size_t cols, double* out) const {
    predictMargin(X, rows, cols, out);
    for (std::size_t r = 0; r < rows; ++r)
        out[r] = output(out[r]);
}

}  // namespace cwb
