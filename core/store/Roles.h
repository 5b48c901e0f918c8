#pragma once
// Roles and the permissions they carry. Permissions are enforced in the engine (every store
// operation takes the acting user and checks here), never only by hiding buttons; a refused
// action is an error that names the role it needs.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"

namespace cwb::store {

enum class Role { Analyst, LoanOfficer, Compliance, DataScientist, Admin };

std::string roleName(Role role);  // analyst, loan_officer, compliance, data_scientist, admin
std::optional<Role> roleFromName(std::string_view name);
const std::vector<Role>& allRoles();

enum class Action {
    RecordDecision,    // score --store, explain --store, the GUI's Record: analyst, loan_officer
    OverrideDecision,  // loan_officer
    ManageUsers,       // add, disable, unlock users, change roles: admin
    ChangeSettings,    // settings that change decisions (reason codes, retention): admin
    ReadAudit,         // audit verify, head, export: compliance, admin
    ViewApplicant,     // applicant show: analyst, loan_officer, compliance
    ViewPii,           // personal data unmasked: loan_officer, compliance
    ExportApplicant,   // data subject access copy: compliance
    EraseApplicant,    // erasure: compliance
    PurgeStore,        // apply the retention period: admin, compliance
    ReportDecisions,   // override rates, decision lists: compliance, loan_officer, admin
    // The model registry (issue 12).
    RegisterModel,     // registry add: data_scientist
    ValidateModel,     // registry validate (runs the gate): data_scientist, compliance
    ChangeThresholds,  // the validation gate's thresholds: compliance
    ApproveModel,      // signed four-eyes approval: compliance (never the registrant)
    PromoteModel,      // champion, challenger, retire: compliance
};

std::string actionName(Action action);
// The roles that may perform the action (any one of them suffices).
const std::vector<Role>& rolesAllowed(Action action);

// The user on whose behalf the store acts, after authentication.
struct Actor {
    std::string name;
    std::set<Role> roles;
    bool has(Role role) const { return roles.count(role) > 0; }
    bool may(Action action) const;
};

// Ok, or an error such as: user 'ann' (analyst) may not override a decision: that needs the role
// loan_officer.
Result<void> require(const Actor& actor, Action action);

}  // namespace cwb::store
