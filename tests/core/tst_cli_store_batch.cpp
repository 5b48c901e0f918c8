// `cwb score --store` and `cwb explain --store` record into the store; a batch killed half way
// leaves a usable store whose chain verifies; `applicant` and `decision` commands end to end
// (issue 11).

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

#include "CliRunner.h"
#include "StoreTestSupport.h"
#include "data/CsvReader.h"

using namespace cwb;
using namespace cwb::test;

namespace {

QProcessEnvironment storeEnv(const QString& store, const QString& user, const QString& password) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* v : {"CWB_STORE", "CWB_USER", "CWB_PASSWORD", "CWB_NEW_PASSWORD"})
        env.remove(v);
    env.insert("CWB_STORE", store);
    if (!user.isEmpty()) env.insert("CWB_USER", user);
    if (!password.isEmpty()) env.insert("CWB_PASSWORD", password);
    env.insert("CWB_PUSHGATEWAY_URL", "");
    return env;
}

CliRun cwbAs(const QString& store, const QString& user, const QStringList& args,
             const QString& newPassword = {}) {
    QProcessEnvironment env =
        storeEnv(store, user, user.isEmpty() ? QString() : user + "-password");
    if (!newPassword.isEmpty()) env.insert("CWB_NEW_PASSWORD", newPassword);
    return runProgram("setsid", QStringList{"-w", cliPath()} + args, env, 240000);
}

// A store with root (admin), ann (analyst), otto (loan officer), cora (compliance).
bool makeTeamStore(const QString& store) {
    if (!cwbAs(store, {}, {"store", "init", "--admin", "root"}, "root-password").ok()) return false;
    const std::pair<const char*, const char*> people[] = {
        {"ann", "analyst"}, {"otto", "loan_officer"}, {"cora", "compliance"}};
    for (const auto& [name, role] : people)
        if (!cwbAs(store, "root", {"user", "add", "--name", name, "--role", role},
                   QString(name) + "-password")
                 .ok())
            return false;
    return true;
}

const QString model() {
    return QString::fromStdString(sourcePath("models/german_credit.cwbm"));
}
const QString batchFile() {
    return QString::fromStdString(sourcePath("sample_data/batch_german.csv"));
}

// The sample batch repeated `times` times, ids made unique.
QString bigBatch(const QTemporaryDir& dir, int times) {
    QFile in(batchFile());
    if (!in.open(QIODevice::ReadOnly)) return {};
    const QByteArray header = in.readLine();
    const QByteArray body = in.readAll();
    const QString path = dir.filePath("big.csv");
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly)) return {};
    out.write(header);
    for (int i = 0; i < times; ++i) {
        QByteArray copy = body;
        copy.replace("\nB", "\n" + QByteArray::number(i) + "B");
        if (i > 0) copy.replace(0, 1, QByteArray::number(i) + "B");
        out.write(copy);
    }
    return path;
}

std::int64_t count(const QString& store, const std::string& sql) {
    auto db = SqliteDatabase::open(store.toStdString(), SqliteDatabase::Mode::ReadOnly);
    if (!db) return -1;
    auto st = db->prepare(sql);
    if (!st || !*st->step()) return -1;
    return st->columnInt(0);
}

}  // namespace

class TstCliStoreBatch : public QObject {
    Q_OBJECT
private slots:
    void scoreRecordsTheBatch();
    void reasonTextsAreNotRecorded();
    void explainRecordsAndOfficerOverrides();
    void killedBatchLeavesUsableStore();
};

void TstCliStoreBatch::scoreRecordsTheBatch() {
    QTemporaryDir dir;
    const QString store = dir.filePath("s.sqlite");
    QVERIFY(makeTeamStore(store));
    const QString out = dir.filePath("scored.csv");
    // Compliance may not record; the analyst may.
    auto refused = cwbAs(store, "cora",
                         {"score", "--model", model(), "--in", batchFile(), "--out", out, "--store",
                          store, "--quiet"});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY(refused.err.contains("needs the role analyst or loan_officer"));
    QVERIFY(!QFile::exists(out));
    auto run = cwbAs(store, "ann",
                     {"score", "--model", model(), "--in", batchFile(), "--out", out, "--store",
                      store, "--quiet", "--json"});
    QVERIFY2(run.ok(), run.err.constData());
    const auto j = run.json();
    QCOMPARE(j["store"]["rows_recorded"].get<std::int64_t>(), j["rows_scored"].get<std::int64_t>());
    QCOMPARE(count(store, "SELECT SUM(row_count) FROM batch_results"),
             j["rows_scored"].get<std::int64_t>());
    QCOMPARE(count(store, "SELECT COUNT(*) FROM batch_runs WHERE status = 'completed'"), 1);
    // Rows are by pseudonym: no applicant id of the file in the store.
    QCOMPARE(count(store, "SELECT COUNT(*) FROM batch_results WHERE instr(lines, 'B000') > 0"), 0);
    QCOMPARE(count(store,
                   "SELECT SUM(length(lines) - length(replace(lines, 'p-', ''))) / 2 "
                   "FROM batch_results"),
             j["rows_scored"].get<std::int64_t>());
    // The applicant's batch result is found by id.
    auto shown = cwbAs(store, "otto", {"applicant", "show", "--id", "B00001"});
    QVERIFY2(shown.ok(), shown.err.constData());
    const auto s = nlohmann::json::parse(shown.out.toStdString());
    QCOMPARE(s["batch_results"].size(), std::size_t(1));
    QCOMPARE(s["batch_results"][0]["row"].get<int>(), 1);
    QVERIFY(cwbAs(store, "cora", {"audit", "verify"}).ok());
}

// `cwb score --reason-text` (and every Batch view run) writes reason_K_text columns after the
// codes. The store keeps its documented "pseudonym,pd,score,decision,reason_1,..." lines, so
// `applicant show` lists the reason codes, not codes and texts mixed (decision 50).
void TstCliStoreBatch::reasonTextsAreNotRecorded() {
    QTemporaryDir dir;
    const QString store = dir.filePath("s.sqlite");
    QVERIFY(makeTeamStore(store));
    const QString out = dir.filePath("scored.csv");
    auto run = cwbAs(store, "ann",
                     {"score", "--model", model(), "--in", batchFile(), "--out", out, "--store",
                      store, "--reason-text", "--quiet", "--json"});
    QVERIFY2(run.ok(), run.err.constData());
    QCOMPARE(run.json()["store"]["rows_recorded"].get<std::int64_t>(), std::int64_t(5000));
    // The output file has the texts; the first applicant's codes and texts from it.
    auto scored = CsvReader::open(out.toStdString());
    QVERIFY(scored.ok());
    QCOMPARE((*scored)->header().size(), std::size_t(12));
    CsvRecord first;
    auto more = (*scored)->next(first);
    QVERIFY(more.ok() && *more);
    std::vector<std::string> codes;
    for (std::size_t k = 4; k < 8; ++k)
        if (!first.fields[k].empty()) codes.emplace_back(first.fields[k]);
    const std::string firstText(first.fields[8]);
    QVERIFY(!firstText.empty() && firstText.find(',') == std::string::npos);
    // Stored: no text, four reason fields after decision on every line.
    QCOMPARE(count(store, QStringLiteral("SELECT COUNT(*) FROM batch_results WHERE "
                                         "instr(lines, '%1') > 0")
                              .arg(QString::fromStdString(firstText))
                              .toStdString()),
             std::int64_t(0));
    QCOMPARE(
        count(store,
              "SELECT SUM(length(lines) - length(replace(lines, ',', ''))) FROM batch_results"),
        std::int64_t(5000 * 7));
    auto shown = cwbAs(store, "otto", {"applicant", "show", "--id", "B00001"});
    QVERIFY2(shown.ok(), shown.err.constData());
    const auto s = nlohmann::json::parse(shown.out.toStdString());
    QCOMPARE(s["batch_results"].size(), std::size_t(1));
    QVERIFY(s["batch_results"][0]["reasons"].get<std::vector<std::string>>() == codes);
    QVERIFY(cwbAs(store, "cora", {"audit", "verify"}).ok());
}

void TstCliStoreBatch::explainRecordsAndOfficerOverrides() {
    QTemporaryDir dir;
    const QString store = dir.filePath("s.sqlite");
    QVERIFY(makeTeamStore(store));
    const QString applicants = QString::fromStdString(sourcePath("sample_data/applicants.csv"));
    auto rec = cwbAs(store, "ann",
                     {"explain", "--model", model(), "--in", applicants, "--row", "1", "--store",
                      store, "--json"});
    QVERIFY2(rec.ok(), rec.err.constData());
    const std::int64_t id = rec.json()["decision_id"].get<std::int64_t>();
    QVERIFY(id > 0);
    auto over = cwbAs(store, "otto",
                      {"decision", "override", "--decision", QString::number(id), "--to", "decline",
                       "--reason", "data_error", "--comment", "income not verified", "--json"});
    QVERIFY2(over.ok(), over.err.constData());
    auto byAnn = cwbAs(store, "ann",
                       {"decision", "override", "--decision", QString::number(id), "--to",
                        "approve", "--reason", "data_error", "--comment", "x"});
    QCOMPARE(byAnn.exitCode, 1);
    QVERIFY(byAnn.err.contains("needs the role loan_officer"));
    auto bad = cwbAs(store, "otto",
                     {"decision", "override", "--decision", QString::number(id), "--to", "approve",
                      "--reason", "nope", "--comment", "x"});
    QCOMPARE(bad.exitCode, 2);
    auto report = cwbAs(store, "cora", {"decision", "overrides", "--json"});
    QVERIFY2(report.ok(), report.err.constData());
    QCOMPARE(report.json()["overrides"].get<int>(), 1);
    QCOMPARE(report.json()["by_reason"][0]["reason_code"].get<std::string>(),
             std::string("data_error"));
    // Masked for the analyst, clear for the officer; export and erase for compliance.
    auto masked = cwbAs(store, "ann", {"applicant", "show", "--id", "N0001"});
    QVERIFY(masked.ok());
    QVERIFY(!masked.out.contains("N0001"));
    QVERIFY(!masked.out.contains("income not verified"));
    const QString copy = dir.filePath("subject.json");
    QVERIFY(cwbAs(store, "cora", {"applicant", "export", "--id", "N0001", "--out", copy}).ok());
    QFile f(copy);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("income not verified"));
    QCOMPARE(cwbAs(store, "otto", {"applicant", "erase", "--id", "N0001"}).exitCode, 1);
    auto erased = cwbAs(store, "cora", {"applicant", "erase", "--id", "N0001", "--json"});
    QVERIFY2(erased.ok(), erased.err.constData());
    QCOMPARE(erased.json()["inputs_removed"].get<int>(), 1);
    QVERIFY(cwbAs(store, "cora", {"audit", "verify"}).ok());
}

void TstCliStoreBatch::killedBatchLeavesUsableStore() {
    QTemporaryDir dir;
    const QString store = dir.filePath("s.sqlite");
    QVERIFY(makeTeamStore(store));
    const QString big = bigBatch(dir, 60);  // 300,000 rows
    QVERIFY(!big.isEmpty());
    QProcess process;
    process.setProcessEnvironment(storeEnv(store, "ann", "ann-password"));
    process.start(cliPath(), {"score", "--model", model(), "--in", big, "--out",
                              dir.filePath("big.scored.csv"), "--store", store, "--quiet",
                              "--chunk-rows", "2000", "--threads", "1"});
    QVERIFY(process.waitForStarted());
    // Kill it once some rows are recorded.
    QElapsedTimer timer;
    timer.start();
    std::int64_t recorded = 0;
    while (timer.elapsed() < 120000 && process.state() == QProcess::Running) {
        recorded = count(store, "SELECT COUNT(*) FROM batch_results");
        if (recorded > 0) break;
        QThread::msleep(20);
    }
    QVERIFY2(process.state() == QProcess::Running, "the batch ended before it could be killed");
    QVERIFY(recorded > 0);
    ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
    QVERIFY(process.waitForFinished(10000));
    QVERIFY(!QFile::exists(dir.filePath("big.scored.csv")));
    // The store opens, the chain verifies, the run is left "running" with its rows so far.
    auto verify = cwbAs(store, "cora", {"audit", "verify", "--json"});
    QVERIFY2(verify.ok(), verify.err.constData());
    QCOMPARE(count(store, "SELECT COUNT(*) FROM batch_runs WHERE status = 'running'"), 1);
    const std::int64_t kept = count(store, "SELECT SUM(row_count) FROM batch_results");
    QVERIFY(kept > 0 && kept < 300000);
    // And it takes the next batch.
    auto again = cwbAs(store, "ann",
                       {"score", "--model", model(), "--in", batchFile(), "--out",
                        dir.filePath("again.csv"), "--store", store, "--quiet"});
    QVERIFY2(again.ok(), again.err.constData());
    QVERIFY(cwbAs(store, "cora", {"audit", "verify"}).ok());
}

QTEST_GUILESS_MAIN(TstCliStoreBatch)
#include "tst_cli_store_batch.moc"
