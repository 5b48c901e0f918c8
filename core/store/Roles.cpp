#include "store/Roles.h"

#include <algorithm>
#include <map>

namespace cwb::store {

std::string roleName(Role role) {
    switch (role) {
        case Role::Analyst:
            return "analyst";
        case Role::LoanOfficer:
            return "loan_officer";
        case Role::Compliance:
            return "compliance";
        case Role::DataScientist:
            return "data_scientist";
        case Role::Admin:
            return "admin";
    }
    return "unknown";
}

const std::vector<Role>& allRoles() {
    static const std::vector<Role> roles = {Role::Analyst, Role::LoanOfficer, Role::Compliance,
                                            Role::DataScientist, Role::Admin};
    return roles;
}

std::optional<Role> roleFromName(std::string_view name) {
    for (Role role : allRoles())
        if (roleName(role) == name) return role;
    return std::nullopt;
}

std::string actionName(Action action) {
    switch (action) {
        case Action::RecordDecision:
            return "record a decision";
        case Action::OverrideDecision:
            return "override a decision";
        case Action::ManageUsers:
            return "manage users";
        case Action::ChangeSettings:
            return "change settings";
        case Action::ReadAudit:
            return "read the audit trail";
        case Action::ViewApplicant:
            return "view applicants";
        case Action::ViewPii:
            return "see personal data unmasked";
        case Action::ExportApplicant:
            return "export an applicant's data";
        case Action::EraseApplicant:
            return "erase an applicant";
        case Action::PurgeStore:
            return "purge the store";
        case Action::ReportDecisions:
            return "report on decisions and overrides";
        case Action::RegisterModel:
            return "register a model";
        case Action::ValidateModel:
            return "validate a model";
        case Action::ChangeThresholds:
            return "change the validation thresholds";
        case Action::ApproveModel:
            return "approve a model";
        case Action::PromoteModel:
            return "change a model's stage";
    }
    return "act";
}

const std::vector<Role>& rolesAllowed(Action action) {
    static const std::map<Action, std::vector<Role>> table = {
        {Action::RecordDecision, {Role::Analyst, Role::LoanOfficer}},
        {Action::OverrideDecision, {Role::LoanOfficer}},
        {Action::ManageUsers, {Role::Admin}},
        {Action::ChangeSettings, {Role::Admin}},
        {Action::ReadAudit, {Role::Compliance, Role::Admin}},
        {Action::ViewApplicant, {Role::Analyst, Role::LoanOfficer, Role::Compliance}},
        {Action::ViewPii, {Role::LoanOfficer, Role::Compliance}},
        {Action::ExportApplicant, {Role::Compliance}},
        {Action::EraseApplicant, {Role::Compliance}},
        {Action::PurgeStore, {Role::Admin, Role::Compliance}},
        {Action::ReportDecisions, {Role::Compliance, Role::LoanOfficer, Role::Admin}},
        {Action::RegisterModel, {Role::DataScientist}},
        {Action::ValidateModel, {Role::DataScientist, Role::Compliance}},
        {Action::ChangeThresholds, {Role::Compliance}},
        {Action::ApproveModel, {Role::Compliance}},
        {Action::PromoteModel, {Role::Compliance}},
    };
    return table.at(action);
}

bool Actor::may(Action action) const {
    const auto& allowed = rolesAllowed(action);
    return std::any_of(allowed.begin(), allowed.end(), [&](Role r) { return has(r); });
}

Result<void> require(const Actor& actor, Action action) {
    if (actor.may(action)) return {};
    std::string held;
    for (Role r : actor.roles)
        held += (held.empty() ? "" : ", ") + roleName(r);
    std::string needed;
    const auto& allowed = rolesAllowed(action);
    for (std::size_t i = 0; i < allowed.size(); ++i)
        needed += (i == 0 ? "" : (i + 1 == allowed.size() ? " or " : ", ")) + roleName(allowed[i]);
    return Error::failure("user '" + actor.name + "' (" + (held.empty() ? "no roles" : held) +
                          ") may not " + actionName(action) + ": that needs the role " + needed);
}

}  // namespace cwb::store
