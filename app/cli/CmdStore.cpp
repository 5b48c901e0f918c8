// cwb store init|info|settings|set|purge|migrate: create a store with its first admin; describe
// it; read and change its settings (admins); apply the retention period; copy a personal store
// into a team database.

#include <filesystem>
#include <iostream>

#include "CliStore.h"
#include "store/PostgresSetup.h"
#include "store/StoreCopy.h"

namespace cwb::cli {

Runner addStoreCommand(CLI::App& app) {
    struct Options {
        StoreOptions store;
        std::string admin;
        std::string name, value;
        std::string to;
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
                           "Change a setting (admins): override_reasons (a JSON list of codes), "
                           "retention_days (0 = keep forever), lender_name, lender_address, "
                           "lender_contact, or require_approved (true: the GUI scores only "
                           "with approved models)");
    set->add_option("name", o->name, "The setting")->required();
    set->add_option("value", o->value, "Its new value")->required();
    CLI::App* purge = app.add_subcommand(
        "purge", "Remove personal data older than the retention period (retention_days)");
    for (CLI::App* sub : {settings, set, purge})
        addStoreOptions(*sub, o->store);
    CLI::App* migrateTo = app.add_subcommand(
        "migrate",
        "Copy a personal store (SQLite file) into an empty team database (PostgreSQL), "
        "preserving the audit chain (admins of the source)");
    migrateTo->add_option("--from", o->store.store, "The SQLite store file")->required();
    migrateTo->add_option("--to", o->to, "postgresql://USER@HOST:PORT/DATABASE (no password)")
        ->required();
    migrateTo->add_option("--user", o->store.user, "Act as this admin of the source store")
        ->envname("CWB_USER");
    migrateTo->add_flag("--json", o->store.json, "Print the result as one JSON object");

    return [o, init, info, settings, set, purge, migrateTo]() -> int {
        if (migrateTo->parsed()) {
            if (store::isPostgresAddress(o->store.store))
                return fail(Error::badInput("--from must be an SQLite store file"));
            if (!store::isPostgresAddress(o->to))
                return fail(Error::badInput("--to must be a postgresql:// address"));
            std::error_code ec;
            if (!std::filesystem::is_regular_file(o->store.store, ec))
                return fail(Error::badInput("store '" + o->store.store + "' does not exist"));
            auto session = openSession(o->store);
            if (!session) return fail(session.error());
            auto summary = store::copyStoreToPostgres(*session->store, session->actor, o->to);
            if (!summary) return fail(summary.error());
            if (o->store.json)
                printJson(*summary);
            else
                note("copied " + (*summary)["from"].get<std::string>() + " to " +
                     (*summary)["to"].get<std::string>() + ": " +
                     std::to_string((*summary)["audit_entries"].get<std::int64_t>()) +
                     " audit entries, chain verified on the target (head " +
                     (*summary)["head"].get<std::string>() + ")");
            return kExitOk;
        }
        if (init->parsed()) {
            installStorePasswordPrompt();
            auto password = readNewPassword(o->admin);
            if (!password) return fail(password.error());
            std::vector<std::string> setup;
            auto created = store::Store::create(storePath(o->store), o->admin, &*password,
                                                {store::Role::Admin}, &setup);
            if (!created) return fail(created.error());
            auto head = (*created)->audit().head();
            if (!head) return fail(head.error());
            const std::string where = (*created)->path();  // an address without password
            if (o->store.json) {
                nlohmann::json j = {{"store", where},
                                    {"admin", o->admin},
                                    {"schema_version", store::currentSchemaVersion()},
                                    {"audit_head", *head}};
                if (!setup.empty()) {
                    j["postgres_role"] = store::kAppRole;
                    j["postgres_setup"] = setup;
                }
                printJson(j);
            } else {
                note("created store " + where + " with admin " + o->admin);
                if (!setup.empty()) {
                    note("PostgreSQL setup (role " + store::kAppRole +
                         ", grants, append-only audit_log), in one transaction:");
                    for (const std::string& statement : setup)
                        note("  " + statement + ";");
                    note("grant the role to each workbench login: GRANT " + store::kAppRole +
                         " TO <login>;");
                }
            }
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
