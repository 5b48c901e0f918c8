#pragma once
// Test helpers for monitoring against a real prometheus-pushgateway on loopback, shared by
// tests/core/tst_cli_monitoring and tests/gui/tst_gui_monitoring:
//   - Pushgateway: starts the gateway on a free 127.0.0.1 port (memory only, no persistence
//     file) and waits until it answers /-/ready; killed when the object dies;
//   - httpGet: a GET over a plain POSIX socket with a deadline (Qt6::Network is not linked to
//     the tests);
//   - sampleValue / countSamples: read values back from the gateway's /metrics text;
//   - freePort (Loopback.h): a port nobody listens on (a dead gateway); SilentServer: accepts
//     connections and never answers (a hung gateway).
// Every wait is bounded.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QThread>

#include "Loopback.h"

#include <atomic>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cwb::test {

// Accepts every connection and never reads or writes: the "hung gateway".
class SilentServer {
public:
    SilentServer() : m_fd(listenLoopback(64)), m_thread([this] { run(); }) {}
    ~SilentServer() {
        m_stop = true;
        m_thread.join();
        for (int c : m_clients)
            ::close(c);
        if (m_fd >= 0) ::close(m_fd);
    }
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;
    quint16 port() const { return portOf(m_fd); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
    int accepted() const { return m_accepted; }

private:
    void run() {
        while (!m_stop && m_fd >= 0) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 20) > 0) {
                const int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
                if (c >= 0) {
                    m_clients.push_back(c);
                    ++m_accepted;
                }
            }
        }
    }
    int m_fd;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_accepted{0};
    std::vector<int> m_clients;
    std::thread m_thread;
};

// GET over a raw socket (HTTP/1.0: the server closes after the answer). The body of a 200
// answer, or nullopt.
inline std::optional<std::string> httpGet(quint16 port, const std::string& path,
                                          int timeoutMs = 3000) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        if (fd >= 0) ::close(fd);
        return std::nullopt;
    }
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
        ::close(fd);
        return std::nullopt;
    }
    std::string response;
    QElapsedTimer timer;
    timer.start();
    char buffer[65536];
    while (timer.elapsed() < timeoutMs) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        response.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    const auto headerEnd = response.find("\r\n\r\n");
    if (response.rfind("HTTP/1.", 0) != 0 || response.find(" 200 ") > 12 ||
        headerEnd == std::string::npos)
        return std::nullopt;
    return response.substr(headerEnd + 4);
}

// The value of the sample name{labels...} (every given label must match), NaN when absent.
inline double sampleValue(const std::string& text, const std::string& name,
                          const std::map<std::string, std::string>& labels = {}) {
    for (const QString& line : QString::fromStdString(text).split('\n')) {
        if (line.startsWith('#')) continue;
        const qsizetype brace = line.indexOf('{');
        const qsizetype space = line.lastIndexOf(' ');
        if (space < 0) continue;
        const QString metric = brace >= 0 && brace < space ? line.left(brace) : line.left(space);
        if (metric.toStdString() != name) continue;
        bool all = true;
        for (const auto& [k, v] : labels)
            all = all && line.contains(QString::fromStdString(k + "=\"" + v + "\""));
        if (all) return line.mid(space + 1).toDouble();
    }
    return std::nan("");
}

inline int countSamples(const std::string& text, const std::string& prefix) {
    int n = 0;
    for (const QString& line : QString::fromStdString(text).split('\n'))
        n += line.startsWith(QString::fromStdString(prefix)) ? 1 : 0;
    return n;
}

// prometheus-pushgateway on a free loopback port, kept in memory only.
class Pushgateway {
public:
    Pushgateway() = default;
    ~Pushgateway() { stop(); }
    Pushgateway(const Pushgateway&) = delete;
    Pushgateway& operator=(const Pushgateway&) = delete;

    static QString executable() { return QStandardPaths::findExecutable("prometheus-pushgateway"); }

    // Starts the gateway, its output appended to logPath, and waits (at most ~10 s) until it
    // answers /-/ready. Another process can take the free port between our check and the
    // gateway's bind, so a gateway that exits at once is tried again on a new port.
    bool start(const QString& logPath) {
        const QString exe = executable();
        if (exe.isEmpty()) return false;
        for (int attempt = 0; attempt < 3; ++attempt) {
            m_port = freePort();
            if (m_port == 0) return false;
            m_process.setStandardOutputFile(logPath, QIODevice::Append);
            m_process.setStandardErrorFile(logPath, QIODevice::Append);
            m_process.start(exe, {QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
                                  "--persistence.file=", "--log.level=warn"});
            if (!m_process.waitForStarted(10000)) return false;
            for (int i = 0; i < 100 && m_process.state() == QProcess::Running; ++i) {
                if (httpGet(m_port, "/-/ready", 500)) return true;
                QThread::msleep(100);
            }
            stop();
        }
        return false;
    }
    void stop() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    quint16 port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    // The gateway's /metrics text ("" when it does not answer).
    std::string metrics() const { return httpGet(m_port, "/metrics").value_or(""); }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

}  // namespace cwb::test
