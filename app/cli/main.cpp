// cwb: the command-line twin of the workbench (train, evaluate, score, explain, import, info).
// Links the engine only: the standing proof that the engine needs no GUI.

#include <QCoreApplication>

#include <chrono>
#include <exception>
#include <iostream>
#include <map>

#include "CancelSignals.h"
#include "CliCommon.h"
#include "CliStore.h"
#include "monitor/JsonLog.h"

int main(int argc, char** argv) {
    using namespace cwb::cli;
    QCoreApplication::setApplicationName("cwb");
    QCoreApplication::setApplicationVersion(CWB_VERSION);

    CLI::App app{
        "cwb: Credit Workbench command line (train, evaluate, score and explain credit "
        "scoring models)",
        "cwb"};
    app.set_version_flag("--version", std::string("cwb ") + CWB_VERSION);
    app.require_subcommand(1);
    // Global option; fallthrough (set before the subcommands, which inherit it) lets it follow
    // the command too: cwb score --log-level debug ...
    std::string logLevel = "info";
    app.add_option("--log-level", logLevel,
                   "Detail of the JSON log (" + cwb::JsonLog::defaultLogDirectory() +
                       "/cli.log): debug, info, warn, error or off (default: info)")
        ->envname("CWB_LOG_LEVEL")
        ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
    app.fallthrough();
    std::map<CLI::App*, Runner> runners;
    CLI::App* sub = nullptr;
    sub = app.add_subcommand("train", "Train a model from a labelled CSV file");
    runners[sub] = addTrainCommand(*sub);
    sub = app.add_subcommand("evaluate", "Measure a model's performance on a labelled CSV file");
    runners[sub] = addEvaluateCommand(*sub);
    sub = app.add_subcommand("score", "Score a CSV file of applicants");
    runners[sub] = addScoreCommand(*sub);
    sub = app.add_subcommand("explain", "Explain one applicant's score");
    runners[sub] = addExplainCommand(*sub);
    sub = app.add_subcommand("import-xgboost", "Import an XGBoost JSON model trained elsewhere");
    runners[sub] = addImportXgboostCommand(*sub);
    sub = app.add_subcommand("info", "Describe a model bundle");
    runners[sub] = addInfoCommand(*sub);
    sub = app.add_subcommand("schema", "Infer a data file's schema and save it for editing");
    runners[sub] = addSchemaCommand(*sub);
    sub = app.add_subcommand("reasons", "List or edit a model's reason-code texts");
    runners[sub] = addReasonsCommand(*sub);
    sub = app.add_subcommand("export-sql",
                             "Write one SQL statement that scores a table inside a database");
    runners[sub] = addExportSqlCommand(*sub);
    sub = app.add_subcommand("serve", "Serve scores over HTTP/JSON (docs/serve.md)");
    runners[sub] = addServeCommand(*sub);
    sub = app.add_subcommand("store", "Create or describe the workbench store");
    runners[sub] = addStoreCommand(*sub);
    sub = app.add_subcommand("user", "Manage the store's users and their roles");
    runners[sub] = addUserCommand(*sub);
    sub = app.add_subcommand("audit", "Verify, show the head of, or export the audit trail");
    runners[sub] = addAuditCommand(*sub);
    sub = app.add_subcommand("applicant", "Show, export (subject access) or erase an applicant");
    runners[sub] = addApplicantCommand(*sub);
    sub = app.add_subcommand("decision", "Show or override a recorded decision; override rates");
    runners[sub] = addDecisionCommand(*sub);
    sub = app.add_subcommand("registry", "Register, validate, approve (signed) and promote models");
    runners[sub] = addRegistryCommand(*sub);
    sub = app.add_subcommand("fairness", "Approval rates and adverse impact by protected group");
    runners[sub] = addFairnessCommand(*sub);
    sub = app.add_subcommand("report", "Write a compliance report (PDF, Excel)");
    runners[sub] = addReportCommand(*sub);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitBadInput;
    }
    installCancelSignals();
    cwb::LogConfig logConfig;
    logConfig.app = "cli";
    logConfig.level = cwb::logLevelFromString(logLevel).value_or(cwb::LogLevel::Info);
    cwb::JsonLog& log = cwb::JsonLog::instance();
    log.configure(logConfig);
    const auto started = std::chrono::steady_clock::now();
    // One line per command run: which command, how it ended and how long it took (no
    // arguments: they name files and may carry personal data).
    const auto finished = [&](const std::string& command, int code) {
        log.write(
            code == kExitOk ? cwb::LogLevel::Info : cwb::LogLevel::Warn, "command_finished",
            {{"command", command},
             {"exit_code", code},
             {"seconds",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
        return code;
    };
    try {
        for (auto& [command, run] : runners)
            if (command->parsed()) return finished(command->get_name(), exitCodeAfterSignal(run()));
    } catch (const std::exception& e) {
        // Broken invariants (library failures) end here with their message, never a crash.
        std::cerr << "cwb: internal error: " << e.what() << std::endl;
        log.error("internal_error", {{"exception", "std::exception"}});
        return kExitFailure;
    }
    return kExitBadInput;
}
