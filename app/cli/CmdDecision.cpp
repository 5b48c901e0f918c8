// cwb decision show|override|overrides: one recorded decision; overriding it with a reason code
// and a comment (loan officers); override rates by officer, reason and score band.

#include <iostream>

#include "CliStore.h"

namespace cwb::cli {

Runner addDecisionCommand(CLI::App& app) {
    struct Options {
        StoreOptions store;
        std::int64_t decision = 0;
        std::string to, reason, comment;
        int bandWidth = 20;
    };
    auto o = std::make_shared<Options>();
    app.require_subcommand(1);
    CLI::App* show = app.add_subcommand("show", "Show a recorded decision and its overrides");
    CLI::App* override = app.add_subcommand(
        "override", "Override a recorded decision (reason code from the store's list, comment)");
    for (CLI::App* sub : {show, override})
        sub->add_option("--decision", o->decision, "The decision's id")
            ->required()
            ->check(CLI::PositiveNumber);
    override->add_option("--to", o->to, "The new decision: approve, refer or decline")
        ->required()
        ->check(CLI::IsMember({"approve", "refer", "decline"}));
    override->add_option("--reason", o->reason, "A reason code (cwb store settings lists them)")
        ->required();
    override->add_option("--comment", o->comment, "Why, in words")->required();
    CLI::App* overrides = app.add_subcommand(
        "overrides", "Override rates: overall, by officer, by reason code and by score band");
    overrides->add_option("--band-width", o->bandWidth, "Score band width in points (default 20)")
        ->check(CLI::Range(1, 1000));
    for (CLI::App* sub : {show, override, overrides})
        addStoreOptions(*sub, o->store);

    return [=]() -> int {
        auto session = openSession(o->store);
        if (!session) return fail(session.error());
        store::Decisions& decisions = session->store->decisions();
        if (override->parsed()) {
            auto id = decisions.override(session->actor, o->decision, o->to, o->reason, o->comment);
            if (!id) return fail(id.error());
            if (o->store.json)
                printJson({{"decision", o->decision}, {"override", *id}, {"to", o->to}});
            else
                note("decision " + std::to_string(o->decision) + " overridden to " + o->to);
            return kExitOk;
        }
        if (overrides->parsed()) {
            auto report = decisions.overrideReport(session->actor, o->bandWidth);
            if (!report) return fail(report.error());
            if (o->store.json) {
                printJson(*report);
            } else {
                std::cout << "decisions " << (*report)["decisions"] << ", overrides "
                          << (*report)["overrides"] << ", rate " << (*report)["rate"] << "\n";
                for (const auto& b : (*report)["by_score_band"])
                    std::cout << "  " << b["from"] << "-" << b["to"] << ": " << b["overrides"]
                              << " of " << b["decisions"] << "\n";
            }
            return kExitOk;
        }
        if (auto r = store::require(session->actor, store::Action::ReportDecisions); !r)
            return fail(r.error());
        auto found = decisions.find(o->decision);
        if (!found) return fail(found.error());
        if (!*found) return fail(Error::badInput("no decision " + std::to_string(o->decision)));
        std::cout << (*found)->dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
        return kExitOk;
    };
}

}  // namespace cwb::cli
