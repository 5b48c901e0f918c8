#pragma once
// Runs a program to completion for a test, with a deadline, and collects its exit code and
// output: shared by the cwb runner (tests/core/CliRunner.h) and the PostgreSQL harness.

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace cwb::test {

struct ProcessRun {
    int exitCode = -1;  // -1: did not start, crashed or timed out
    QByteArray out;
    QByteArray err;
    bool ok() const { return exitCode == 0; }
};

// Starts program, writes input to its stdin (then closes it) and waits at most timeoutMs; a
// program still running then is killed and reported as "timed out".
inline ProcessRun runProcess(const QString& program, const QStringList& arguments, int timeoutMs,
                             const QByteArray& input = {},
                             const std::optional<QProcessEnvironment>& environment = {}) {
    QProcess process;
    if (environment) process.setProcessEnvironment(*environment);
    ProcessRun run;
    process.start(program, arguments);
    if (!process.waitForStarted(30000)) {
        run.err = process.errorString().toUtf8();
        return run;
    }
    if (!input.isEmpty()) process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        run.err = "timed out";
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

}  // namespace cwb::test
