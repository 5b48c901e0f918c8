// A scorecard as SQL: one CASE expression per characteristic over its bins, whose results are
// the engine's own terms coefficient x WoE (doubles, written so the database reads back the
// same bits), added to the intercept in the engine's order; reason ranks as the engine's
// topReasonIndices orders them (larger contribution first, ties in characteristic order).

#include <cmath>
#include <limits>

#include "model/Scorecard.h"
#include "sqlexport/ModelSteps.h"

namespace cwb {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string contributionColumn(std::size_t j) {
    return "cwb_c" + std::to_string(j);
}

std::string rankColumn(std::size_t j) {
    return "cwb_r" + std::to_string(j);
}

// A CASE over numeric bins in bin order, as CharacteristicBins::binOf walks them: the first
// bin with lower <= float(x) < upper. Conditions implied by the bins before are left out.
void numericBins(const SqlSyntax& syntax, const CharacteristicBins& c, double coefficient,
                 const std::string& f, std::string& out) {
    double coveredBelow = -kInf;  // every value below this has matched an earlier bin
    for (const Bin& bin : c.bins) {
        if (bin.missing) continue;
        const FloatCut lower = floatAtLeast(bin.lower);
        const FloatCut upper = floatAtLeast(bin.upper);  // the bin holds values failing this
        if (lower.kind == FloatCut::Kind::None || upper.kind == FloatCut::Kind::All) continue;
        std::string condition;
        const bool lowerImplied = lower.kind == FloatCut::Kind::All || bin.lower <= coveredBelow;
        if (!lowerImplied) condition = cutCondition(syntax, f, lower, true);
        if (upper.kind != FloatCut::Kind::None) {
            if (!condition.empty()) condition += " AND ";
            condition += cutCondition(syntax, f, upper, false);
        }
        const std::string value = syntax.real(coefficient * bin.woe);
        if (condition.empty()) {  // every remaining value falls in this bin
            out += " ELSE " + value + " END";
            return;
        }
        out += " WHEN " + condition + " THEN " + value;
        if (lowerImplied) coveredBelow = std::max(coveredBelow, bin.upper);
    }
    out += " ELSE " + syntax.real(0.0) + " END";
}

void categoricalBins(const SqlSyntax& syntax, const CharacteristicBins& c, double coefficient,
                     const ColumnSpec& spec, const std::string& f, std::string& out) {
    for (const Bin& bin : c.bins) {
        std::string codes;
        for (int code : bin.levels) {
            // Codes outside the schema's levels are never produced by the encoder.
            if (code < 0 || static_cast<std::size_t>(code) >= spec.levels.size()) continue;
            if (!codes.empty()) codes += ", ";
            codes += std::to_string(code);
        }
        if (codes.empty()) continue;
        out += " WHEN " + f + " IN (" + codes + ") THEN " + syntax.real(coefficient * bin.woe);
    }
    out += " ELSE " + syntax.real(0.0) + " END";
}

// 1 + the number of characteristics ranked before j: a larger contribution, or an equal one
// earlier in the model (topReasonIndices keeps ties in characteristic order).
std::string rankExpression(const SqlSyntax& syntax, const std::vector<std::size_t>& included,
                           std::size_t j) {
    const std::string cj = contributionColumn(j);
    std::string out =
        "CASE WHEN cwb_reject_reason IS NULL AND " + cj + " > " + syntax.real(0.0) + " THEN 1";
    for (std::size_t i : included) {
        if (i == j) continue;
        out += " + CASE WHEN " + contributionColumn(i) + (i < j ? " >= " : " > ") + cj +
               " THEN 1 ELSE 0 END";
    }
    return out + " END";
}

}  // namespace

Result<void> writeScorecardSteps(SqlStatement& sql, const ScorecardModel& model,
                                 const std::vector<const ColumnSpec*>& features, int reasons,
                                 std::vector<ReasonRank>& ranks) {
    const SqlSyntax& syntax = sql.syntax();
    const auto& allBins = model.bins();
    const auto& coefficients = model.coefficients();
    if (allBins.size() != features.size())
        return Error::badInput("the scorecard has " + std::to_string(allBins.size()) +
                               " characteristics but the schema " +
                               std::to_string(features.size()) + " input columns");
    if (!std::isfinite(model.intercept()))
        return Error::badInput("the scorecard's intercept is not a finite number");

    // Characteristics with a coefficient of 0 score 0 in the engine and are left out here.
    std::vector<std::size_t> included;
    double largestMargin = std::abs(model.intercept());
    for (std::size_t j = 0; j < allBins.size(); ++j) {
        const CharacteristicBins& c = allBins[j];
        const bool categorical = features[j]->type == ColumnType::Categorical;
        if (c.categorical != categorical)
            return Error::badInput("the scorecard bins '" + c.feature + "' as " +
                                   (c.categorical ? "categorical" : "numeric") +
                                   " but the schema says otherwise");
        if (coefficients[j] == 0.0) continue;
        double largestTerm = 0.0;
        for (const Bin& bin : c.bins) {
            const double term = coefficients[j] * bin.woe;
            if (!std::isfinite(term) || std::isnan(bin.lower) || std::isnan(bin.upper))
                return Error::badInput("a bin of '" + c.feature +
                                       "' holds a value that is not a number");
            largestTerm = std::max(largestTerm, std::abs(term));
        }
        largestMargin += largestTerm;
        included.push_back(j + 1);
    }
    if (largestMargin > kMaxAbsMargin)
        return Error::badInput("the scorecard's margin can reach " + std::to_string(largestMargin) +
                               " log-odds; SQL scoring supports at most " +
                               std::to_string(kMaxAbsMargin));

    sql.beginStep("cwb_parts");
    sql.text() += sql.carried();
    for (std::size_t j : included) {
        const CharacteristicBins& c = allBins[j - 1];
        const double coefficient = coefficients[j - 1];
        const std::string f = featureColumn(j);
        sql.nextItem();
        std::string& out = sql.text();
        out += "CASE";
        // A missing value goes to the missing bin, which binOf looks for only in last place.
        if (!c.bins.empty() && c.bins.back().missing)
            out += " WHEN " + f + " IS NULL THEN " + syntax.real(coefficient * c.bins.back().woe);
        else if (features[j - 1]->allowMissing)
            out += " WHEN " + f + " IS NULL THEN " + syntax.real(0.0);
        if (c.categorical)
            categoricalBins(syntax, c, coefficient, *features[j - 1], f, out);
        else
            numericBins(syntax, c, coefficient, f, out);
        out += " AS " + contributionColumn(j);
        if (sql.full()) break;
    }
    sql.endStep("cwb_input");

    sql.beginStep("cwb_margin");
    sql.text() += sql.carried();
    sql.nextItem();
    sql.text() += "CASE WHEN cwb_reject_reason IS NULL THEN " + syntax.real(model.intercept());
    for (std::size_t j : included)
        sql.text() += " + " + contributionColumn(j);
    sql.text() += " END AS cwb_margin";
    if (reasons > 0) {
        for (std::size_t j : included) {
            sql.nextItem();
            sql.text() += rankExpression(syntax, included, j) + " AS " + rankColumn(j);
            ranks.push_back({rankColumn(j), features[j - 1]->name});
            if (sql.full()) break;
        }
    }
    sql.endStep("cwb_parts");
    return {};
}

}  // namespace cwb
