#pragma once
// Store settings that change decisions or what is kept: the override reason codes and the
// retention period. Reading is open to every user; changing needs the admin role and is audited.

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

class Settings {
public:
    Settings(Database& db, AuditLog& audit) : m_db(db), m_audit(audit) {}

    // Every known setting with its value (defaults for those never set).
    Result<nlohmann::json> all();
    Result<std::vector<std::string>> overrideReasons();
    Result<int> retentionDays();
    // Checks the value for the setting (a list of 1..50 codes of [a-z0-9_], or 0..36500 days).
    Result<void> set(const Actor& by, const std::string& key, const std::string& value);

private:
    Result<std::string> raw(const std::string& key);
    Database& m_db;
    AuditLog& m_audit;
};

}  // namespace cwb::store
