// `cwb` on a team store (issue 14), end to end against a real PostgreSQL 15 server: the
// address and where its password may come from (PGPASSWORD, ~/.pgpass, never the address),
// sslmode passed through to libpq, `cwb store init` creating the role, grants and append-only
// audit trail and printing them, and `cwb store migrate` copying an SQLite store with its audit
// chain, which then verifies on the target against the source's head.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "CliRunner.h"
#include "StoreTestSupport.h"
#include "store/Decisions.h"

using namespace cwb;
using namespace cwb::test;

namespace {

const char* kServerPassword = "pg-super-secret-9";

struct Cli {
    explicit Cli(QString where) : store(std::move(where)) {}
    QString store;
    QProcessEnvironment extra;
    CliRun operator()(const QStringList& args, const QString& user = {},
                      const QString& password = {}, const QString& newPassword = {}) const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& key : env.keys())
            if (key.startsWith("CWB_") || key.startsWith("PG")) env.remove(key);
        env.insert("CWB_STORE", store);
        if (!user.isEmpty()) env.insert("CWB_USER", user);
        if (!password.isEmpty()) env.insert("CWB_PASSWORD", password);
        if (!newPassword.isEmpty()) env.insert("CWB_NEW_PASSWORD", newPassword);
        for (const QString& key : extra.keys())
            env.insert(key, extra.value(key));
        // No controlling terminal: a missing password is an error, never a prompt that waits.
        return runProgram("setsid", QStringList{"-w", cliPath()} + args, env, 180000);
    }
};

}  // namespace

class TstCliStoreTeam : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase() { m_pg.stop(); }
    void addressIsCheckedAndPasswordNeverInIt();
    void passwordFromPgpassOrEnvironment();
    void initCreatesRolesGrantsAndAppendOnlyAudit();
    void migrateCopiesTheChainWhichVerifies();

private:
    QString address(const QString& database, const QString& query = {}) const {
        return "postgresql://postgres@127.0.0.1:" + QString::number(m_pg.port()) + "/" + database +
               query;
    }
    void createDatabase(const QString& name) {
        auto run = m_pg.sql("CREATE DATABASE " + name);
        QVERIFY2(run.ok(), run.err.constData());
    }
    PostgresServer m_pg;
};

void TstCliStoreTeam::initTestCase() {
    if (!PostgresServer::available()) QSKIP("PostgreSQL 15 is not installed");
    PostgresServer::Options options;
    options.password = kServerPassword;  // TCP needs it (scram-sha-256), the socket is trusted
    QString error;
    QVERIFY2(m_pg.start(&error, options), qPrintable(error));
}

void TstCliStoreTeam::addressIsCheckedAndPasswordNeverInIt() {
    createDatabase("addr");
    Cli cwb{"postgresql://postgres:" + QString(kServerPassword) +
            "@127.0.0.1:" + QString::number(m_pg.port()) + "/addr"};
    auto refused = cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password");
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("holds a password"), refused.err.constData());
    QVERIFY(!refused.err.contains(kServerPassword));
    cwb.store = address("addr", "?password=x");
    QCOMPARE(cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password").exitCode, 2);
    cwb.store = address("addr", "?sslmod=require");  // a typo is not silently ignored
    auto typo = cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password");
    QCOMPARE(typo.exitCode, 2);
    QVERIFY2(typo.err.contains("sslmod"), typo.err.constData());
    cwb.store = address("");
    QCOMPARE(cwb({"store", "info"}).exitCode, 2);
    // sslmode reaches libpq: this server has no TLS, so requiring it fails, naming SSL.
    cwb.store = address("addr", "?sslmode=require");
    cwb.extra.insert("PGPASSWORD", kServerPassword);
    auto ssl = cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password");
    QCOMPARE(ssl.exitCode, 1);
    QVERIFY2(ssl.err.contains("SSL"), ssl.err.constData());
    // An empty database is no store: refused with the command that makes one.
    cwb.store = address("addr");
    auto empty = cwb({"audit", "verify"}, "root", "root-password");
    QCOMPARE(empty.exitCode, 2);
    QVERIFY2(empty.err.contains("cwb store init"), empty.err.constData());
}

void TstCliStoreTeam::passwordFromPgpassOrEnvironment() {
    createDatabase("pw");
    Cli cwb{address("pw")};
    // No PGPASSWORD, no ~/.pgpass, no terminal: a clear error naming where it may come from.
    QTemporaryDir home;
    cwb.extra.insert("HOME", home.path());
    auto none = cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password");
    QCOMPARE(none.exitCode, 2);
    QVERIFY2(none.err.contains("PGPASSWORD") && none.err.contains(".pgpass"), none.err.constData());
    // A wrong one in PGPASSWORD: refused by the server.
    cwb.extra.insert("PGPASSWORD", "wrong");
    auto wrong = cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password");
    QCOMPARE(wrong.exitCode, 1);
    QVERIFY2(wrong.err.contains("password authentication failed"), wrong.err.constData());
    cwb.extra.remove("PGPASSWORD");
    // ~/.pgpass (0600, libpq ignores a file others can read).
    QFile pgpass(home.filePath(".pgpass"));
    QVERIFY(pgpass.open(QIODevice::WriteOnly));
    pgpass.write(QByteArray("127.0.0.1:") + QByteArray::number(m_pg.port()) +
                 ":pw:postgres:" + kServerPassword + "\n");
    pgpass.close();
    QVERIFY(pgpass.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    auto init = cwb({"store", "init", "--admin", "root", "--json"}, {}, {}, "root-password");
    QVERIFY2(init.ok(), init.err.constData());
    QVERIFY(!init.out.contains(kServerPassword) && !init.err.contains(kServerPassword));
    // PGPASSWORD alone works too.
    Cli other{address("pw")};
    other.extra.insert("PGPASSWORD", kServerPassword);
    auto info = other({"store", "info", "--json"}, "root", "root-password");
    QVERIFY2(info.ok(), info.err.constData());
    QCOMPARE(info.json()["store"].get<std::string>(), address("pw").toStdString());
}

void TstCliStoreTeam::initCreatesRolesGrantsAndAppendOnlyAudit() {
    createDatabase("team");
    Cli cwb{address("team")};
    cwb.extra.insert("PGPASSWORD", kServerPassword);
    auto init = cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password");
    QVERIFY2(init.ok(), init.err.constData());
    // It says what it did, statement by statement.
    QVERIFY2(init.err.contains("CREATE ROLE cwb_app NOLOGIN"), init.err.constData());
    QVERIFY(init.err.contains("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM cwb_app"));
    QVERIFY(init.err.contains("audit_log_append_only"));
    QCOMPARE(cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password").exitCode, 2);
    // A team member: a login in cwb_app, and a store user.
    auto role =
        m_pg.psql({"-d", "team", "-c",
                   "CREATE ROLE bob LOGIN PASSWORD 'bob-db-password'; GRANT cwb_app TO bob"});
    QVERIFY2(role.ok(), role.err.constData());
    QVERIFY(cwb({"user", "add", "--name", "bob", "--role", "analyst", "--role", "loan_officer"},
                "root", "root-password", "bob-password")
                .ok());
    Cli bob{"postgresql://bob@127.0.0.1:" + QString::number(m_pg.port()) + "/team"};
    bob.extra.insert("PGPASSWORD", "bob-db-password");
    auto recorded = bob({"store", "info", "--json"}, "bob", "bob-password");
    QVERIFY2(recorded.ok(), recorded.err.constData());
    // The database itself refuses to let the application's role rewrite the trail...
    const QStringList asBob{"-X",
                            "-q",
                            "-v",
                            "ON_ERROR_STOP=1",
                            "-w",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            QString::number(m_pg.port()),
                            "-U",
                            "bob",
                            "-d",
                            "team",
                            "-c"};
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PGPASSWORD", "bob-db-password");
    auto run = [&](const QString& sql) {
        return runProcess(PostgresServer::binary("psql"), asBob + QStringList{sql}, 60000, {}, env);
    };
    QVERIFY(run("SELECT COUNT(*) FROM audit_log").ok());
    QVERIFY(run("INSERT INTO settings (key, value) VALUES ('x', 'y')").ok());
    for (const char* sql : {"UPDATE audit_log SET user_name = 'mallory'", "DELETE FROM audit_log",
                            "TRUNCATE audit_log"}) {
        auto refused = run(sql);
        QVERIFY2(!refused.ok(), sql);
        QVERIFY2(refused.err.contains("permission denied"), refused.err.constData());
    }
    // ...and the trigger refuses even the owner.
    auto owner = m_pg.psql({"-d", "team", "-c", "DELETE FROM audit_log WHERE seq = 1"});
    QVERIFY(!owner.ok());
    QVERIFY2(owner.err.contains("append-only"), owner.err.constData());
    QVERIFY(cwb({"audit", "verify"}, "root", "root-password").ok());
}

void TstCliStoreTeam::migrateCopiesTheChainWhichVerifies() {
    QTemporaryDir dir;
    const QString file = dir.filePath("personal.sqlite");
    std::string keptHead;
    {
        store::SecretString pw(kAdminPassword);
        auto s = store::Store::create(file.toStdString(), "root", &pw,
                                      {store::Role::Admin, store::Role::Analyst,
                                       store::Role::LoanOfficer, store::Role::Compliance});
        QVERIFY(s);
        const store::Actor root = login(**s, "root", kAdminPassword);
        for (int i = 0; i < 30; ++i) {
            store::DecisionInput in;
            in.applicantId = "MIG-" + std::to_string(i);
            in.inputs = {{"applicant_id", in.applicantId}, {"age", "41"}};
            in.piiFields = {"applicant_id"};
            in.modelName = "german_credit";
            in.modelVersion = "3";
            in.bundleSha256 = std::string(64, 'e');
            in.pd = 0.05;
            in.score = 640;
            in.decision = "approve";
            auto id = (*s)->decisions().record(root, in);
            QVERIFY(id);
            if (i % 7 == 0)
                QVERIFY((*s)->decisions().override(root, *id, "refer", "data_error", "recheck"));
        }
        keptHead = *(*s)->audit().head();
    }
    createDatabase("migrated");
    Cli cwb{file};
    cwb.extra.insert("PGPASSWORD", kServerPassword);
    // Not into a database that holds a store, not from a missing file.
    auto copied = cwb({"store", "migrate", "--from", file, "--to", address("migrated"), "--json"},
                      "root", kAdminPassword);
    QVERIFY2(copied.ok(), copied.err.constData());
    const auto j = copied.json();
    QCOMPARE(j["rows"]["decisions"].get<int>(), 30);
    QCOMPARE(j["rows"]["overrides"].get<int>(), 5);
    // The source's head when copied (after the migrating admin's login).
    QCOMPARE(j["source_head"].get<std::string>().size(), std::size_t(64));
    QCOMPARE(cwb({"store", "migrate", "--from", file, "--to", address("migrated")}, "root",
                 kAdminPassword)
                 .exitCode,
             2);
    QCOMPARE(cwb({"store", "migrate", "--from", dir.filePath("missing.sqlite"), "--to",
                  address("migrated")},
                 "root", kAdminPassword)
                 .exitCode,
             2);
    // On the target: the chain verifies and still holds the source's head; pseudonyms match.
    Cli team{address("migrated")};
    team.extra.insert("PGPASSWORD", kServerPassword);
    auto verify = team({"audit", "verify", "--head", QString::fromStdString(keptHead), "--json"},
                       "root", kAdminPassword);
    QVERIFY2(verify.ok(), verify.err.constData());
    QCOMPARE(verify.json()["intact"].get<bool>(), true);
    QCOMPARE(verify.json()["head"].get<std::string>().size(), std::size_t(64));
    QVERIFY(team({"audit", "verify", "--head",
                  QString::fromStdString(j["source_head"].get<std::string>())},
                 "root", kAdminPassword)
                .ok());
    auto shown = team({"applicant", "show", "--id", "MIG-7", "--json"}, "root", kAdminPassword);
    QVERIFY2(shown.ok(), shown.err.constData());
    QVERIFY2(shown.out.contains("refer"), shown.out.constData());
    // New decisions get new ids after the copied ones (identity columns moved on).
    auto count = m_pg.psql({"-d", "migrated", "-A", "-t", "-c",
                            "SELECT nextval(pg_get_serial_sequence('decisions', 'id'))"});
    QCOMPARE(count.out.trimmed(), QByteArray("31"));
}

QTEST_GUILESS_MAIN(TstCliStoreTeam)
#include "tst_cli_store_team.moc"
