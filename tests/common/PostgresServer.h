#pragma once
// A real PostgreSQL 15 server for tests (SQL export, the team store): initdb in a temporary
// directory, the server on a free 127.0.0.1 port and a Unix socket inside that directory, psql
// to talk to it. Every wait is bounded; the server is stopped and the directory removed when
// the object dies, and a server whose test process dies without cleaning up gets SIGQUIT from
// the kernel (parent-death signal), so no server outlives its test.
//
// PostgreSQL refuses to run as root. When the test runs as root, the directory is handed to
// the unprivileged account `nobody` and initdb and the server switch to it between fork and
// exec (setgid/setuid in the child); psql, a client, runs as the test's own user.
//
//   PostgresServer pg;
//   if (!PostgresServer::available()) QSKIP("PostgreSQL 15 is not installed");
//   QString error;
//   QVERIFY2(pg.start(&error), qPrintable(error));
//   auto run = pg.psql({"-c", "SELECT 1"});
//
// Binaries: $CWB_PG_BINDIR, else /usr/lib/postgresql/15/bin (Debian's postgresql-15 and
// postgresql-client-15, both installed by the `postgresql` package).

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>

#include <functional>
#include <memory>

#include "Loopback.h"
#include "ProcessRun.h"

namespace cwb::test {

class PostgresServer {
public:
    struct Options {
        // Non-empty: the superuser gets this password and TCP connections must give it
        // (scram-sha-256); the Unix socket stays trusted. Passed to initdb in a file (0600)
        // that is deleted at once, never on a command line.
        QString password;
    };

    using PsqlRun = ProcessRun;

    PostgresServer() = default;
    ~PostgresServer() { stop(); }
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    static QString binDir() {
        const QString fromEnv = qEnvironmentVariable("CWB_PG_BINDIR");
        return fromEnv.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin") : fromEnv;
    }
    static QString binary(const QString& name) { return QDir(binDir()).filePath(name); }
    // True when initdb, postgres, pg_isready and psql are all installed.
    static bool available() {
        for (const char* name : {"initdb", "postgres", "pg_isready", "psql"})
            if (!QFileInfo(binary(QString::fromLatin1(name))).isExecutable()) return false;
        return true;
    }

    // initdb, start, wait until the server accepts connections (at most ~60 s in all). On
    // failure, error says what failed with the tool's output, and nothing is left running.
    bool start(QString* error, const Options& options = {}) {
        stop();
        m_password = options.password;
        m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + "/cwb-pg-XXXXXX");
        if (!m_dir->isValid()) return failed(error, "cannot create a temporary directory");
        if (!prepareAccount(error)) return false;
        if (!initdb(error)) return false;
        // The free port can be taken between our check and the server's bind: try again.
        for (int attempt = 0; attempt < 3; ++attempt) {
            m_port = freePort();
            if (m_port == 0) return failed(error, "no free loopback port");
            if (launch(error)) return true;
            stop(false);
        }
        return false;
    }

    // Fast shutdown (SIGINT), then SIGQUIT and SIGKILL if the server does not stop in time.
    void stop() { stop(true); }

    bool running() const { return m_server && m_server->state() == QProcess::Running; }
    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 port() const { return m_port; }
    QString socketDir() const { return m_dir ? m_dir->path() : QString(); }
    QString user() const { return QStringLiteral("postgres"); }
    QString database() const { return QStringLiteral("postgres"); }
    QString dataDir() const { return m_dir ? m_dir->filePath("data") : QString(); }
    // The server's own log (startup messages, errors), for failure messages.
    QString log() const {
        QFile f(m_dir ? m_dir->filePath("server.log") : QString());
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

    // psql on the Unix socket as the superuser, without psqlrc, stopping at the first error;
    // `arguments` follow the connection options (e.g. {"-c", "SELECT 1"} or {"-f", file}).
    PsqlRun psql(const QStringList& arguments, const QByteArray& input = {},
                 int timeoutMs = 300000) const {
        QStringList all{"-X", "-q",        "-v", "ON_ERROR_STOP=1",
                        "-h", socketDir(), "-p", QString::number(m_port),
                        "-U", user(),      "-d", database()};
        all += arguments;
        return runClient(binary("psql"), all, input, timeoutMs);
    }
    // One statement (or several separated by ';'), output unaligned without headers.
    PsqlRun sql(const QString& statements, int timeoutMs = 300000) const {
        return psql({"-A", "-t", "-c", statements}, {}, timeoutMs);
    }
    // psql over TCP to host():port(), as the superuser; a password goes to the client in its
    // environment (PGPASSWORD), never on its command line.
    PsqlRun psqlOverTcp(const QStringList& arguments, const QString& password = {},
                        int timeoutMs = 60000) const {
        QStringList all{"-X",   "-q",   "-v",      "ON_ERROR_STOP=1",       "-w",
                        "-h",   host(), "-p",      QString::number(m_port), "-U",
                        user(), "-d",   database()};
        all += arguments;
        return runClient(binary("psql"), all, {}, timeoutMs, password);
    }

private:
    // The account the server runs as: the test's own, or `nobody` when the test is root.
    bool prepareAccount(QString* error) {
        m_switchUser = ::geteuid() == 0;
        if (!m_switchUser) return true;
        const passwd* account = ::getpwnam("nobody");
        if (!account) return failed(error, "running as root and there is no account 'nobody'");
        m_uid = account->pw_uid;
        m_gid = account->pw_gid;
        if (::chown(QFile::encodeName(m_dir->path()).constData(), m_uid, m_gid) != 0)
            return failed(error, "cannot hand " + m_dir->path() + " to nobody");
        return true;
    }

    // Runs in the child between fork and exec: only async-signal-safe system calls.
    std::function<void()> childSetup(int deathSignal) const {
        const bool switchUser = m_switchUser;
        const uid_t uid = m_uid;
        const gid_t gid = m_gid;
        return [switchUser, uid, gid, deathSignal] {
            if (switchUser &&
                (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0))
                ::_exit(126);
            // After setuid: a change of credentials clears the parent-death signal.
            ::prctl(PR_SET_PDEATHSIG, deathSignal);
        };
    }

    static QProcessEnvironment serverEnvironment() {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& key : env.keys())
            if (key.startsWith("PG")) env.remove(key);
        env.insert("LC_ALL", "C");
        env.insert("TZ", "UTC");
        return env;
    }

    bool initdb(QString* error) {
        QStringList arguments{"-D",         dataDir(),   "-U",
                              user(),       "-E",        "UTF8",
                              "--locale=C", "--no-sync", "--no-instructions"};
        QString passwordFile;
        if (m_password.isEmpty()) {
            arguments << "--auth=trust";
        } else {
            passwordFile = m_dir->filePath("initdb.pw");
            QFile f(passwordFile);
            if (!f.open(QIODevice::WriteOnly) ||
                !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
                f.write(m_password.toUtf8() + "\n") < 0)
                return failed(error, "cannot write the initdb password file");
            f.close();
            if (m_switchUser &&
                ::chown(QFile::encodeName(passwordFile).constData(), m_uid, m_gid) != 0)
                return failed(error, "cannot hand the password file to nobody");
            arguments << "--auth-local=trust"
                      << "--auth-host=scram-sha-256"
                      << "--pwfile=" + passwordFile;
        }
        QProcess process;
        process.setProcessEnvironment(serverEnvironment());
        process.setWorkingDirectory(m_dir->path());
        process.setChildProcessModifier(childSetup(SIGKILL));
        process.start(binary("initdb"), arguments);
        const bool finished = process.waitForFinished(120000);
        if (!passwordFile.isEmpty()) QFile::remove(passwordFile);
        if (!finished) {
            process.kill();
            process.waitForFinished(5000);
            return failed(error, "initdb did not finish within 120 s");
        }
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
            return failed(error,
                          "initdb failed: " + QString::fromUtf8(process.readAllStandardError()) +
                              QString::fromUtf8(process.readAllStandardOutput()));
        return true;
    }

    bool launch(QString* error) {
        m_server = std::make_unique<QProcess>();
        m_server->setProcessEnvironment(serverEnvironment());
        m_server->setWorkingDirectory(m_dir->path());
        const QString logPath = m_dir->filePath("server.log");
        m_server->setStandardOutputFile(logPath, QIODevice::Append);
        m_server->setStandardErrorFile(logPath, QIODevice::Append);
        // SIGQUIT is PostgreSQL's immediate shutdown: the server and its backends end at once.
        m_server->setChildProcessModifier(childSetup(SIGQUIT));
        m_server->start(binary("postgres"),
                        {"-D", dataDir(), "-p", QString::number(m_port), "-k", m_dir->path(), "-h",
                         host(), "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
                         "full_page_writes=off", "-c", "logging_collector=off"});
        if (!m_server->waitForStarted(30000))
            return failed(error, "the server did not start: " + m_server->errorString());
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 60000 && m_server->state() == QProcess::Running) {
            const PsqlRun ready = runClient(
                binary("pg_isready"),
                {"-h", m_dir->path(), "-p", QString::number(m_port), "-U", user(), "-t", "2"}, {},
                10000);
            if (ready.ok()) return true;
            QThread::msleep(100);
        }
        return failed(error, "the server did not become ready: " + log());
    }

    PsqlRun runClient(const QString& program, const QStringList& arguments, const QByteArray& input,
                      int timeoutMs, const QString& password = {}) const {
        QProcessEnvironment env = serverEnvironment();
        env.insert("PGCONNECT_TIMEOUT", "10");
        if (!password.isEmpty()) env.insert("PGPASSWORD", password);
        return runProcess(program, arguments, timeoutMs, input, env);
    }

    void stop(bool removeDirectory) {
        if (m_server && m_server->state() != QProcess::NotRunning) {
            const auto pid = static_cast<pid_t>(m_server->processId());
            ::kill(pid, SIGINT);
            if (!m_server->waitForFinished(20000)) {
                ::kill(pid, SIGQUIT);
                if (!m_server->waitForFinished(10000)) {
                    m_server->kill();
                    m_server->waitForFinished(5000);
                }
            }
        }
        m_server.reset();
        if (removeDirectory) m_dir.reset();
    }

    static bool failed(QString* error, const QString& message) {
        if (error) *error = message;
        return false;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_server;
    QString m_password;
    quint16 m_port = 0;
    bool m_switchUser = false;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
};

}  // namespace cwb::test
