#pragma once
// Shared plumbing of the cwb commands: exit codes, JSON on stdout, human text and progress on
// stderr, errors turned into one clear message (DESIGN.md "Command line").

#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "scoring/ModelBundle.h"

namespace cwb::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// A subcommand registers its options on `app` and returns the function that runs it.
using Runner = std::function<int()>;

Runner addTrainCommand(CLI::App& app);
Runner addEvaluateCommand(CLI::App& app);
Runner addScoreCommand(CLI::App& app);
Runner addExplainCommand(CLI::App& app);
Runner addImportXgboostCommand(CLI::App& app);
Runner addInfoCommand(CLI::App& app);
Runner addSchemaCommand(CLI::App& app);
Runner addReasonsCommand(CLI::App& app);
Runner addExportSqlCommand(CLI::App& app);
Runner addServeCommand(CLI::App& app);
Runner addFairnessCommand(CLI::App& app);
Runner addReportCommand(CLI::App& app);

// Prints "cwb: <message>" on stderr and returns the exit code for the error's kind.
int fail(const Error& error);
void printJson(const nlohmann::json& json);
void note(const std::string& text);  // a line of human text on stderr

// A progress token that writes a line to stderr at most once a second; SIGINT and SIGTERM
// cancel it while it lives (CancelSignals.h).
struct SignalTokenDeleter {
    void operator()(ProgressToken* token) const;
};
std::unique_ptr<ProgressToken, SignalTokenDeleter> stderrProgress(bool quiet);
// The exit code of a command that failed after SIGINT/SIGTERM (128 + the signal), else `code`.
int exitCodeAfterSignal(int code);

Result<std::shared_ptr<const ModelBundle>> loadModel(const std::string& path);

}  // namespace cwb::cli
