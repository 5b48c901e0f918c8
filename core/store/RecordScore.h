#pragma once
// Turns one explained applicant (the GUI's Record action, `cwb explain --store`) into the
// decision record the store keeps: the inputs with the personal ones marked (schema role PII,
// the id column, and any column the model does not know), the model's identity, the result.

#include <map>
#include <string>

#include "common/Result.h"
#include "scoring/ModelBundle.h"
#include "scoring/Scorer.h"
#include "store/Decisions.h"

namespace cwb::store {

// `applicantId` empty: taken from the schema's id column in `values`.
Result<DecisionInput> makeDecisionInput(const ModelBundle& bundle, const std::string& bundleSha256,
                                        const std::map<std::string, std::string>& values,
                                        const ScoreResult& result, const std::string& applicantId,
                                        const std::string& source);

}  // namespace cwb::store
