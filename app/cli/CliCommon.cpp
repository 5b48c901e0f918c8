#include "CliCommon.h"

#include "CancelSignals.h"

#include <chrono>
#include <cstdio>
#include <iostream>

namespace cwb::cli {

int fail(const Error& error) {
    std::cerr << "cwb: " << error.message << std::endl;
    return error.kind == ErrorKind::BadInput ? kExitBadInput : kExitFailure;
}

void printJson(const nlohmann::json& json) {
    std::cout << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

void note(const std::string& text) {
    std::cerr << text << std::endl;
}

void SignalTokenDeleter::operator()(ProgressToken* token) const {
    cancelOnSignal(nullptr);
    delete token;
}

int exitCodeAfterSignal(int code) {
    // A run that finished before it saw the signal keeps its own status.
    return code != kExitOk && cancelSignal() != 0 ? 128 + cancelSignal() : code;
}

std::unique_ptr<ProgressToken, SignalTokenDeleter> stderrProgress(bool quiet) {
    std::unique_ptr<ProgressToken, SignalTokenDeleter> token(new ProgressToken());
    cancelOnSignal(token.get());
    token->setMinInterval(std::chrono::milliseconds(1000));
    if (!quiet)
        token->setCallback([](double fraction, const std::string& text) {
            std::fprintf(stderr, "[%3d%%] %s\n", static_cast<int>(fraction * 100.0 + 0.5),
                         text.c_str());
        });
    return token;
}

Result<std::shared_ptr<const ModelBundle>> loadModel(const std::string& path) {
    auto bundle = loadBundle(path);
    if (!bundle) return bundle.error();
    return std::make_shared<const ModelBundle>(std::move(*bundle));
}

}  // namespace cwb::cli
