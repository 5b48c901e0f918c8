#include "eval/Diagnostics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <unordered_map>

#include "eval/Metrics.h"
#include "features/Binning.h"

namespace cwb {

namespace {

// Thresholds of the checks. Leakage is judged by what one characteristic reproduces of the
// outcome, not by IV: an IV above 0.5 ("too good to be true" in old scorecard lore) flagged
// checking_status (German), PAY_0 (Taiwan) and credit history on every file tried, all of them
// ordinary strong predictors. A leak nearly reproduces the outcome on its own: an AUC above
// 0.9, or an AUC of at least 0.8 that all characteristics together hardly improve on.
constexpr double kNearConstantShare = 0.98;
constexpr double kHighMissingRate = 0.3;
constexpr double kIdDistinctShareText = 0.95;
constexpr double kIdDistinctShareInteger = 0.99;
constexpr std::size_t kIdMinimumValues = 20;  // below this, "all distinct" proves nothing
constexpr double kLeakageAuc = 0.9;
constexpr double kLeakageNearAuc = 0.8;
constexpr double kLeakageGap = 0.02;  // within this of all characteristics together

struct ColumnProfile {
    std::size_t rows = 0;
    std::size_t missing = 0;
    std::size_t distinct = 0;
    std::string topValue;
    std::size_t topCount = 0;
    bool allIntegers = true;  // every present value is an integer literal

    std::size_t present() const { return rows - missing; }
};

bool isIntegerLiteral(std::string_view text) {
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

ColumnProfile profile(const std::vector<std::string>& column) {
    ColumnProfile p;
    p.rows = column.size();
    std::unordered_map<std::string_view, std::size_t> counts;
    for (const auto& raw : column) {
        if (isMissingToken(raw)) {
            ++p.missing;
            continue;
        }
        const std::string_view value = trimmed(raw);
        if (p.allIntegers && !isIntegerLiteral(value)) p.allIntegers = false;
        const std::size_t count = ++counts[value];
        if (count > p.topCount) {
            p.topCount = count;
            p.topValue = std::string(value);
        }
    }
    p.distinct = counts.size();
    return p;
}

std::string percent(double share) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * share);
    return buffer;
}

std::string fixed2(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

std::string quoted(const std::string& name) {
    return "'" + name + "'";
}

// Roles the user has already taken out of the model: nothing to warn about.
bool examined(const ColumnSpec& spec, const Schema& schema) {
    if (spec.name == schema.target) return false;
    return spec.role == ColumnRole::Feature || spec.role == ColumnRole::Protected;
}

void checkValues(const ColumnSpec& spec, const ColumnProfile& p,
                 std::vector<DataWarning>& warnings) {
    const std::string name = quoted(spec.name);
    if (p.rows > 0 &&
        static_cast<double>(p.missing) / static_cast<double>(p.rows) >= kHighMissingRate) {
        warnings.push_back(
            {spec.name, "high_missing",
             "column " + name + " is missing in " +
                 percent(static_cast<double>(p.missing) / static_cast<double>(p.rows)) +
                 " of rows"});
    }
    if (spec.type == ColumnType::Constant || p.distinct <= 1) {
        const std::string what = p.distinct == 0
                                     ? "has no value in any row"
                                     : "has the single value '" + p.topValue + "' in every row";
        warnings.push_back(
            {spec.name, "constant", "column " + name + " " + what + ": it cannot help the model"});
        return;  // near-constant and id-like say nothing more about a constant column
    }
    const double topShare = static_cast<double>(p.topCount) / static_cast<double>(p.present());
    if (topShare >= kNearConstantShare) {
        warnings.push_back({spec.name, "near_constant",
                            "column " + name + " has the value '" + p.topValue + "' in " +
                                percent(topShare) +
                                " of rows with a value: it carries almost no information"});
    }
    if (spec.role != ColumnRole::Feature) return;
    const double distinctShare = static_cast<double>(p.distinct) / static_cast<double>(p.present());
    const bool enoughValues = p.present() >= kIdMinimumValues;
    const bool textLike = spec.type == ColumnType::Text || spec.type == ColumnType::Categorical;
    // Integer amounts (credit amount) are often mostly distinct too, so numbers need a
    // stricter share than text before they look like identifiers.
    const bool idLike = spec.type == ColumnType::Identifier ||
                        (enoughValues && textLike && distinctShare >= kIdDistinctShareText) ||
                        (enoughValues && spec.type == ColumnType::Numeric && p.allIntegers &&
                         distinctShare >= kIdDistinctShareInteger);
    if (idLike) {
        warnings.push_back({spec.name, "id_like",
                            "column " + name + " looks like an identifier (" +
                                percent(distinctShare) +
                                " of values distinct): leave it out of the model"});
    }
}

// One characteristic's binned bad rate as a risk score (-WoE: WoE falls as risk rises).
std::vector<double> binnedRisk(const EncodedData& data, std::size_t feature,
                               const CharacteristicBins& bins) {
    std::vector<double> risk(data.rows);
    for (std::size_t r = 0; r < data.rows; ++r)
        risk[r] = -bins.woeOf(data.at(r, feature));
    return risk;
}

// The direction does not matter for leakage, hence max(auc, 1 - auc).
double twoSidedAuc(const std::vector<double>& risk, const std::vector<float>& labels) {
    const double a = auc(risk, labels);
    return std::isnan(a) ? a : std::max(a, 1.0 - a);
}

struct SingleFit {
    std::size_t feature = 0;
    double iv = 0.0;
    double auc = 0.0;
};

void checkLeakage(const EncodedData& data, const std::vector<std::size_t>& features,
                  std::vector<DataWarning>& warnings) {
    // Each characteristic alone, and all of them together as a naive sum of WoE: a stand-in
    // for what the model will reach, cheap enough to run before training.
    std::vector<SingleFit> fits;
    std::vector<double> together(data.rows, 0.0);
    for (std::size_t feature : features) {
        const auto bins = binCharacteristic(data, feature, BinningSettings{});
        const auto risk = binnedRisk(data, feature, bins);
        const double a = twoSidedAuc(risk, data.labels);
        if (std::isnan(a)) continue;
        fits.push_back({feature, bins.informationValue, a});
        for (std::size_t r = 0; r < data.rows; ++r)
            together[r] += risk[r];
    }
    const double all = fits.size() > 1 ? twoSidedAuc(together, data.labels) : 1.0;
    for (const SingleFit& fit : fits) {
        const bool nearAll = fit.auc >= kLeakageNearAuc && fit.auc >= all - kLeakageGap;
        if (fit.auc <= kLeakageAuc && !nearAll) continue;
        const std::string name = quoted(data.featureNames[fit.feature]);
        const std::string why =
            fit.auc > kLeakageAuc
                ? "almost reproduces the outcome on its own"
                : "reproduces almost all that every characteristic together does (AUC " +
                      fixed2(all) + ")";
        warnings.push_back({data.featureNames[fit.feature], "leakage",
                            "column " + name + " alone has AUC " + fixed2(fit.auc) + " and IV " +
                                fixed2(fit.iv) + ": it " + why +
                                "; check it is not known only after the outcome (target "
                                "leakage)"});
    }
}

}  // namespace

std::vector<DataWarning> diagnose(const Table& table, const Schema& schema,
                                  const EncodedData& data) {
    std::vector<DataWarning> warnings;
    const bool labelled = !data.labels.empty() && data.labels.size() == data.rows;
    std::vector<std::size_t> features;
    for (const ColumnSpec& spec : schema.columns) {
        if (!examined(spec, schema)) continue;
        const auto header = std::find(table.header.begin(), table.header.end(), spec.name);
        if (header != table.header.end()) {
            const auto c = static_cast<std::size_t>(header - table.header.begin());
            if (c < table.columns.size()) checkValues(spec, profile(table.columns[c]), warnings);
        }
        if (!labelled || spec.role != ColumnRole::Feature) continue;
        const auto feature =
            std::find(data.featureNames.begin(), data.featureNames.end(), spec.name);
        if (feature != data.featureNames.end())
            features.push_back(static_cast<std::size_t>(feature - data.featureNames.begin()));
    }
    if (labelled) checkLeakage(data, features, warnings);
    return warnings;
}

}  // namespace cwb
