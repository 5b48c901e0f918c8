// cwb user add|list|passwd|disable|enable|unlock|roles: user administration (admins; passwd
// also for oneself). New passwords come from CWB_NEW_PASSWORD or the terminal.

#include <iostream>

#include "CliStore.h"

namespace cwb::cli {

namespace {

Result<std::set<store::Role>> parseRoles(const std::vector<std::string>& names) {
    std::set<store::Role> roles;
    for (const auto& n : names) {
        auto role = store::roleFromName(n);
        if (!role)
            return Error::badInput("unknown role '" + n +
                                   "': analyst, loan_officer, compliance, data_scientist or admin");
        roles.insert(*role);
    }
    return roles;
}

}  // namespace

Runner addUserCommand(CLI::App& app) {
    struct Options {
        StoreOptions store;
        std::string name;
        std::vector<std::string> roles;
    };
    auto o = std::make_shared<Options>();
    app.require_subcommand(1);
    const std::string roleList = "analyst, loan_officer, compliance, data_scientist, admin";
    CLI::App* add = app.add_subcommand("add", "Add a user (password from CWB_NEW_PASSWORD)");
    add->add_option("--name", o->name, "The new user's name")->required();
    add->add_option("--role", o->roles, "A role (repeat for several): " + roleList)->required();
    CLI::App* list = app.add_subcommand("list", "List the users, their roles and state");
    CLI::App* passwd = app.add_subcommand(
        "passwd", "Set a password (your own, or an admin for anyone) from CWB_NEW_PASSWORD");
    passwd->add_option("--name", o->name, "Whose password (default: yours)");
    CLI::App* disable = app.add_subcommand("disable", "Disable a user's account");
    CLI::App* enable = app.add_subcommand("enable", "Enable a disabled account again");
    CLI::App* unlock = app.add_subcommand("unlock", "Unlock an account locked by wrong passwords");
    CLI::App* roles = app.add_subcommand("roles", "Replace a user's roles");
    for (CLI::App* sub : {disable, enable, unlock, roles})
        sub->add_option("--name", o->name, "The user")->required();
    roles->add_option("--role", o->roles, "A role (repeat for several): " + roleList)->required();
    for (CLI::App* sub : {add, list, passwd, disable, enable, unlock, roles})
        addStoreOptions(*sub, o->store);

    return [=]() -> int {
        auto session = openSession(o->store);
        if (!session) return fail(session.error());
        store::Users& users = session->store->users();
        const store::Actor& me = session->actor;
        const auto done = [&](const std::string& event) {
            if (o->store.json)
                printJson({{"user", o->name}, {"done", event}});
            else
                note(event + ": " + o->name);
            return kExitOk;
        };
        if (add->parsed() || roles->parsed()) {
            auto parsed = parseRoles(o->roles);
            if (!parsed) return fail(parsed.error());
            if (roles->parsed()) {
                if (auto r = users.setRoles(me, o->name, *parsed); !r) return fail(r.error());
                return done("roles changed");
            }
            // Refuse before asking for a password that would not be used.
            if (auto r = store::require(me, store::Action::ManageUsers); !r) return fail(r.error());
            auto password = readNewPassword(o->name);
            if (!password) return fail(password.error());
            auto added = users.add(me, o->name, *parsed, *password);
            if (!added) return fail(added.error());
            if (o->store.json)
                printJson(added->toJson());
            else
                note("added user " + o->name);
            return kExitOk;
        }
        if (list->parsed()) {
            auto all = users.list(me);
            if (!all) return fail(all.error());
            nlohmann::json array = nlohmann::json::array();
            for (const auto& u : *all)
                array.push_back(u.toJson());
            if (o->store.json) {
                printJson({{"users", array}});
            } else {
                for (const auto& u : *all)
                    std::cout << u.name << "\t" << store::rolesJson(u.roles).dump()
                              << (u.disabled ? "\tdisabled" : "") << (u.locked ? "\tlocked" : "")
                              << (u.hasPassword ? "" : "\tno password") << "\n";
            }
            return kExitOk;
        }
        if (passwd->parsed()) {
            if (o->name.empty()) o->name = me.name;
            if (o->name != me.name)
                if (auto r = store::require(me, store::Action::ManageUsers); !r)
                    return fail(r.error());
            auto password = readNewPassword(o->name);
            if (!password) return fail(password.error());
            if (auto r = users.setPassword(me, o->name, *password); !r) return fail(r.error());
            return done("password changed");
        }
        Result<void> r = disable->parsed()  ? users.disable(me, o->name)
                         : enable->parsed() ? users.enable(me, o->name)
                                            : users.unlock(me, o->name);
        if (!r) return fail(r.error());
        return done(disable->parsed() ? "disabled" : enable->parsed() ? "enabled" : "unlocked");
    };
}

}  // namespace cwb::cli
