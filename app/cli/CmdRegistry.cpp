// cwb registry add|list|show|validate|thresholds|approve|promote|swap|check: the model registry
// in the store (issue 12). Roles are checked in the store; approve signs with the approver's
// key, opened with their password (CWB_PASSWORD or the terminal, never the command line).

#include <cmath>
#include <cstdio>
#include <iostream>

#include "CliStore.h"
#include "report/SwapSet.h"
#include "report/ValidationGate.h"

namespace cwb::cli {

namespace {

std::string figureText(const nlohmann::json& figure) {
    if (figure.is_null()) return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", figure.get<double>());
    return buf;
}

void printChecks(const nlohmann::json& checks) {
    for (const auto& c : checks) {
        std::string line =
            "  " + c.value("verdict", std::string()) + "\t" + c.value("check", std::string());
        if (!c.value("subject", std::string()).empty())
            line += " (" + c["subject"].get<std::string>() + ")";
        line += "\t" + figureText(c["figure"]) + " " + c.value("comparison", std::string()) + " " +
                figureText(c["threshold"]);
        if (c.contains("justification"))
            line += "\tjustified: " + c["justification"].get<std::string>();
        std::cout << line << "\n";
    }
}

Result<std::shared_ptr<const ModelBundle>> storedBundle(store::Registry& registry,
                                                        const std::string& name,
                                                        std::int64_t version) {
    auto bytes = registry.bundleBytes(name, version);
    if (!bytes) return bytes.error();
    auto bundle = loadBundleFromBytes(*bytes, name + " version " + std::to_string(version));
    if (!bundle) return bundle.error();
    return std::shared_ptr<const ModelBundle>(std::make_shared<ModelBundle>(std::move(*bundle)));
}

nlohmann::json swapJson(const ChampionSwapSet& s) {
    return s.toJson();
}

void printSwap(const ChampionSwapSet& s) {
    const auto rate = [&](const SwapGroup& g) {
        if (!s.labelled || std::isnan(g.badRate)) return std::string();
        char buf[48];
        std::snprintf(buf, sizeof buf, ", bad rate %.1f%%", 100.0 * g.badRate);
        return std::string(buf);
    };
    std::cout << "rows scored by both: " << s.rows << "\n"
              << "approved by both: " << s.approvedByBoth.count << rate(s.approvedByBoth) << "\n"
              << "swap-ins (challenger only): " << s.swapIn.count << rate(s.swapIn) << "\n"
              << "swap-outs (champion only): " << s.swapOut.count << rate(s.swapOut) << "\n"
              << "approved by neither: " << s.approvedByNeither.count << rate(s.approvedByNeither)
              << "\n";
}

}  // namespace

Runner addRegistryCommand(CLI::App& app) {
    struct Options {
        StoreOptions store;
        std::string name, model, data, target, bad, justification, stage;
        std::int64_t version = 0;
        std::vector<std::string> protectedColumns, set;
        bool quiet = false;
    };
    auto o = std::make_shared<Options>();
    app.require_subcommand(1);
    CLI::App* add = app.add_subcommand("add", "Register a model bundle (data scientists)");
    add->add_option("--model", o->model, "Model bundle (.cwbm)")->required();
    CLI::App* list = app.add_subcommand("list", "List the registered versions and their stages");
    list->add_option("--name", o->name, "Only this model");
    CLI::App* show = app.add_subcommand(
        "show", "A version's stage, validation figures, approvals and signature state");
    CLI::App* validate =
        app.add_subcommand("validate", "Run the validation gate on a labelled file");
    validate->add_option("--data", o->data, "Labelled data file (CSV)")
        ->required()
        ->check(CLI::ExistingFile);
    validate->add_option("--target", o->target, "Target column (default: the model's)");
    validate->add_option("--bad", o->bad, "Target value that means bad (default: the model's)");
    validate
        ->add_option("--protected", o->protectedColumns,
                     "Protected column to check besides the model's own (repeat or "
                     "comma-separate)")
        ->delimiter(',');
    validate->add_flag("--quiet", o->quiet, "No progress on stderr");
    CLI::App* thresholds =
        app.add_subcommand("thresholds", "Show the gate's thresholds, or change them (compliance)");
    thresholds->add_option("--set", o->set, "KEY=VALUE (repeat for several)");
    CLI::App* approve = app.add_subcommand(
        "approve", "Approve a validated version, signed with your key (compliance, four eyes)");
    approve->add_option("--justification", o->justification,
                        "Why the failed checks are acceptable (needed when any failed)");
    CLI::App* promote =
        app.add_subcommand("promote", "Make a version champion or challenger, or retire it");
    promote->add_option("--stage", o->stage, "champion, challenger or retired")
        ->required()
        ->check(CLI::IsMember({"champion", "challenger", "retired"}));
    CLI::App* swap = app.add_subcommand(
        "swap", "Score a file with the champion and the challenger and report the swap set");
    swap->add_option("--data", o->data, "Data file (CSV); labels give bad rates")
        ->required()
        ->check(CLI::ExistingFile);
    swap->add_option("--target", o->target, "Target column (default: the champion's)");
    swap->add_option("--bad", o->bad, "Target value that means bad (default: the champion's)");
    swap->add_flag("--quiet", o->quiet, "No progress on stderr");
    CLI::App* check = app.add_subcommand(
        "check", "Does a bundle file carry a valid approval? (what --require-approved checks)");
    check->add_option("--model", o->model, "Model bundle (.cwbm)")->required();
    for (CLI::App* sub : {add, show, validate, approve, promote, swap})
        sub->add_option("--name", o->name, "Model name")->required();
    for (CLI::App* sub : {show, validate, approve, promote})
        sub->add_option("--version", o->version, "Version number")
            ->required()
            ->check(CLI::PositiveNumber);
    for (CLI::App* sub : {add, list, show, validate, thresholds, approve, promote, swap, check})
        addStoreOptions(*sub, o->store);

    return [=]() -> int {
        store::SecretString password;
        auto session = openSession(o->store, approve->parsed() ? &password : nullptr);
        if (!session) return fail(session.error());
        store::Registry& registry = session->store->registry();
        const store::Actor& me = session->actor;
        const bool json = o->store.json;

        if (add->parsed()) {
            auto v = registry.add(me, o->name, o->model);
            if (!v) return fail(v.error());
            if (json)
                printJson(v->toJson());
            else
                note("registered " + v->name + " version " + std::to_string(v->version) +
                     " (draft), bundle sha256 " + v->bundleSha256);
            return kExitOk;
        }
        if (list->parsed()) {
            auto all = registry.list(o->name);
            if (!all) return fail(all.error());
            nlohmann::json array = nlohmann::json::array();
            for (const auto& v : *all)
                array.push_back(v.toJson());
            if (json) {
                printJson({{"versions", array}});
            } else {
                for (const auto& v : *all)
                    std::cout << v.name << "\t" << v.version << "\t" << v.stage << "\t"
                              << v.algorithm << "\t" << v.registeredBy << "\t"
                              << v.bundleSha256.substr(0, 16) << "\n";
            }
            return kExitOk;
        }
        if (show->parsed()) {
            auto j = registry.show(o->name, o->version);
            if (!j) return fail(j.error());
            if (json) {
                printJson(*j);
                return kExitOk;
            }
            std::cout << o->name << " version " << o->version << ": "
                      << (*j)["stage"].get<std::string>() << ", registered by "
                      << (*j)["registered_by"].get<std::string>() << "\n"
                      << "bundle sha256 " << (*j)["bundle_sha256"].get<std::string>() << "\n";
            const auto& approval = (*j)["approval"];
            std::cout << (approval["approved"].get<bool>()
                              ? "approval: valid signature by " +
                                    approval["approver"].get<std::string>()
                              : "approval: none valid (" + approval["reason"].get<std::string>() +
                                    ")")
                      << "\n";
            if (!(*j)["validation"].is_null()) {
                const auto& v = (*j)["validation"];
                std::cout << "validation " << v["id"] << " on " << v["data"].get<std::string>()
                          << " (" << v["rows"] << " rows): " << v["failed"] << " failed\n";
                printChecks(v["checks"]);
            }
            return kExitOk;
        }
        if (thresholds->parsed()) {
            for (const auto& assignment : o->set) {
                const auto eq = assignment.find('=');
                if (eq == std::string::npos)
                    return fail(Error::badInput("--set needs KEY=VALUE, not '" +
                                                assignment.substr(0, 64) + "'"));
                const std::string key = assignment.substr(0, eq);
                const std::string text = assignment.substr(eq + 1);
                std::size_t used = 0;
                double value = std::nan("");
                try {
                    value = std::stod(text, &used);
                } catch (const std::exception&) {
                }
                if (used != text.size() || std::isnan(value))
                    return fail(Error::badInput("threshold '" + key.substr(0, 64) +
                                                "': not a number: '" + text.substr(0, 64) + "'"));
                if (auto r = registry.setThreshold(me, key, value); !r) return fail(r.error());
            }
            auto t = registry.thresholds();
            if (!t) return fail(t.error());
            const nlohmann::json values = t->toJson();
            if (json)
                printJson(values);
            else
                for (const auto& [k, v] : values.items())
                    std::cout << k << "\t" << v.dump() << "\n";
            return kExitOk;
        }
        if (validate->parsed()) {
            // Refused before the file is read.
            if (auto r = store::require(me, store::Action::ValidateModel); !r)
                return fail(r.error());
            auto version = registry.find(o->name, o->version);
            if (!version) return fail(version.error());
            auto bundle = storedBundle(registry, o->name, o->version);
            if (!bundle) return fail(bundle.error());
            auto limits = registry.thresholds();
            if (!limits) return fail(limits.error());
            GateRequest request;
            request.dataPath = o->data;
            request.target = o->target;
            request.badValue = o->bad;
            request.extraProtected = o->protectedColumns;
            auto progress = stderrProgress(o->quiet || json);
            auto gate = runValidationGate(*bundle, request, *limits, progress.get());
            if (!gate) return fail(gate.error());
            store::ValidationInfo info{o->data, gate->report.dataSha256,
                                       gate->report.performance.target,
                                       gate->report.performance.badValue};
            auto id = registry.recordValidation(me, o->name, o->version, *gate, info);
            if (!id) return fail(id.error());
            nlohmann::json checks = nlohmann::json::array();
            for (const auto& c : gate->checks)
                checks.push_back(c.toJson());
            if (json) {
                printJson({{"name", o->name},
                           {"version", o->version},
                           {"validation_id", *id},
                           {"rows", gate->report.performance.rows},
                           {"failed", gate->failed()},
                           {"checks", checks}});
            } else {
                printChecks(checks);
                note(std::to_string(gate->failed()) + " of " + std::to_string(checks.size()) +
                     " checks failed" +
                     (gate->failed() ? ": approval needs a justification for them" : ""));
            }
            return kExitOk;
        }
        if (approve->parsed()) {
            auto approved = registry.approve(me, password, o->name, o->version, o->justification);
            if (!approved) return fail(approved.error());
            if (json)
                printJson(*approved);
            else
                note("approved " + o->name + " version " + std::to_string(o->version) +
                     ", signed by " + me.name);
            return kExitOk;
        }
        if (promote->parsed()) {
            auto done = registry.promote(me, o->name, o->version, o->stage);
            if (!done) return fail(done.error());
            if (json)
                printJson(*done);
            else
                note(o->name + " version " + std::to_string(o->version) + " is now " + o->stage);
            return kExitOk;
        }
        if (swap->parsed()) {
            auto champion = registry.inStage(o->name, "champion");
            auto challenger = registry.inStage(o->name, "challenger");
            if (!champion) return fail(champion.error());
            if (!challenger) return fail(challenger.error());
            if (!*champion || !*challenger)
                return fail(Error::badInput("model '" + o->name + "' needs a champion and a " +
                                            "challenger (cwb registry promote)"));
            auto a = storedBundle(registry, o->name, (*champion)->version);
            if (!a) return fail(a.error());
            auto b = storedBundle(registry, o->name, (*challenger)->version);
            if (!b) return fail(b.error());
            auto progress = stderrProgress(o->quiet || json);
            auto set = computeSwapSet(**a, **b, o->data, o->target, o->bad, progress.get());
            if (!set) return fail(set.error());
            if (json) {
                nlohmann::json j = swapJson(*set);
                j["champion"] = (*champion)->version;
                j["challenger"] = (*challenger)->version;
                printJson(j);
            } else {
                printSwap(*set);
            }
            return kExitOk;
        }
        // check
        auto bundle = loadModel(o->model);
        if (!bundle) return fail(bundle.error());
        auto state = registry.checkApproved((*bundle)->sha256);
        if (!state) return fail(state.error());
        if (json) printJson(state->toJson());
        if (!state->approved) return fail(Error::failure("not approved: " + state->reason));
        if (!json)
            note("approved: " + state->name + " version " + std::to_string(state->version) +
                 " by " + state->approver);
        return kExitOk;
    };
}

}  // namespace cwb::cli
