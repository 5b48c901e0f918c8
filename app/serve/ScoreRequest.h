#pragma once
// POST /v1/score without the HTTP: a request body (one applicant object or an array of them) in,
// a status and a JSON body out. Kept apart from the server so the rules can be tested directly.
//
// Rules (docs/serve.md): every model input must be present (null or "" for a missing value,
// accepted only where the schema allows missing values); names outside the model's schema are
// refused; values are numbers, text or null. Values are read exactly as `cwb explain --record`
// reads them, so results equal `cwb explain` on the same record. A batch is all or nothing: one
// refused applicant refuses the request, naming its index, field and reason.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ServedModel.h"

namespace cwb::serve {

struct ScoreLimits {
    std::size_t maxBatch = 1000;  // applicants in one array
    int maxDepth = 8;             // JSON nesting
    int reasons = 4;              // reason codes per applicant
    std::size_t maxErrors = 20;   // refused applicants listed in one 400 body
    // --store: every applicant must carry the model's id column (the store finds and erases
    // records by it), and the outcome keeps what is recorded (ScoreOutcome::scored).
    bool forRecording = false;
};

// An applicant as scored, for the store (DecisionRecorder): the values given by column name
// (the id included) and the result.
struct ScoredApplicant {
    std::map<std::string, std::string> values;
    ScoreResult result;
};

struct ScoreOutcome {
    int status = 200;
    nlohmann::json body;
    std::size_t applicants = 0;                    // scored (200) or in the request (400)
    std::map<std::string, std::size_t> decisions;  // decision -> count, for metrics
    std::vector<ScoredApplicant> scored;           // with limits.forRecording, in order
};

ScoreOutcome scoreBody(const ServedModel& model, std::string_view body, const ScoreLimits& limits);

// The JSON body of every error response: {"error": message} plus field and reason when known.
nlohmann::json errorBody(const std::string& message, const std::string& field = {},
                         const std::string& reason = {});

}  // namespace cwb::serve
