#include "CliCommon.h"

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

std::unique_ptr<ProgressToken> stderrProgress(bool quiet) {
    auto token = std::make_unique<ProgressToken>();
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
