#pragma once
// Scores and explains single applicants with a model bundle: PD, points, decision, per
// characteristic contributions (summing to the margin) and reason codes.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/Result.h"
#include "data/EncodedData.h"
#include "explain/ReasonCodes.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct ScoreResult {
    double margin = 0.0;  // log-odds of bad
    double pd = 0.0;      // probability of default
    double points = 0.0;  // unrounded points
    long score = 0;       // rounded points, what users see and decisions use
    Decision decision = Decision::Refer;
    double baseValue = 0.0;             // log-odds
    std::vector<double> contributions;  // per model feature (characteristic), log-odds
    std::vector<Reason> reasons;

    nlohmann::json toJson(const std::vector<std::string>& featureNames) const;
};

double pdFromMargin(double margin);

class Scorer {
public:
    explicit Scorer(std::shared_ptr<const ModelBundle> bundle);

    const ModelBundle& bundle() const { return *m_bundle; }
    const std::vector<std::string>& featureNames() const { return m_featureNames; }

    // Score without explanation.
    ScoreResult score(const float* encodedRow) const;
    // Score plus contributions and up to `reasons` reason codes.
    ScoreResult explain(const float* encodedRow, int reasons) const;
    // Encodes values given by column name (missing names = missing values) and explains them.
    // Refuses (BadInput) values the schema does not accept, with the reason; `refused`, when
    // given, receives the column at fault and the reason alone (for showing at a form field).
    Result<ScoreResult> explainRecord(const std::map<std::string, std::string>& values, int reasons,
                                      RejectedRow* refused = nullptr) const;

    ScoreResult fromMargin(double margin) const;

private:
    std::shared_ptr<const ModelBundle> m_bundle;
    std::vector<std::string> m_featureNames;
    // explainRecord's fixed work, done once: the encoder bound to the features in schema order
    // (it points into m_bundle's schema, which this object keeps alive), and every column name
    // of the schema, sorted, to refuse unknown names quickly.
    Result<RowEncoder> m_encoder;
    std::vector<std::string> m_columnNames;
};

}  // namespace cwb
