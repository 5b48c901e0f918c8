// cwb store init|info|settings|set|purge: create a store with its first admin; describe it;
// read and change its settings (admins); apply the retention period.

#include <iostream>

#include "CliStore.h"

namespace cwb::cli {

Runner addStoreCommand(CLI::App& app) {
    struct Options {
        StoreOptions store;
        std::string admin;
        std::string name, value;
    };
    auto o = std::make_shared<Options>();
    app.require_subcommand(1);
    CLI::App* init = app.add_subcommand(
        "init", "Create a store with its first admin (password from CWB_NEW_PASSWORD or asked)");
    init->add_option("--admin", o->admin, "Name of the first admin")->required();
    addStoreOptions(*init, o->store);
    CLI::App* info = app.add_subcommand("info", "Describe a store: schema, users, audit head");
    addStoreOptions(*info, o->store);
    CLI::App* settings = app.add_subcommand("settings", "Show the store's settings");
    CLI::App* set =
        app.add_subcommand("set",
                           "Change a setting (admins): override_reasons (a JSON list of codes) or "
                           "retention_days (0 = keep forever)");
    set->add_option("name", o->name, "The setting")->required();
    set->add_option("value", o->value, "Its new value")->required();
    CLI::App* purge = app.add_subcommand(
        "purge", "Remove personal data older than the retention period (retention_days)");
    for (CLI::App* sub : {settings, set, purge})
        addStoreOptions(*sub, o->store);

    return [o, init, info, settings, set, purge]() -> int {
        if (init->parsed()) {
            auto password = readNewPassword(o->admin);
            if (!password) return fail(password.error());
            auto created = store::Store::create(storePath(o->store), o->admin, &*password);
            if (!created) return fail(created.error());
            auto head = (*created)->audit().head();
            if (!head) return fail(head.error());
            if (o->store.json)
                printJson({{"store", storePath(o->store)},
                           {"admin", o->admin},
                           {"schema_version", store::currentSchemaVersion()},
                           {"audit_head", *head}});
            else
                note("created store " + storePath(o->store) + " with admin " + o->admin);
            return kExitOk;
        }
        auto session = openSession(o->store);
        if (!session) return fail(session.error());
        store::Store& s = *session->store;
        if (settings->parsed() || set->parsed()) {
            if (set->parsed())
                if (auto r = s.settings().set(session->actor, o->name, o->value); !r)
                    return fail(r.error());
            auto all = s.settings().all();
            if (!all) return fail(all.error());
            if (o->store.json || settings->parsed())
                printJson(*all);
            else
                note("setting " + o->name + " changed");
            return kExitOk;
        }
        if (purge->parsed()) {
            auto summary = s.applicants().purge(session->actor);
            if (!summary) return fail(summary.error());
            if (o->store.json)
                printJson(*summary);
            else
                note("purged personal data older than " + (*summary)["cutoff"].get<std::string>());
            return kExitOk;
        }
        auto version = store::schemaVersion(s.database());
        auto users = s.users().count();
        auto id = s.storeId();
        if (!version || !users || !id)
            return fail(!version ? version.error() : !users ? users.error() : id.error());
        const nlohmann::json description = {
            {"store", s.path()},           {"store_id", *id},
            {"schema_version", *version},  {"users", *users},
            {"user", session->actor.name}, {"roles", store::rolesJson(session->actor.roles)}};
        if (o->store.json)
            printJson(description);
        else
            std::cout << "store:          " << s.path() << "\nschema version: " << *version
                      << "\nusers:          " << *users
                      << "\nyou:            " << session->actor.name << " ("
                      << store::rolesJson(session->actor.roles).dump() << ")\n";
        return kExitOk;
    };
}

}  // namespace cwb::cli
