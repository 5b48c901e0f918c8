#pragma once
// What the store commands share: --store/--user/--json, opening (or on first use creating) the
// store, and logging in with a password from CWB_PASSWORD or the terminal, never from the
// command line.

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "CliCommon.h"
#include "common/Result.h"
#include "store/Store.h"

namespace cwb::cli {

inline constexpr int kExitBrokenChain = 3;  // only `cwb audit verify`: the chain is broken

struct StoreOptions {
    std::string store;  // --store, else CWB_STORE, else the XDG data folder
    std::string user;   // --user, else CWB_USER, else the OS login name
    bool json = false;
};

// Adds --store, --user and (withJson) --json to a command.
void addStoreOptions(CLI::App& app, StoreOptions& options, bool withJson = true);

std::string storePath(const StoreOptions& options);
std::string userName(const StoreOptions& options);

struct StoreSession {
    std::unique_ptr<store::Store> store;
    store::Actor actor;
};

// Opens the store (creating the single-user desktop store on first use, the OS user its only
// user) and authenticates the user. keepPassword receives the password typed or read (for
// signing an approval, which needs it to open the signing key); it is left empty for a
// password-less desktop account.
Result<StoreSession> openSession(const StoreOptions& options,
                                 store::SecretString* keepPassword = nullptr);

// --require-approved (cwb score, cwb explain): the bundle must have a valid approval signature
// from a current compliance user in the store (`store` path, else CWB_STORE, else the default
// store; never created here). Failure naming why otherwise.
Result<void> requireApproved(const ModelBundle& bundle, const std::string& store);

// The team store's password, when libpq finds none in PGPASSWORD or ~/.pgpass, is asked on the
// terminal (never taken from the command line).
void installStorePasswordPrompt();

// CWB_PASSWORD, else a prompt on the terminal without echo; an error when neither is there.
Result<store::SecretString> readPassword(const std::string& prompt);
// CWB_NEW_PASSWORD, else asked twice on the terminal.
Result<store::SecretString> readNewPassword(const std::string& forWhom);

Runner addStoreCommand(CLI::App& app);
Runner addUserCommand(CLI::App& app);
Runner addAuditCommand(CLI::App& app);
Runner addApplicantCommand(CLI::App& app);
Runner addDecisionCommand(CLI::App& app);
Runner addRegistryCommand(CLI::App& app);
// `cwb report audit` (app/cli/CmdReportAudit.cpp), a subcommand of `cwb report`.
Runner addAuditReportCommand(CLI::App& app);

}  // namespace cwb::cli
