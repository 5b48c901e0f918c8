#include "ServeRun.h"

#include "DecisionRecorder.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <thread>

namespace cwb::serve {

namespace {

int exitCodeFor(const Error& error) {
    return error.kind == ErrorKind::BadInput ? 2 : 1;
}

}  // namespace

int runService(ServeOptions options, const std::string& tokenFile,
               const std::string& adminTokenFile, const std::string& logTarget) {
    // Signals are taken by one thread with sigtimedwait, never by handlers: they are blocked here,
    // before any thread (XGBoost's, httplib's) exists, so every thread inherits the mask.
    sigset_t handledSignals;
    sigemptyset(&handledSignals);
    sigaddset(&handledSignals, SIGHUP);
    sigaddset(&handledSignals, SIGTERM);
    sigaddset(&handledSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &handledSignals, nullptr);

    auto clientTokens = BearerTokens::load(tokenFile, "CWB_SERVE_TOKENS");
    if (!clientTokens) {
        std::cerr << "cwb: " << clientTokens.error().message << std::endl;
        return 2;
    }
    auto adminTokens = BearerTokens::load(adminTokenFile, "CWB_SERVE_ADMIN_TOKENS");
    if (!adminTokens) {
        std::cerr << "cwb: " << adminTokens.error().message << std::endl;
        return 2;
    }
    auto log = EventLog::open(logTarget);
    if (!log) {
        std::cerr << "cwb: " << log.error().message << std::endl;
        return 2;
    }
    if (clientTokens->empty())
        std::cerr << "cwb serve: no client token configured: /v1/score and /v1/model are open "
                     "to anyone who can reach the port"
                  << std::endl;
    const double drainSeconds = options.drainSeconds;
    std::unique_ptr<DecisionRecorder> recorder;
    if (!options.storePath.empty()) {
        RecorderLogin login{options.storePath, options.storeUser, nullptr};
        if (const char* env = std::getenv("CWB_PASSWORD"); env && *env)
            login.password = std::make_unique<store::SecretString>(env);
        auto started = DecisionRecorder::start(std::move(login));
        if (!started) {
            std::cerr << "cwb: store '" << options.storePath << "': " << started.error().message
                      << std::endl;
            return exitCodeFor(started.error());
        }
        recorder = std::move(*started);
    }
    ScoringService service(std::move(options), std::move(*clientTokens), std::move(*adminTokens),
                           std::move(*log));
    if (recorder) service.setRecorder(std::move(recorder));
    auto port = service.start();
    if (!port) {
        std::cerr << "cwb: " << port.error().message << std::endl;
        return exitCodeFor(port.error());
    }

    std::atomic<bool> finished{false};
    std::thread signalThread([&] {
        bool draining = false;
        bool stopWanted = false;  // until stopNow() succeeds: run() may not be listening yet
        auto stopAt = std::chrono::steady_clock::time_point::max();
        while (!finished) {
            timespec wait{0, 100'000'000};  // wakes to notice the drain's end and run()'s return
            siginfo_t info{};
            const int signal = sigtimedwait(&handledSignals, &info, &wait);
            if (signal == SIGHUP) {
                (void)service.reload("signal");  // logged and counted by reload()
            } else if (signal == SIGTERM || signal == SIGINT) {
                if (draining) {
                    stopWanted = true;
                } else {
                    draining = true;
                    service.beginShutdown(signal == SIGTERM ? "SIGTERM" : "SIGINT");
                    stopAt = std::chrono::steady_clock::now() +
                             std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                 std::chrono::duration<double>(drainSeconds));
                }
            }
            if (draining && std::chrono::steady_clock::now() >= stopAt) {
                stopWanted = true;
                stopAt = std::chrono::steady_clock::time_point::max();
            }
            if (stopWanted && service.stopNow()) stopWanted = false;
        }
    });
    const bool ok = service.run();
    finished = true;
    signalThread.join();
    return ok ? 0 : 1;
}

}  // namespace cwb::serve
