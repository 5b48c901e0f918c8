#pragma once
// Runs the real cwb executable for end-to-end tests and collects exit code, stdout and stderr.

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <nlohmann/json.hpp>

#include "../common/ProcessRun.h"
#include "TestSupport.h"

namespace cwb::test {

struct CliRun : ProcessRun {
    nlohmann::json json() const { return nlohmann::json::parse(out.toStdString(), nullptr, false); }
};

// Any program (an installed copy of cwb or credit-workbench, a tool), in the given environment.
inline CliRun runProgram(
    const QString& program, const QStringList& arguments,
    const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
    int timeoutMs = 240000) {
    CliRun run;
    static_cast<ProcessRun&>(run) = runProcess(program, arguments, timeoutMs, {}, environment);
    return run;
}

inline CliRun runCli(const QStringList& arguments, int timeoutMs = 240000) {
    return runProgram(cliPath(), arguments, QProcessEnvironment::systemEnvironment(), timeoutMs);
}

}  // namespace cwb::test
