#pragma once
// The model registry (issue 12): bundles stored in the store with their SHA-256, versions per
// model name, stages (draft -> validated -> approved -> champion / challenger -> retired), the
// validation gate's figures, thresholds that only compliance changes, and four-eyes approvals
// signed with the approver's Ed25519 key over the bundle's manifest SHA-256. Every change is
// audited in the same transaction as the change itself; roles are checked here.
//
//   auto v = registry.add(scientist, "german", "model.cwbm");        // version 1, draft
//   auto gate = runValidationGate(bundle, request, *registry.thresholds(), progress);
//   registry.recordValidation(scientist, "german", 1, *gate, info);   // draft -> validated
//   registry.approve(officer, password, "german", 1, justification);  // signed; -> approved
//   registry.promote(officer, "german", 1, "champion");
//   registry.checkApproved(bundle.sha256);   // --require-approved

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "report/ValidationGate.h"
#include "store/AuditLog.h"
#include "store/Database.h"
#include "store/Roles.h"
#include "store/SigningKeys.h"
#include "store/Users.h"

namespace cwb::store {

// A bundle larger than this is refused by the registry (it is kept in the store, base64).
inline constexpr std::int64_t kMaxRegisteredBundleBytes = std::int64_t{64} << 20;
inline constexpr std::size_t kMaxJustificationLength = 4000;

struct RegistryVersion {
    std::int64_t id = 0;
    std::string name;
    std::int64_t version = 0;
    std::string stage;
    std::string bundleSha256;  // manifest SHA-256 (scoring/BundleContainer.h): what is signed
    std::string fileSha256;
    std::string bundleName, bundleVersion, algorithm;
    std::int64_t fileBytes = 0;
    std::string registeredBy, registeredAt, stageChangedAt;
    nlohmann::json toJson() const;
};

struct ValidationInfo {
    std::string dataName, dataSha256, target, badValue;
};

// The outcome of checking a bundle for --require-approved.
struct ApprovalCheck {
    bool approved = false;
    std::string reason;  // why not, in words (when not approved)
    std::string name, approver, at;
    std::int64_t version = 0;
    nlohmann::json toJson() const;
};

// The text an approval signs: the bundle's manifest SHA-256 under a fixed prefix, so that a
// signature made for anything else never passes as an approval.
std::string approvalMessage(const std::string& bundleSha256);

class Registry {
public:
    Registry(Database& db, AuditLog& audit, Users& users, SigningKeys& keys)
        : m_db(db), m_audit(audit), m_users(users), m_keys(keys) {}

    // data_scientist. Stores the bundle file (checked in full by loading it) as the next
    // version of `name`, stage draft. The same bundle twice under one name is refused.
    Result<RegistryVersion> add(const Actor& by, const std::string& name,
                                const std::string& bundlePath);
    // Every version (of `name` when given), by name and version.
    Result<std::vector<RegistryVersion>> list(const std::string& name = {});
    Result<RegistryVersion> find(const std::string& name, std::int64_t version);
    // A version with its latest validation (every check, with the approval's justification
    // beside failed ones), its approvals and whether each signature verifies.
    Result<nlohmann::json> show(const std::string& name, std::int64_t version);
    // The stored bundle file's bytes.
    Result<std::vector<std::uint8_t>> bundleBytes(const std::string& name, std::int64_t version);

    Result<GateThresholds> thresholds();
    // compliance; audited with the previous value.
    Result<void> setThreshold(const Actor& by, const std::string& key, double value);

    // data_scientist or compliance. Stores every figure, threshold and verdict; draft ->
    // validated. Returns the validation's id.
    Result<std::int64_t> recordValidation(const Actor& by, const std::string& name,
                                          std::int64_t version, const GateResult& gate,
                                          const ValidationInfo& info);

    // compliance, not the registrant (four eyes, even when the registrant holds compliance).
    // Needs a validation; failed checks need a justification. Signs with the approver's key,
    // opened with `password`; validated -> approved.
    Result<nlohmann::json> approve(const Actor& by, const SecretString& password,
                                   const std::string& name, std::int64_t version,
                                   const std::string& justification);

    // compliance. stage: champion (the current champion goes back to approved), challenger
    // (likewise), or retired. Champion and challenger need a valid approval.
    Result<nlohmann::json> promote(const Actor& by, const std::string& name, std::int64_t version,
                                   const std::string& stage);
    // The version of `name` in the given stage (champion, challenger), if any.
    Result<std::optional<RegistryVersion>> inStage(const std::string& name,
                                                   const std::string& stage);

    // A valid approval signature for the bundle with this manifest SHA-256 by a current
    // compliance user (enabled, still holding the role), on a version not retired.
    Result<ApprovalCheck> checkApproved(const std::string& bundleSha256);

private:
    Result<std::optional<RegistryVersion>> findWhere(const QString& where,
                                                     const QVariantList& binds);
    Result<ApprovalCheck> checkVersionApproved(const RegistryVersion& v);
    Database& m_db;
    AuditLog& m_audit;
    Users& m_users;
    SigningKeys& m_keys;
};

}  // namespace cwb::store
