#include "CancelSignals.h"

#include <atomic>
#include <csignal>

namespace cwb::cli {

namespace {

std::atomic<ProgressToken*> g_token{nullptr};
std::atomic<int> g_signal{0};

// Async-signal-safe: only lock-free atomic stores (ProgressToken::cancel is one) and signal().
extern "C" void onSignal(int signal) {
    int expected = 0;
    if (!g_signal.compare_exchange_strong(expected, signal)) {
        // Second signal: the user insists.
        std::signal(signal, SIG_DFL);
        std::raise(signal);
        return;
    }
    if (ProgressToken* token = g_token.load()) token->cancel();
}

}  // namespace

void installCancelSignals() {
    static_assert(std::atomic<ProgressToken*>::is_always_lock_free);
    static_assert(std::atomic<int>::is_always_lock_free);
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

void cancelOnSignal(ProgressToken* token) {
    g_token.store(token);
    if (token && g_signal.load() != 0) token->cancel();
}

int cancelSignal() {
    return g_signal.load();
}

}  // namespace cwb::cli
