#pragma once
// Store settings that change decisions, what is kept or what reports say: the override reason
// codes, the retention period and the lender's details printed on adverse action notices.
// Reading is open to every user; changing needs the admin role and is audited.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "store/AuditLog.h"
#include "store/Database.h"
#include "store/Roles.h"

namespace cwb::store {

inline constexpr const char* kSettingOverrideReasons = "override_reasons";  // JSON array of codes
inline constexpr const char* kSettingRetentionDays = "retention_days";      // 0 = keep forever
// The lender on adverse action notices (text, at most 300 characters; "" = not set).
inline constexpr const char* kSettingLenderName = "lender_name";
inline constexpr const char* kSettingLenderAddress = "lender_address";
inline constexpr const char* kSettingLenderContact = "lender_contact";
// The production lock (issue 12): true makes the GUI refuse to score or explain with a bundle
// that has no valid approval signature from a current compliance user (as --require-approved).
inline constexpr const char* kSettingRequireApproved = "require_approved";

struct LenderSettings {
    std::string name, address, contact;  // empty: not set
    bool complete() const { return !name.empty() && !address.empty() && !contact.empty(); }
};

class Settings {
public:
    Settings(Database& db, AuditLog& audit) : m_db(db), m_audit(audit) {}

    // Every known setting with its value (defaults for those never set).
    Result<nlohmann::json> all();
    Result<std::vector<std::string>> overrideReasons();
    Result<int> retentionDays();
    Result<LenderSettings> lender();
    Result<bool> requireApproved();
    // Checks the value for the setting (a list of 1..50 codes of [a-z0-9_], 0..36500 days, or a
    // lender detail of at most 300 characters without control characters; a line break is
    // allowed in the address; true or false for require_approved).
    Result<void> set(const Actor& by, const std::string& key, const std::string& value);

private:
    Result<std::string> raw(const std::string& key);
    Database& m_db;
    AuditLog& m_audit;
};

}  // namespace cwb::store
