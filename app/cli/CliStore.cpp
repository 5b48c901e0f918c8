#include "CliStore.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "CliCommon.h"

namespace cwb::cli {

namespace {

// Reads one line from the controlling terminal with echo off.
Result<store::SecretString> promptTerminal(const std::string& prompt) {
    FILE* tty = std::fopen("/dev/tty", "r+");
    if (!tty || !isatty(fileno(tty))) {
        if (tty) std::fclose(tty);
        return Error::badInput("no terminal to ask for the password on");
    }
    std::fprintf(tty, "%s", prompt.c_str());
    std::fflush(tty);
    termios saved{};
    tcgetattr(fileno(tty), &saved);
    termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fileno(tty), TCSAFLUSH, &silent);
    std::string line;
    for (int c = std::fgetc(tty); c != EOF && c != '\n' && line.size() <= store::kMaxPasswordLength;
         c = std::fgetc(tty))
        line.push_back(static_cast<char>(c));
    tcsetattr(fileno(tty), TCSAFLUSH, &saved);
    std::fprintf(tty, "\n");
    std::fclose(tty);
    return store::SecretString(std::move(line));
}

}  // namespace

void addStoreOptions(CLI::App& app, StoreOptions& options, bool withJson) {
    app.add_option("--store", options.store,
                   "Store file, or a team store's postgresql://USER@HOST:PORT/DB address "
                   "(password from PGPASSWORD, ~/.pgpass or asked) (default: $CWB_STORE, else " +
                       store::Store::defaultPath() + ")")
        ->envname("CWB_STORE");
    app.add_option("--user", options.user, "Act as this user (default: $CWB_USER, else you)")
        ->envname("CWB_USER");
    if (withJson) app.add_flag("--json", options.json, "Print the result as one JSON object");
}

std::string storePath(const StoreOptions& options) {
    return options.store.empty() ? store::Store::defaultPath() : options.store;
}

std::string userName(const StoreOptions& options) {
    return options.user.empty() ? store::osUserName() : options.user;
}

Result<store::SecretString> readPassword(const std::string& prompt) {
    if (const char* env = std::getenv("CWB_PASSWORD"); env && *env) return store::SecretString(env);
    auto typed = promptTerminal(prompt);
    if (!typed)
        return Error::badInput("a password is needed: set CWB_PASSWORD or run on a terminal");
    return typed;
}

Result<store::SecretString> readNewPassword(const std::string& forWhom) {
    if (const char* env = std::getenv("CWB_NEW_PASSWORD"); env && *env) {
        store::SecretString password(env);
        if (auto r = store::checkPasswordRules(password); !r) return r.error();
        return password;
    }
    auto first = promptTerminal("New password for " + forWhom + ": ");
    if (!first)
        return Error::badInput(
            "a new password is needed: set CWB_NEW_PASSWORD or run on a "
            "terminal");
    if (auto r = store::checkPasswordRules(*first); !r) return r.error();
    auto second = promptTerminal("Repeat the new password: ");
    if (!second) return second.error();
    if (first->view() != second->view()) return Error::badInput("the two passwords differ");
    return first;
}

void installStorePasswordPrompt() {
    store::Database::setPasswordPrompt(
        [](const std::string& address) -> Result<store::SecretString> {
            auto typed = promptTerminal("Password for the store " + address + ": ");
            if (!typed)
                return Error::badInput("the store " + address +
                                       " needs a password: set PGPASSWORD, put it in ~/.pgpass, "
                                       "or run on a terminal");
            return typed;
        });
}

Result<StoreSession> openSession(const StoreOptions& options, store::SecretString* keepPassword) {
    installStorePasswordPrompt();
    const std::string path = storePath(options);
    auto opened = store::Store::openForDesktop(path, store::osUserName());
    if (!opened) return opened.error();
    StoreSession session;
    session.store = std::move(*opened);
    const std::string name = userName(options);
    auto user = session.store->users().find(name);
    if (!user) return user.error();
    std::unique_ptr<store::SecretString> password;
    // Ask only when the account has one; an unknown name is asked too, so that the prompt does
    // not tell which names exist.
    if (!*user || (*user)->hasPassword) {
        auto typed = readPassword("Password for " + name + ": ");
        if (!typed) return typed.error();
        password = std::make_unique<store::SecretString>(std::move(*typed));
    }
    auto actor = session.store->users().authenticate(name, password.get());
    if (!actor) return actor.error();
    session.actor = std::move(*actor);
    if (keepPassword && password) *keepPassword = std::move(*password);
    return session;
}

Result<void> requireApproved(const ModelBundle& bundle, const std::string& store) {
    std::string path = store;
    if (path.empty())
        if (const char* env = std::getenv("CWB_STORE"); env && *env) path = env;
    if (path.empty()) path = store::Store::defaultPath();
    auto opened = store::Store::open(path);
    if (!opened)
        return Error::failure("--require-approved: no store to check the approval in: " +
                              opened.error().message);
    auto check = (*opened)->registry().checkApproved(bundle.sha256);
    if (!check) return check.error();
    if (!check->approved)
        return Error::failure("--require-approved: model '" + bundle.name +
                              "' refused: " + check->reason);
    note("approved: " + check->name + " version " + std::to_string(check->version) + " by " +
         check->approver + " at " + check->at);
    return {};
}

}  // namespace cwb::cli
