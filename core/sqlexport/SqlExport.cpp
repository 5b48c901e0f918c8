#include "sqlexport/SqlExport.h"

#include <cmath>
#include <optional>

#include "data/TextUtil.h"
#include "model/RatioModel.h"
#include "model/Scorecard.h"
#include "model/TreeEnsemble.h"
#include "sqlexport/ModelSteps.h"
#include "sqlexport/SqlStatement.h"

namespace cwb {

namespace {

constexpr int kMaxReasons = 20;     // as cwb score --reasons
constexpr double kMaxPoints = 1e9;  // scores stay well inside INTEGER

// Model names are untrusted: only printable ASCII goes into the header comment, so nothing in
// a name can end the comment.
std::string commentText(std::string_view text) {
    std::string out;
    for (const char c : text)
        out += (c >= 0x20 && c < 0x7F) ? c : '?';
    return out;
}

std::vector<std::string> outputColumns(const ModelBundle& bundle, int reasons) {
    std::vector<std::string> columns;
    if (const ColumnSpec* id = bundle.schema.idColumn()) columns.push_back(id->name);
    for (const char* name : {"pd", "score", "decision"})
        columns.emplace_back(name);
    for (int k = 1; k <= reasons; ++k)
        columns.push_back("reason_" + std::to_string(k));
    columns.emplace_back("reject_column");
    columns.emplace_back("reject_reason");
    return columns;
}

Result<void> checkScaling(const ModelBundle& bundle) {
    const ScoreScaling& s = bundle.scaling;
    const double offset = s.offset();
    const double factor = s.factor();
    if (!std::isfinite(offset) || !std::isfinite(factor) ||
        std::abs(offset) + std::abs(factor) * kMaxAbsMargin > kMaxPoints)
        return Error::badInput("the bundle's score scaling gives scores beyond +-" +
                               std::to_string(static_cast<long long>(kMaxPoints)) + " points");
    if (!std::isfinite(bundle.policy.approveFrom) || !std::isfinite(bundle.policy.declineBelow))
        return Error::badInput("the bundle's decision policy holds a value that is not a number");
    return {};
}

// lround(p): half away from zero. p - FLOOR(p) is exact for p >= 0, so unlike FLOOR(p + 0.5)
// this never rounds 0.49999999999999994 up; ROUND() is half-to-even in PostgreSQL.
std::string roundHalfAway(const std::string& p) {
    const auto half = [](const std::string& x) {
        return "FLOOR(" + x + ") + CASE WHEN " + x + " - FLOOR(" + x + ") >= 0.5 THEN 1 ELSE 0 END";
    };
    return "CAST(CASE WHEN " + p + " >= 0 THEN " + half(p) + " ELSE -(" + half("-" + p) +
           ") END AS INTEGER)";
}

// cwb_scored, cwb_rounded and the final select: pd, points, score, decision as the engine's
// Scorer::fromMargin computes them, and the reason columns from the ranks.
void writeScoreSteps(SqlStatement& sql, const ModelBundle& bundle, int reasons,
                     const std::vector<ReasonRank>& ranks) {
    const SqlSyntax& syntax = sql.syntax();
    const std::string one = syntax.real(1.0);
    sql.beginStep("cwb_scored");
    sql.text() += sql.carried();
    sql.nextItem();
    sql.text() += one + " / (" + one + " + EXP(-cwb_margin)) AS cwb_pd";
    sql.nextItem();
    sql.text() += syntax.real(bundle.scaling.offset()) + " - " +
                  syntax.real(bundle.scaling.factor()) + " * cwb_margin AS cwb_points";
    for (int k = 1; k <= reasons; ++k) {
        sql.nextItem();
        std::string out = "CASE";
        for (const ReasonRank& rank : ranks)
            out += " WHEN " + rank.rankColumn + " = " + std::to_string(k) + " THEN " +
                   syntax.string(rank.feature);
        sql.text() += (ranks.empty() ? std::string("NULL") : out + " END") + " AS cwb_reason_" +
                      std::to_string(k);
    }
    sql.endStep("cwb_margin");

    std::string reasonList;
    for (int k = 1; k <= reasons; ++k)
        reasonList += ", cwb_reason_" + std::to_string(k);
    sql.beginStep("cwb_rounded");
    sql.text() += sql.carried() + ", cwb_pd" + reasonList;
    sql.nextItem();
    sql.text() += roundHalfAway("cwb_points") + " AS cwb_score";
    sql.endStep("cwb_scored");

    std::string& out = sql.text();
    out += "\nSELECT\n    ";
    if (const ColumnSpec* id = bundle.schema.idColumn())
        out += "cwb_id AS " + syntax.identifier(id->name) + ",\n    ";
    out += "cwb_pd AS pd,\n    cwb_score AS score,\n    CASE WHEN cwb_score IS NULL THEN NULL";
    out += " WHEN cwb_score >= " + syntax.real(bundle.policy.approveFrom) + " THEN 'approve'";
    out += " WHEN cwb_score < " + syntax.real(bundle.policy.declineBelow) + " THEN 'decline'";
    out += " ELSE 'refer' END AS decision";
    for (int k = 1; k <= reasons; ++k)
        out += ",\n    cwb_reason_" + std::to_string(k) + " AS reason_" + std::to_string(k);
    out += ",\n    cwb_reject_column AS reject_column,\n    cwb_reject_reason AS reject_reason";
    out += "\nFROM cwb_rounded\n";
}

Result<int> reasonCount(const ModelBundle& bundle, bool scorecard, int requested) {
    if (requested < -1 || requested > kMaxReasons)
        return Error::badInput("reasons must be between 0 and " + std::to_string(kMaxReasons));
    if (scorecard) return requested < 0 ? 4 : requested;
    if (requested > 0)
        return Error::badInput("the model '" + bundle.name + "' is a tree ensemble (" +
                               bundle.model->algorithm() +
                               "): reason codes in SQL are available for scorecards only; "
                               "the engine explains trees with TreeSHAP (cwb score --reasons)");
    return 0;
}

}  // namespace

Result<SqlExportResult> exportScoringSql(const ModelBundle& bundle,
                                         const SqlExportOptions& options) {
    if (!bundle.model) return Error::badInput("the bundle holds no model");
    const auto features = bundle.schema.features();
    if (bundle.model->featureCount() != features.size())
        return Error::badInput("the model reads " + std::to_string(bundle.model->featureCount()) +
                               " features but its schema lists " + std::to_string(features.size()));
    const auto* scorecard = dynamic_cast<const ScorecardModel*>(bundle.model.get());
    if (bundle.model->kind() == kRatioModelKind)
        return Error::badInput("the model '" + bundle.name +
                               "' computes derived ratio characteristics (decision 51), which "
                               "the SQL statement does not compute yet; train it with "
                               "cwb train --no-ratios to export it as SQL");
    if (!scorecard && bundle.model->kind() != "xgboost-ubj")
        return Error::badInput("models of kind '" + bundle.model->kind() +
                               "' cannot be exported as SQL");
    auto reasons = reasonCount(bundle, scorecard != nullptr, options.reasons);
    if (!reasons) return reasons.error();
    if (auto ok = checkScaling(bundle); !ok) return ok.error();

    SqlExportResult result;
    result.reasons = *reasons;
    result.outputColumns = outputColumns(bundle, *reasons);
    if (const ColumnSpec* id = bundle.schema.idColumn()) {
        for (std::size_t c = 1; c < result.outputColumns.size(); ++c) {
            if (text::iequals(id->name, result.outputColumns[c]))
                return Error::badInput("the id column '" + id->name +
                                       "' has the name of an output column of the statement");
        }
    }

    SqlStatement sql(SqlSyntax(options.dialect), options.maxBytes);
    sql.text() +=
        "-- Credit Workbench scoring statement for model " + commentText(bundle.name) +
        " version " + commentText(bundle.version) + " (" + commentText(bundle.model->algorithm()) +
        "), dialect " + toString(options.dialect) +
        ".\n-- Generated by cwb " CWB_VERSION "; see docs/in-database-scoring.md. Reads table " +
        commentText(options.table) + ".\n";
    if (auto ok = writeInputSteps(sql, bundle.schema, options.table); !ok) return ok.error();

    std::vector<ReasonRank> ranks;
    std::optional<TreeEnsemble> ensemble;
    if (scorecard) {
        result.modelType = "scorecard";
        for (double b : scorecard->coefficients())
            result.characteristics += b != 0.0 ? 1 : 0;
    } else {
        auto loaded = TreeEnsemble::fromXgboostUbjson(bundle.model->serialize());
        if (!loaded) return loaded.error();
        ensemble = std::move(*loaded);
        result.modelType = "trees";
        result.trees = ensemble->treeCount();
        result.singlePrecisionSums = sql.syntax().singlePrecision();
    }
    if (!sql.full()) {
        auto ok = scorecard ? writeScorecardSteps(sql, *scorecard, features, *reasons, ranks)
                            : writeTreeSteps(sql, *ensemble, features);
        if (!ok) return ok.error();
    }
    if (!sql.full()) writeScoreSteps(sql, bundle, *reasons, ranks);
    if (sql.full())
        return Error::badInput(
            "the statement for model '" + bundle.name + "' would exceed " +
            std::to_string(options.maxBytes) + " bytes" +
            (result.trees > 0 ? " (" + std::to_string(result.trees) + " trees)" : std::string()) +
            "; raise the limit if the database accepts statements that long");
    result.sql = std::move(sql.text());
    return result;
}

Result<std::string> inputTableDdl(const ModelBundle& bundle, SqlDialect dialect,
                                  const std::string& table) {
    const SqlSyntax syntax(dialect);
    if (auto ok = syntax.checkName(table, "the table name"); !ok) return ok.error();
    std::string out = "CREATE TABLE " + syntax.tableName(table) + " (";
    bool first = true;
    const auto column = [&](const ColumnSpec& spec, const std::string& type) -> Result<void> {
        if (auto ok = syntax.checkName(spec.name, "the name of column '" + spec.name + "'"); !ok)
            return ok;
        out += first ? "\n    " : ",\n    ";
        first = false;
        out += syntax.identifier(spec.name) + " " + type;
        return {};
    };
    if (const ColumnSpec* id = bundle.schema.idColumn()) {
        if (auto ok = column(*id, syntax.textType()); !ok) return ok.error();
    }
    for (const ColumnSpec* spec : bundle.schema.features()) {
        const bool categorical = spec->type == ColumnType::Categorical;
        if (auto ok = column(*spec, categorical ? syntax.textType() : syntax.numericType()); !ok)
            return ok.error();
    }
    return out + "\n);\n";
}

}  // namespace cwb
