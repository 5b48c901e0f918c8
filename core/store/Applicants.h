#pragma once
// Data protection duties (GDPR): what the store holds about one applicant, shown (personal data
// masked for roles without the right to see it), exported as a data subject access copy, or
// erased. Erasure deletes the personal data (the inputs, override comments) and keeps the
// pseudonymised decision records and audit entries; with secure_delete on and the write-ahead
// log truncated afterwards, the erased bytes are gone from the store's files. `purge` applies
// the retention period to everyone's personal data.

#include <string>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "store/AuditLog.h"
#include "store/Database.h"
#include "store/Pseudonym.h"
#include "store/Roles.h"
#include "store/Settings.h"

namespace cwb::store {

inline constexpr const char* kMask = "***";

class Applicants {
public:
    Applicants(Database& db, AuditLog& audit, Settings& settings, const Pseudonymizer& pseudonym)
        : m_db(db), m_audit(audit), m_settings(settings), m_pseudonym(pseudonym) {}

    // Decisions (with inputs and overrides) and batch results for the applicant; personal data
    // masked unless the actor may see it. Audited (who looked at whom, by pseudonym).
    Result<nlohmann::json> show(const Actor& by, const std::string& applicantId);
    // The data subject access copy: everything held, unmasked (compliance). Audited.
    Result<nlohmann::json> exportSubject(const Actor& by, const std::string& applicantId);
    // Removes the applicant's personal data; the summary says what went. Audited.
    Result<nlohmann::json> erase(const Actor& by, const std::string& applicantId);
    // Applies the retention period (setting retention_days) to all personal data older than it.
    Result<nlohmann::json> purge(const Actor& by);

private:
    Result<nlohmann::json> collect(const std::string& pseudonym, bool unmasked);
    Result<void> truncateWal(nlohmann::json& summary);
    Database& m_db;
    AuditLog& m_audit;
    Settings& m_settings;
    const Pseudonymizer& m_pseudonym;
};

}  // namespace cwb::store
