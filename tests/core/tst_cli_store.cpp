// `cwb store|user|audit` end to end on real store files: passwords only from the environment,
// roles refused with the role named, lockout, exit 3 for a broken chain (issue 11).

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "CliRunner.h"
#include "StoreTestSupport.h"

using namespace cwb;
using namespace cwb::test;

namespace {

struct Cli {
    QString store;
    CliRun operator()(const QStringList& args, const QString& user = {},
                      const QString& password = {}, const QString& newPassword = {}) const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* v : {"CWB_STORE", "CWB_USER", "CWB_PASSWORD", "CWB_NEW_PASSWORD"})
            env.remove(v);
        env.insert("CWB_STORE", store);
        if (!user.isEmpty()) env.insert("CWB_USER", user);
        if (!password.isEmpty()) env.insert("CWB_PASSWORD", password);
        if (!newPassword.isEmpty()) env.insert("CWB_NEW_PASSWORD", newPassword);
        // setsid: no controlling terminal, so a missing password is an error and never a
        // prompt that waits, even when the tests run from a terminal.
        return runProgram("setsid", QStringList{"-w", cliPath()} + args, env, 120000);
    }
};

}  // namespace

class TstCliStore : public QObject {
    Q_OBJECT
private slots:
    void initUsersAndRoles();
    void wrongPasswordAndLockout();
    void auditVerifyHeadAndExport();
    void noPasswordWithoutTerminalIsAnError();
};

void TstCliStore::initUsersAndRoles() {
    QTemporaryDir dir;
    const Cli cwb{dir.filePath("s.sqlite")};
    auto init = cwb({"store", "init", "--admin", "root", "--json"}, {}, {}, "root-password");
    QVERIFY2(init.ok(), init.err.constData());
    QCOMPARE(init.json()["admin"].get<std::string>(), std::string("root"));
    // init refuses an existing store.
    QCOMPARE(cwb({"store", "init", "--admin", "x"}, {}, {}, "root-password").exitCode, 2);
    auto add = cwb(
        {"user", "add", "--name", "ann", "--role", "analyst", "--role", "loan_officer", "--json"},
        "root", "root-password", "ann-password");
    QVERIFY2(add.ok(), add.err.constData());
    QVERIFY(add.json()["roles"] == nlohmann::json({"analyst", "loan_officer"}));
    // The password never appears in the output or the store file.
    QVERIFY(!add.out.contains("ann-password") && !add.err.contains("ann-password"));
    auto list = cwb({"user", "list", "--json"}, "root", "root-password");
    QVERIFY(list.ok());
    QCOMPARE(list.json()["users"].size(), std::size_t(2));
    // ann is no admin: refused, naming the role needed; exit 1.
    auto refused = cwb({"user", "add", "--name", "bob", "--role", "admin"}, "ann", "ann-password",
                       "bob-password");
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("needs the role admin"), refused.err.constData());
    auto audit = cwb({"audit", "verify"}, "ann", "ann-password");
    QCOMPARE(audit.exitCode, 1);
    QVERIFY(audit.err.contains("needs the role compliance or admin"));
    // Bad usage is exit 2: an unknown role, a short password.
    QCOMPARE(cwb({"user", "add", "--name", "bob", "--role", "boss"}, "root", "root-password",
                 "bob-password")
                 .exitCode,
             2);
    QCOMPARE(
        cwb({"user", "add", "--name", "bob", "--role", "analyst"}, "root", "root-password", "short")
            .exitCode,
        2);
    QVERIFY(cwb({"user", "roles", "--name", "ann", "--role", "compliance"}, "root", "root-password")
                .ok());
    QVERIFY(cwb({"audit", "head"}, "ann", "ann-password").ok());
    // Own password change.
    QVERIFY(cwb({"user", "passwd"}, "ann", "ann-password", "ann-new-password").ok());
    QCOMPARE(cwb({"audit", "head"}, "ann", "ann-password").exitCode, 1);
    QVERIFY(cwb({"audit", "head"}, "ann", "ann-new-password").ok());
    for (const char* suffix : {"", "-wal"}) {
        QFile f(dir.filePath(QString("s.sqlite") + suffix));
        if (!f.open(QIODevice::ReadOnly)) continue;
        const QByteArray bytes = f.readAll();
        QVERIFY(!bytes.contains("ann-password") && !bytes.contains("root-password"));
    }
}

void TstCliStore::wrongPasswordAndLockout() {
    QTemporaryDir dir;
    const Cli cwb{dir.filePath("s.sqlite")};
    QVERIFY(cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password").ok());
    QVERIFY(cwb({"user", "add", "--name", "ann", "--role", "analyst"}, "root", "root-password",
                "ann-password")
                .ok());
    for (int i = 0; i < 5; ++i) {
        auto r = cwb({"store", "info"}, "ann", "wrong-password");
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(i < 4 ? "wrong user name or password" : "now locked"));
    }
    auto locked = cwb({"store", "info"}, "ann", "ann-password");
    QCOMPARE(locked.exitCode, 1);
    QVERIFY(locked.err.contains("locked"));
    QVERIFY(cwb({"user", "unlock", "--name", "ann"}, "root", "root-password").ok());
    QVERIFY(cwb({"store", "info"}, "ann", "ann-password").ok());
    auto log = cwb({"audit", "export", "--format", "jsonl", "--event", "login_failed"}, "root",
                   "root-password");
    QVERIFY(log.ok());
    QCOMPARE(log.out.count('\n'), 6);  // five wrong passwords, one try while locked
    auto locks = cwb({"audit", "export", "--event", "account_locked"}, "root", "root-password");
    QCOMPARE(locks.out.count('\n'), 2);  // header and one entry
}

void TstCliStore::auditVerifyHeadAndExport() {
    QTemporaryDir dir;
    const Cli cwb{dir.filePath("s.sqlite")};
    QVERIFY(cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password").ok());
    auto head = cwb({"audit", "head", "--json"}, "root", "root-password");
    QVERIFY(head.ok());
    const QString kept = QString::fromStdString(head.json()["head"].get<std::string>());
    QCOMPARE(kept.size(), 64);
    auto ok = cwb({"audit", "verify", "--head", kept, "--json"}, "root", "root-password");
    QVERIFY2(ok.ok(), ok.err.constData());
    QCOMPARE(ok.json()["intact"].get<bool>(), true);
    const QString csvPath = dir.filePath("audit.csv");
    QVERIFY(cwb({"audit", "export", "--out", csvPath}, "root", "root-password").ok());
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QVERIFY(csv.readLine().startsWith("seq,at,user,event,details,prev_hash,hash"));
    // Someone edits entry 2 in the file: exit 3, the entry named.
    QVERIFY(tamper(dir.filePath("s.sqlite").toStdString(),
                   "UPDATE audit_log SET user_name = 'mallory' WHERE seq = 2"));
    auto broken = cwb({"audit", "verify", "--json"}, "root", "root-password");
    QCOMPARE(broken.exitCode, 3);
    QCOMPARE(broken.json()["first_broken"].get<int>(), 2);
    QVERIFY2(broken.err.contains("at entry 2"), broken.err.constData());
    // A malformed kept head is bad usage.
    QCOMPARE(cwb({"audit", "verify", "--head", "abc"}, "root", "root-password").exitCode, 2);
}

void TstCliStore::noPasswordWithoutTerminalIsAnError() {
    QTemporaryDir dir;
    const Cli cwb{dir.filePath("s.sqlite")};
    QCOMPARE(cwb({"store", "init", "--admin", "root"}).exitCode, 2);
    QVERIFY(!QFile::exists(dir.filePath("s.sqlite")));
    QVERIFY(cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password").ok());
    auto r = cwb({"store", "info"}, "root");
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("CWB_PASSWORD"));
    // First use without a store: the single-user store is made for the OS user, no password.
    const Cli fresh{dir.filePath("new/workbench.sqlite")};
    auto info = fresh({"store", "info", "--json"});
    QVERIFY2(info.ok(), info.err.constData());
    QCOMPARE(info.json()["users"].get<int>(), 1);
    QCOMPARE(info.json()["roles"].size(), std::size_t(5));
}

QTEST_GUILESS_MAIN(TstCliStore)
#include "tst_cli_store.moc"
