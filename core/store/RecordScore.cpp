#include "store/RecordScore.h"

namespace cwb::store {

Result<DecisionInput> makeDecisionInput(const ModelBundle& bundle, const std::string& bundleSha256,
                                        const std::map<std::string, std::string>& values,
                                        const ScoreResult& result, const std::string& applicantId,
                                        const std::string& source) {
    DecisionInput input;
    input.applicantId = applicantId;
    const ColumnSpec* idSpec = bundle.schema.idColumn();
    if (input.applicantId.empty() && idSpec) {
        auto it = values.find(idSpec->name);
        if (it != values.end()) input.applicantId = it->second;
    }
    if (input.applicantId.empty())
        return Error::badInput("recording needs the applicant's id: give --applicant-id" +
                               (idSpec ? " or the '" + idSpec->name + "' column" : std::string()));
    if (values.size() > 1000) return Error::badInput("the applicant has more than 1000 values");
    input.inputs = values;
    for (const auto& [name, value] : values) {
        const ColumnSpec* spec = bundle.schema.find(name);
        if (!spec || spec->role == ColumnRole::Pii || spec->role == ColumnRole::Id)
            input.piiFields.push_back(name);
    }
    input.source = source;
    input.modelName = bundle.name;
    input.modelVersion = bundle.version;
    input.bundleSha256 = bundleSha256;
    input.pd = result.pd;
    input.score = result.score;
    input.decision = toString(result.decision);
    input.reasons = nlohmann::json::array();
    for (const Reason& r : result.reasons)
        input.reasons.push_back(
            {{"feature", r.feature}, {"text", r.text}, {"contribution", r.contribution}});
    return input;
}

}  // namespace cwb::store
