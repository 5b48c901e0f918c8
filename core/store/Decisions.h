#pragma once
// Decisions recorded for applicants and the overrides of them. A decision record holds the
// applicant's pseudonym (never their id), the model (name, version, bundle SHA-256), PD, score,
// decision and reasons, the user and the time; the applicant's inputs are kept apart in
// applicant_data so that erasure (store/Applicants.h) removes them and leaves the record.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "store/AuditLog.h"
#include "store/Database.h"
#include "store/Pseudonym.h"
#include "store/Roles.h"
#include "store/Settings.h"

namespace cwb::store {

struct DecisionInput {
    std::string applicantId;  // required: the record is found again (and erased) by it
    std::map<std::string, std::string> inputs;  // the values scored, by column name
    std::vector<std::string> piiFields;         // inputs that are personal data (masked by role)
    std::string source = "explain";             // explain, gui, ...
    std::string modelName, modelVersion, bundleSha256;
    double pd = 0.0;
    long score = 0;
    std::string decision;  // approve, refer, decline
    nlohmann::json reasons = nlohmann::json::array();
};

inline const std::vector<std::string> kDecisionValues = {"approve", "refer", "decline"};

class Decisions {
public:
    Decisions(Database& db, AuditLog& audit, Settings& settings, const Pseudonymizer& pseudonym)
        : m_db(db), m_audit(audit), m_settings(settings), m_pseudonym(pseudonym) {}

    // Analysts and loan officers. Returns the decision's id.
    Result<std::int64_t> record(const Actor& by, const DecisionInput& input);
    // Loan officers: a reason code from the configured list and a comment (1..2000 characters).
    Result<std::int64_t> override(const Actor& by, std::int64_t decisionId,
                                  const std::string& newDecision, const std::string& reasonCode,
                                  const std::string& comment);
    // A decision with its overrides, or nothing.
    Result<std::optional<nlohmann::json>> find(std::int64_t decisionId);
    // Override rates: overall, by officer, by reason code, by score band (bandWidth points).
    Result<nlohmann::json> overrideReport(const Actor& by, int bandWidth = 20);

private:
    Database& m_db;
    AuditLog& m_audit;
    Settings& m_settings;
    const Pseudonymizer& m_pseudonym;
};

}  // namespace cwb::store
