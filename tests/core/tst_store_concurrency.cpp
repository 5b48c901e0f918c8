// Several workbenches on one store at once (issue 14), on both backends (SQLite file, and a real
// PostgreSQL server when CWB_TEST_STORE_BACKEND=postgresql): 8 processes record 2,000 decisions
// each, plus overrides, at the same time; afterwards every decision is there once and the audit
// chain verifies with the real `cwb audit verify`. On PostgreSQL, a batch whose connection is
// cut mid-run fails with a clear error and leaves none of its rows behind.
//
// The worker processes are this executable again, started with CWB_STORE_WORKER set.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>
#include <vector>

#include "CliRunner.h"
#include "StoreTestSupport.h"
#include "store/BatchRecorder.h"

using namespace cwb;
using namespace cwb::store;
using namespace cwb::test;

namespace {

constexpr int kWorkers = 8;
constexpr int kDecisionsPerWorker = 2000;
constexpr int kOverrideEvery = 10;  // every 10th decision is overridden by the same officer
const char* kWorkerPassword = "worker-password-1";

DecisionInput decisionFor(const std::string& id, int i) {
    DecisionInput in;
    in.applicantId = id;
    in.inputs = {{"applicant_id", id}, {"duration_months", std::to_string(6 + i % 48)}};
    in.piiFields = {"applicant_id"};
    in.modelName = "german_credit";
    in.modelVersion = "3";
    in.bundleSha256 = std::string(64, 'c');
    in.pd = 0.01 * (i % 50);
    in.score = 560 + i % 80;
    in.decision = in.score >= 600 ? "approve" : "refer";
    return in;
}

// One workbench: logs in once, records its decisions one transaction each, overrides some.
int runWorker(const std::string& location, int worker) {
    auto s = Store::open(location);
    if (!s) {
        std::fprintf(stderr, "worker %d: %s\n", worker, s.error().message.c_str());
        return 1;
    }
    SecretString pw(kWorkerPassword);
    auto me = (*s)->users().authenticate("worker", &pw);
    if (!me) {
        std::fprintf(stderr, "worker %d: %s\n", worker, me.error().message.c_str());
        return 1;
    }
    for (int i = 0; i < kDecisionsPerWorker; ++i) {
        const std::string id = "W" + std::to_string(worker) + "-" + std::to_string(i);
        auto recorded = (*s)->decisions().record(*me, decisionFor(id, i));
        if (!recorded) {
            std::fprintf(stderr, "worker %d, decision %d: %s\n", worker, i,
                         recorded.error().message.c_str());
            return 1;
        }
        if (i % kOverrideEvery == 0) {
            auto o = (*s)->decisions().override(*me, *recorded, "decline", "data_error",
                                                "checked by worker " + std::to_string(worker));
            if (!o) {
                std::fprintf(stderr, "worker %d, override %d: %s\n", worker, i,
                             o.error().message.c_str());
                return 1;
            }
        }
    }
    return 0;
}

}  // namespace

class TstStoreConcurrency : public QObject {
    Q_OBJECT
private slots:
    void eightWorkbenchesRecordAtOnce();
    void lostConnectionLeavesNoHalfRecordedBatch();
};

void TstStoreConcurrency::eightWorkbenchesRecordAtOnce() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    QVERIFY(s);
    const Actor root = login(*s, "root", kAdminPassword);
    SecretString pw(kWorkerPassword);
    QVERIFY(s->users().add(root, "worker", {Role::Analyst, Role::LoanOfficer}, pw));
    const std::string location = storeLocation(dir);

    QElapsedTimer timer;
    timer.start();
    std::vector<std::unique_ptr<QProcess>> workers;
    for (int w = 0; w < kWorkers; ++w) {
        auto p = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("CWB_STORE_WORKER", QString::number(w));
        env.insert("CWB_STORE_WORKER_LOCATION", QString::fromStdString(location));
        p->setProcessEnvironment(env);
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p->start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(p->waitForStarted(30000));
        workers.push_back(std::move(p));
    }
    for (int w = 0; w < kWorkers; ++w) {
        QVERIFY2(workers[w]->waitForFinished(540000 - int(timer.elapsed())),
                 "a worker did not finish in time");
        QCOMPARE(workers[w]->exitStatus(), QProcess::NormalExit);
        QCOMPARE(workers[w]->exitCode(), 0);
    }
    qInfo("%d processes x %d decisions (+ every %dth overridden) on %s: %.1f s", kWorkers,
          kDecisionsPerWorker, kOverrideEvery, onPostgres() ? "PostgreSQL" : "SQLite",
          timer.elapsed() / 1000.0);

    const int total = kWorkers * kDecisionsPerWorker;
    const int overrides = kWorkers * ((kDecisionsPerWorker + kOverrideEvery - 1) / kOverrideEvery);
    Database& db = s->database();
    QCOMPARE(db.scalar("SELECT COUNT(*) FROM decisions")->toInt(), total);
    QCOMPARE(db.scalar("SELECT COUNT(DISTINCT pseudonym) FROM decisions")->toInt(), total);
    QCOMPARE(db.scalar("SELECT COUNT(*) FROM overrides")->toInt(), overrides);
    // Every decision of every worker exactly once, found by its applicant.
    for (int w = 0; w < kWorkers; ++w)
        for (int i : {0, 1, kDecisionsPerWorker / 2, kDecisionsPerWorker - 1}) {
            const std::string p =
                s->pseudonymizer()("W" + std::to_string(w) + "-" + std::to_string(i));
            QCOMPARE(db.scalar("SELECT COUNT(*) FROM decisions WHERE pseudonym = ?",
                               {QString::fromStdString(p)})
                         ->toInt(),
                     1);
        }
    auto check = s->audit().verify();
    QVERIFY(check && check->intact);
    // store_created, root's login, user_added, 8 logins, then one entry per decision/override.
    QCOMPARE(check->entries, std::int64_t(3 + kWorkers + total + overrides));

    // The real command line agrees.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("CWB_PASSWORD", kAdminPassword);
    const CliRun verify = runProgram(cliPath(),
                                     {"audit", "verify", "--store",
                                      QString::fromStdString(location), "--user", "root", "--json"},
                                     env);
    QVERIFY2(verify.exitCode == 0, verify.err.constData());
    const auto j = nlohmann::json::parse(verify.out.toStdString());
    QCOMPARE(j["intact"].get<bool>(), true);
    // Its own login of root is audited too: one entry more.
    QCOMPARE(j["entries"].get<std::int64_t>(), check->entries + 1);
}

void TstStoreConcurrency::lostConnectionLeavesNoHalfRecordedBatch() {
    if (!onPostgres())
        QSKIP("PostgreSQL only: on SQLite a killed run keeps its pieces (tst_cli_store_batch)");
    QTemporaryDir dir;
    auto s = makeStore(dir);
    QVERIFY(s);
    const Actor root = login(*s, "root", kAdminPassword);
    SecretString pw("analyst-password");
    QVERIFY(s->users().add(root, "ann", {Role::Analyst}, pw));
    const Actor ann = login(*s, "ann", "analyst-password");
    const std::string input = writeFile(dir, "batch.csv", "id,x\nA1,1\n");
    auto recorder =
        BatchRecorder::start(*s, ann, {input, "german_credit", "3", std::string(64, 'd')});
    QVERIFY2(recorder, recorder ? "" : recorder.error().message.c_str());
    const std::int64_t batchId = (*recorder)->batchId();
    QVERIFY((*recorder)->add("id,pd,score,decision\n"));
    for (int piece = 0; piece < 5; ++piece) {
        std::string lines;
        for (int r = 0; r < 1000; ++r)
            lines += "A" + std::to_string(piece * 1000 + r) + ",0.1,610,approve\n";
        QVERIFY((*recorder)->add(lines));
    }
    // The server ends every connection of the store's database (a network cut, a restart).
    QVERIFY(tamper(storeLocation(dir),
                   "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                   "current_database() AND pid <> pg_backend_pid()"));
    Result<void> more;
    for (int piece = 5; piece < 50 && more.ok(); ++piece)
        more = (*recorder)->add("B" + std::to_string(piece) + ",0.2,590,refer\n");
    auto finished = (*recorder)->finish({{"rows_read", 5000}, {"rows_scored", 5000}});
    QVERIFY(!finished);
    const QString message = QString::fromStdString(finished.error().message);
    QVERIFY2(message.contains("lost the connection") || message.contains("connection"),
             qPrintable(message));
    recorder->reset();
    s.reset();
    // Reconnected: none of the batch's rows, the chain intact.
    auto again = Store::open(storeLocation(dir));
    QVERIFY2(again, again ? "" : again.error().message.c_str());
    QCOMPARE((*again)
                 ->database()
                 .scalar("SELECT COUNT(*) FROM batch_results WHERE batch_id = ?",
                         {QVariant::fromValue<qlonglong>(batchId)})
                 ->toInt(),
             0);
    QVERIFY((*again)->audit().verify()->intact);
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("CWB_STORE_WORKER"))
        return runWorker(qEnvironmentVariable("CWB_STORE_WORKER_LOCATION").toStdString(),
                         qEnvironmentVariableIntValue("CWB_STORE_WORKER"));
    TstStoreConcurrency test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_store_concurrency.moc"
