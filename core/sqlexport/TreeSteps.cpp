// A tree ensemble as SQL: each tree one nested CASE expression (a split is
// CASE WHEN <goes one way> THEN <that subtree> ELSE <the other> END, arranged so that a NULL,
// which fails every comparison, takes the split's default branch), summed from the base margin
// in tree order. Where the dialect has single precision the leaves and the running sum are
// REAL/FLOAT, so every addition rounds exactly as in the engine and XGBoost.

#include <cmath>
#include <limits>

#include "model/TreeEnsemble.h"
#include "sqlexport/ModelSteps.h"

namespace cwb {

namespace {

// More trees per step would nest the sum deeper than SQLite allows (1000 levels).
constexpr std::size_t kTreesPerStep = 100;
// Deeper trees would nest CASE expressions too deeply for SQLite; XGBoost's default is 6.
constexpr std::uint32_t kMaxTreeDepth = 200;

// Where the non-missing values of a split go.
struct Split {
    enum class Kind { AllRight, AllLeft, Condition } kind = Kind::Condition;
    std::string right;  // condition for "goes right" (Condition only)
    std::string left;   // condition for "goes left"
};

class TreeWriter {
public:
    TreeWriter(SqlStatement& sql, const TreeEnsemble& ensemble,
               const std::vector<const ColumnSpec*>& features)
        : m_sql(sql),
          m_syntax(sql.syntax()),
          m_ensemble(ensemble),
          m_features(features),
          m_row(ensemble.featureCount(), std::numeric_limits<float>::quiet_NaN()) {}

    std::string leaf(float value) const {
        return m_syntax.singlePrecision() ? m_syntax.single(value) : m_syntax.real(value);
    }

    // Appends node g's subtree; false when the text outgrew the limit.
    bool write(std::size_t g) {
        if (m_sql.full()) return false;
        const TreeEnsemble::Node& node = m_ensemble.nodes()[g];
        std::string& out = m_sql.text();
        if (node.isLeaf()) {
            out += leaf(node.value);
            return true;
        }
        const std::size_t left = g + 1;
        const auto right = static_cast<std::size_t>(node.right);
        const std::size_t feature = static_cast<std::size_t>(node.feature);
        const std::string f = featureColumn(feature + 1);
        const Split split = splitOf(node, feature, f);
        const std::size_t byDefault = node.defaultLeft() ? left : right;
        const std::size_t other = node.defaultLeft() ? right : left;
        switch (split.kind) {
            case Split::Kind::AllRight:
            case Split::Kind::AllLeft: {
                const std::size_t taken = split.kind == Split::Kind::AllRight ? right : left;
                if (taken == byDefault) return write(taken);
                out += "CASE WHEN " + f + " IS NULL THEN ";
                if (!write(byDefault)) return false;
                out += " ELSE ";
                if (!write(other)) return false;
                out += " END";
                return true;
            }
            case Split::Kind::Condition:
                // The condition leads away from the default branch, so NULL (unknown) falls
                // through to ELSE, the default.
                out += "CASE WHEN " + (node.defaultLeft() ? split.right : split.left) + " THEN ";
                if (!write(other)) return false;
                out += " ELSE ";
                if (!write(byDefault)) return false;
                out += " END";
                return true;
        }
        return false;
    }

private:
    Split splitOf(const TreeEnsemble::Node& node, std::size_t feature, const std::string& f) {
        if (!node.categorical()) {
            // Left when float(x) < threshold: a NaN threshold sends everything right.
            const FloatCut right = std::isnan(node.value) ? FloatCut{FloatCut::Kind::All, 0.0}
                                                          : floatAtLeast(node.value);
            if (right.kind == FloatCut::Kind::All) return {Split::Kind::AllRight, {}, {}};
            if (right.kind == FloatCut::Kind::None) return {Split::Kind::AllLeft, {}, {}};
            return {Split::Kind::Condition, cutCondition(m_syntax, f, right, true),
                    cutCondition(m_syntax, f, right, false)};
        }
        // A categorical split: ask the engine where each level's code goes.
        std::string rightCodes, leftCodes;
        const ColumnSpec& spec = *m_features[feature];
        for (std::size_t code = 0; code < spec.levels.size(); ++code) {
            m_row[feature] = static_cast<float>(code);
            std::string& codes = m_ensemble.goesLeft(node, m_row.data()) ? leftCodes : rightCodes;
            if (!codes.empty()) codes += ", ";
            codes += std::to_string(code);
        }
        m_row[feature] = std::numeric_limits<float>::quiet_NaN();
        if (leftCodes.empty()) return {Split::Kind::AllRight, {}, {}};
        if (rightCodes.empty()) return {Split::Kind::AllLeft, {}, {}};
        return {Split::Kind::Condition, f + " IN (" + rightCodes + ")",
                f + " IN (" + leftCodes + ")"};
    }

    SqlStatement& m_sql;
    const SqlSyntax& m_syntax;
    const TreeEnsemble& m_ensemble;
    const std::vector<const ColumnSpec*>& m_features;
    std::vector<float> m_row;  // NaN except the feature a categorical split is asked about
};

Result<void> checkEnsemble(const TreeEnsemble& ensemble,
                           const std::vector<const ColumnSpec*>& features) {
    if (ensemble.featureCount() > features.size())
        return Error::badInput("the tree model reads " + std::to_string(ensemble.featureCount()) +
                               " features but the schema has " + std::to_string(features.size()));
    if (!std::isfinite(ensemble.baseMargin()))
        return Error::badInput("the tree model's base score is not a finite number");
    double largestMargin = std::abs(ensemble.baseMargin());
    const auto nodes = ensemble.nodes();
    for (std::size_t t = 0; t < ensemble.treeCount(); ++t) {
        const TreeEnsemble::Tree& tree = ensemble.trees()[t];
        if (tree.depth > kMaxTreeDepth)
            return Error::badInput(
                "tree " + std::to_string(t) + " is " + std::to_string(tree.depth) +
                " levels deep; SQL export supports " + std::to_string(kMaxTreeDepth));
        double largestLeaf = 0.0;
        for (std::size_t g = tree.firstNode; g < tree.firstNode + tree.nodeCount; ++g) {
            const TreeEnsemble::Node& node = nodes[g];
            if (node.isLeaf()) {
                if (!std::isfinite(node.value))
                    return Error::badInput("tree " + std::to_string(t) +
                                           " has a leaf value that is not a finite number");
                largestLeaf = std::max(largestLeaf, std::abs(static_cast<double>(node.value)));
            } else if (node.categorical() &&
                       features[static_cast<std::size_t>(node.feature)]->type !=
                           ColumnType::Categorical) {
                return Error::badInput(
                    "tree " + std::to_string(t) + " has a categorical split on numeric column '" +
                    features[static_cast<std::size_t>(node.feature)]->name + "'");
            }
        }
        largestMargin += largestLeaf;
    }
    if (largestMargin > kMaxAbsMargin)
        return Error::badInput(
            "the tree model's margin can reach " + std::to_string(largestMargin) +
            " log-odds; SQL scoring supports at most " + std::to_string(kMaxAbsMargin));
    return {};
}

}  // namespace

Result<void> writeTreeSteps(SqlStatement& sql, const TreeEnsemble& ensemble,
                            const std::vector<const ColumnSpec*>& features) {
    if (auto ok = checkEnsemble(ensemble, features); !ok) return ok;
    const SqlSyntax& syntax = sql.syntax();
    TreeWriter writer(sql, ensemble, features);
    const std::size_t trees = ensemble.treeCount();
    const auto base = static_cast<float>(ensemble.baseMargin());  // a float value (XGBoost's)

    std::string from = "cwb_input";
    std::string sum;  // the running sum so far: the base margin, then a step's cwb_sum
    if (trees == 0) sum = writer.leaf(base);
    for (std::size_t begin = 0; begin < trees; begin += kTreesPerStep) {
        const std::size_t end = std::min(trees, begin + kTreesPerStep);
        const std::string step = "cwb_trees_" + std::to_string(begin / kTreesPerStep + 1);
        sql.beginStep(step);
        sql.text() += sql.carried();
        if (end < trees) {  // the next step reads the features again
            for (std::size_t j = 1; j <= ensemble.featureCount(); ++j)
                sql.text() += ", " + featureColumn(j);
        }
        sql.nextItem();
        sql.text() += begin == 0 ? writer.leaf(base) : "cwb_sum";
        for (std::size_t t = begin; t < end; ++t) {
            sql.text() += "\n      + ";
            if (!writer.write(ensemble.trees()[t].firstNode)) break;
        }
        sql.text() += " AS cwb_sum";
        sql.endStep(from);
        if (sql.full()) return {};
        from = step;
        sum = "cwb_sum";
    }

    sql.beginStep("cwb_margin");
    sql.text() += sql.carried();
    sql.nextItem();
    sql.text() += "CASE WHEN cwb_reject_reason IS NULL THEN " +
                  (syntax.singlePrecision() ? syntax.toDouble(sum) : sum) + " END AS cwb_margin";
    sql.endStep(from);
    return {};
}

}  // namespace cwb
