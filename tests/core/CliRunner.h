#pragma once
// Runs the real cwb executable for end-to-end tests and collects exit code, stdout and stderr.

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

#include <nlohmann/json.hpp>

#include "../common/ProcessRun.h"
#include "TestSupport.h"

namespace cwb::test {

struct CliRun : ProcessRun {
    nlohmann::json json() const { return nlohmann::json::parse(out.toStdString(), nullptr, false); }
};

inline CliRun runCli(const QStringList& arguments, int timeoutMs = 240000) {
    CliRun run;
    static_cast<ProcessRun&>(run) = runProcess(cliPath(), arguments, timeoutMs);
    return run;
}

}  // namespace cwb::test
