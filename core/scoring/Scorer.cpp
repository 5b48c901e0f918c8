#include "scoring/Scorer.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "scoring/UsedFeatures.h"

namespace cwb {

namespace {

// A number the schema accepts, for a characteristic the model does not use: the training
// minimum, moved into the valid range where an edited range excludes it.
double validStandIn(const ColumnSpec& spec) {
    double x = spec.min;
    if (spec.validMin && x < *spec.validMin) x = *spec.validMin;
    if (spec.integerOnly) x = std::ceil(x);
    if (spec.validMax && x > *spec.validMax) x = *spec.validMax;
    return x;
}

}  // namespace

double pdFromMargin(double margin) {
    return 1.0 / (1.0 + std::exp(-margin));
}

nlohmann::json ScoreResult::toJson(const std::vector<std::string>& featureNames) const {
    nlohmann::json contributionsJson = nlohmann::json::object();
    for (std::size_t j = 0; j < contributions.size() && j < featureNames.size(); ++j)
        contributionsJson[featureNames[j]] = contributions[j];
    nlohmann::json reasonsJson = nlohmann::json::array();
    for (const Reason& r : reasons)
        reasonsJson.push_back(
            {{"feature", r.feature}, {"text", r.text}, {"contribution", r.contribution}});
    return {{"pd", pd},
            {"score", score},
            {"points", points},
            {"decision", toString(decision)},
            {"margin", margin},
            {"base_value", baseValue},
            {"contributions", contributionsJson},
            {"reasons", reasonsJson}};
}

Scorer::Scorer(std::shared_ptr<const ModelBundle> bundle)
    : m_bundle(std::move(bundle)),
      m_featureNames(m_bundle->schema.featureNames()),
      m_encoder(RowEncoder::bind(m_bundle->schema, m_featureNames, '.', false)) {
    for (const ColumnSpec& column : m_bundle->schema.columns)
        m_columnNames.push_back(column.name);
    std::sort(m_columnNames.begin(), m_columnNames.end());
}

ScoreResult Scorer::fromMargin(double margin) const {
    ScoreResult r;
    r.margin = margin;
    r.pd = pdFromMargin(margin);
    r.points = m_bundle->scaling.pointsFromMargin(margin);
    r.score = std::lround(r.points);
    r.decision = m_bundle->policy.decide(static_cast<double>(r.score));
    return r;
}

ScoreResult Scorer::score(const float* encodedRow) const {
    double margin = 0.0;
    m_bundle->model->predictMargin(encodedRow, 1, &margin);
    return fromMargin(margin);
}

ScoreResult Scorer::explain(const float* encodedRow, int reasons) const {
    const std::size_t n = m_bundle->model->featureCount();
    std::vector<double> contributions(n);
    double base = 0.0;
    m_bundle->model->contributions(encodedRow, 1, contributions.data(), &base);
    // The margin reported is the model's own prediction; contributions add up to it (tested).
    ScoreResult r = score(encodedRow);
    r.baseValue = base;
    r.contributions = std::move(contributions);
    const std::size_t k = static_cast<std::size_t>(std::max(reasons, 0));
    std::vector<std::size_t> top(k);
    const std::size_t found = topReasonIndices(r.contributions.data(), n, k, top.data());
    for (std::size_t i = 0; i < found; ++i) {
        const std::string& feature = m_featureNames[top[i]];
        // The most specific text: the applicant's level or range of the characteristic.
        r.reasons.push_back(
            {feature, m_bundle->reasonText(feature, encodedRow[top[i]]), r.contributions[top[i]]});
    }
    return r;
}

Result<ScoreResult> Scorer::explainRecord(const std::map<std::string, std::string>& values,
                                          int reasons, RejectedRow* refused) const {
    for (const auto& [name, value] : values) {
        (void)value;
        if (!std::binary_search(m_columnNames.begin(), m_columnNames.end(), name)) {
            if (refused) *refused = {0, name, "unknown characteristic", {}};
            return Error::badInput("unknown characteristic '" + name + "' in the record");
        }
    }
    if (!m_encoder) return m_encoder.error();
    // A characteristic the model cannot use may be left out of the record even where the
    // schema allows no missing value: a valid stand-in is encoded, which moves nothing.
    const std::vector<bool> used = usedFeatures(*m_bundle);
    std::vector<std::string> standIns(m_featureNames.size());
    std::vector<std::string_view> fields;
    fields.reserve(m_featureNames.size());
    for (std::size_t j = 0; j < m_featureNames.size(); ++j) {
        const std::string& name = m_featureNames[j];
        auto it = values.find(name);
        if (it == values.end() && j < used.size() && !used[j]) {
            const ColumnSpec* spec = m_bundle->schema.find(name);
            if (spec && spec->type == ColumnType::Categorical && !spec->levels.empty())
                standIns[j] = spec->levels.front();
            else if (spec && spec->type == ColumnType::Numeric)
                standIns[j] = std::to_string(validStandIn(*spec));
            fields.push_back(standIns[j]);
            continue;
        }
        fields.push_back(it == values.end() ? std::string_view() : std::string_view(it->second));
    }
    std::vector<float> row(m_encoder->featureCount());
    RejectedRow reject;
    if (!m_encoder->encode(fields, row.data(), reject)) {
        if (refused) *refused = reject;
        return Error::badInput(reject.column.empty() ? reject.reason
                                                     : reject.column + ": " + reject.reason);
    }
    return explain(row.data(), reasons);
}

}  // namespace cwb
