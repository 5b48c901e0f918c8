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
// user) and authenticates the user.
Result<StoreSession> openSession(const StoreOptions& options);

// CWB_PASSWORD, else a prompt on the terminal without echo; an error when neither is there.
Result<store::SecretString> readPassword(const std::string& prompt);
// CWB_NEW_PASSWORD, else asked twice on the terminal.
Result<store::SecretString> readNewPassword(const std::string& forWhom);

Runner addStoreCommand(CLI::App& app);
Runner addUserCommand(CLI::App& app);
Runner addAuditCommand(CLI::App& app);
Runner addApplicantCommand(CLI::App& app);
Runner addDecisionCommand(CLI::App& app);

}  // namespace cwb::cli
