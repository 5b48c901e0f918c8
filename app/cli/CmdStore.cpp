// cwb store init|info: create a store with its first admin; describe a store.

#include <iostream>

#include "CliStore.h"

namespace cwb::cli {

Runner addStoreCommand(CLI::App& app) {
    struct Options {
        StoreOptions store;
        std::string admin;
    };
    auto o = std::make_shared<Options>();
    app.require_subcommand(1);
    CLI::App* init = app.add_subcommand(
        "init", "Create a store with its first admin (password from CWB_NEW_PASSWORD or asked)");
    init->add_option("--admin", o->admin, "Name of the first admin")->required();
    addStoreOptions(*init, o->store);
    CLI::App* info = app.add_subcommand("info", "Describe a store: schema, users, audit head");
    addStoreOptions(*info, o->store);

    return [o, init, info]() -> int {
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
