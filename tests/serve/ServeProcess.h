#pragma once
// A real `cwb serve` child process for the service tests: started on a kernel-chosen loopback
// port (--port 0; the port is read from the "listening" line of its JSON log file), with
// bounded waits everywhere, and killed if a test leaves it running.

#include <signal.h>

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QThread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace cwb::test {

class ServeProcess {
public:
    ServeProcess(const QString& cwb, const QString& logPath) : m_cwb(cwb), m_logPath(logPath) {}
    ~ServeProcess() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    // Starts `cwb serve --port 0 --log <log> <arguments>` and waits (at most 60 s) until it
    // listens. False when it exits or never listens; errorOutput() then says why.
    bool start(const QStringList& arguments,
               const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment()) {
        QFile::remove(m_logPath);
        m_process.setProcessEnvironment(environment);
        m_process.start(m_cwb, QStringList{"serve", "--port", "0", "--log", m_logPath} + arguments);
        if (!m_process.waitForStarted(30000)) return false;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 60000) {
            for (const nlohmann::json& line : logLines())
                if (line.value("event", "") == "listening") {
                    m_port = line.value("port", 0);
                    return m_port > 0;
                }
            if (m_process.waitForFinished(50)) return false;
        }
        return false;
    }

    int port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    void signal(int sig) { ::kill(static_cast<pid_t>(m_process.processId()), sig); }
    // Waits at most timeoutMs for the process to end; its exit code, or -1 (crash, still running).
    int waitForExit(int timeoutMs) {
        if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(timeoutMs))
            return -1;
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    QByteArray errorOutput() { return m_process.readAllStandardError(); }

    std::unique_ptr<httplib::Client> client() const {
        auto c = std::make_unique<httplib::Client>("127.0.0.1", m_port);
        c->set_connection_timeout(5);
        c->set_read_timeout(30);
        c->set_write_timeout(30);
        c->set_keep_alive(true);
        return c;
    }

    std::vector<nlohmann::json> logLines() const {
        std::vector<nlohmann::json> lines;
        QFile file(m_logPath);
        if (!file.open(QIODevice::ReadOnly)) return lines;
        for (const QByteArray& line : file.readAll().split('\n'))
            if (!line.isEmpty()) {
                auto json = nlohmann::json::parse(line.toStdString(), nullptr, false);
                if (!json.is_discarded()) lines.push_back(std::move(json));
            }
        return lines;
    }
    QByteArray logText() const {
        QFile file(m_logPath);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private:
    QString m_cwb;
    QString m_logPath;
    QProcess m_process;
    int m_port = 0;
};

}  // namespace cwb::test
