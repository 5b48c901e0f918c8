// The audit trail's hash chain on real stores (SQLite files, and PostgreSQL databases when
// CWB_TEST_STORE_BACKEND=postgresql): an edited, deleted, inserted or reordered entry is found
// and named; a rewritten chain is caught against a kept head (issues 11 and 14).

#include <QTemporaryDir>
#include <QTest>

#include <sstream>

#include "StoreTestSupport.h"

using namespace cwb;
using namespace cwb::store;
using namespace cwb::test;

namespace {

// A store with a root admin and entries 1..n (store_created, login, then events).
std::string storeWithEntries(const QTemporaryDir& dir, int n) {
    auto s = makeStore(dir);
    if (!s) return {};
    const Actor root = login(*s, "root", kAdminPassword);
    for (int i = 3; i <= n; ++i)
        if (!s->audit().append(root.name, "test_event",
                               {{"n", i}, {"note", "entry " + std::to_string(i)}}))
            return {};
    return storeLocation(dir);
}

ChainCheck verifyFile(const std::string& path, const std::string& keptHead = {}) {
    auto s = Store::open(path);
    if (!s) qFatal("%s", s.error().message.c_str());
    auto check = (*s)->audit().verify(keptHead);
    if (!check) qFatal("%s", check.error().message.c_str());
    return *check;
}

}  // namespace

class TstStoreAudit : public QObject {
    Q_OBJECT
private slots:
    void intactChainVerifies();
    void tampering_data();
    void tampering();
    void rewrittenChainIsCaughtAgainstKeptHead();
    void exportWritesCsvAndJsonLines();
    void concurrentWritersKeepOneChain();
};

void TstStoreAudit::intactChainVerifies() {
    QTemporaryDir dir;
    const std::string path = storeWithEntries(dir, 10);
    QVERIFY(!path.empty());
    const ChainCheck check = verifyFile(path);
    QVERIFY(check.intact);
    QCOMPARE(check.entries, std::int64_t(10));
    QCOMPARE(check.head.size(), std::size_t(64));
    auto s = Store::open(path);
    QCOMPARE(*(*s)->audit().head(), check.head);
    // Entries appended after a kept head are fine.
    QVERIFY((*s)->audit().append("root", "later", {}));
    QVERIFY((*s)->audit().verify(check.head)->intact);
}

void TstStoreAudit::tampering_data() {
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("firstBroken");
    QTest::addColumn<QString>("problem");
    QTest::newRow("edited details")
        << "UPDATE audit_log SET details = replace(details, 'entry 5', 'entry X') WHERE seq = 5"
        << 5 << "edited";
    QTest::newRow("edited user") << "UPDATE audit_log SET user_name = 'mallory' WHERE seq = 7" << 7
                                 << "edited";
    QTest::newRow("edited time")
        << "UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 4" << 4 << "edited";
    QTest::newRow("deleted") << "DELETE FROM audit_log WHERE seq = 6" << 7 << "missing";
    // Inserted: later entries shifted up by one and a forged entry in the gap. (Linking it to
    // entry 5's hash is refused outright: prev_hash is unique, the chain cannot fork.)
    QTest::newRow("inserted")
        << "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 6;"
           "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 106;"
           "INSERT INTO audit_log (seq, at, user_name, event, details, prev_hash, hash) "
           "SELECT 6, at, 'mallory', 'forged', '{}', 'forged-prev', 'forged-hash' FROM audit_log "
           "WHERE seq = 5"
        << 6 << "does not follow";
    QTest::newRow("reordered") << "UPDATE audit_log SET seq = -1 WHERE seq = 4;"
                                  "UPDATE audit_log SET seq = 4 WHERE seq = 5;"
                                  "UPDATE audit_log SET seq = 5 WHERE seq = -1"
                               << 4 << "";
    QTest::newRow("last hash replaced")
        << "UPDATE audit_log SET hash = 'ffff' WHERE seq = 10" << 10 << "edited";
}

void TstStoreAudit::tampering() {
    QFETCH(QString, sql);
    QFETCH(int, firstBroken);
    QFETCH(QString, problem);
    QTemporaryDir dir;
    const std::string path = storeWithEntries(dir, 10);
    QVERIFY(verifyFile(path).intact);
    QVERIFY(tamper(path, sql.toStdString()));
    const ChainCheck check = verifyFile(path);
    QVERIFY(!check.intact);
    QCOMPARE(check.firstBroken, std::int64_t(firstBroken));
    QVERIFY2(QString::fromStdString(check.problem).contains(problem), check.problem.c_str());
    // The store itself still opens and works: the break is reported, not hidden or repaired.
    auto s = Store::open(path);
    QVERIFY(s);
    QVERIFY((*s)->audit().append("root", "after_tamper", {}));
    QCOMPARE((*s)->audit().verify()->firstBroken, std::int64_t(firstBroken));
}

void TstStoreAudit::rewrittenChainIsCaughtAgainstKeptHead() {
    QTemporaryDir dir;
    const std::string path = storeWithEntries(dir, 8);
    const std::string kept = verifyFile(path).head;
    // The attacker edits entry 3 and recomputes every hash from there on: the chain is
    // consistent in itself...
    QVERIFY(tamper(
        path, "UPDATE audit_log SET details = '{\"n\":3,\"note\":\"harmless\"}' WHERE seq = 3"));
    const auto rows = tamperRead(
        path, "SELECT seq, at, user_name, event, details FROM audit_log ORDER BY seq", 5);
    QCOMPARE(rows.size(), std::size_t(8));
    std::string prev = kAuditGenesis;
    std::string rewrite = "UPDATE audit_log SET prev_hash = 'x' || seq, hash = 'y' || seq";
    for (const auto& r : rows) {
        const std::int64_t seq = std::stoll(r[0]);
        const std::string hash = auditEntryHash(seq, r[1], r[2], r[3], r[4], prev);
        rewrite += ";UPDATE audit_log SET prev_hash = '" + prev + "', hash = '" + hash +
                   "' WHERE seq = " + r[0];
        prev = hash;
    }
    QVERIFY(tamper(path, rewrite));
    QVERIFY(verifyFile(path).intact);
    // ...but the head kept elsewhere is no longer in it.
    const ChainCheck check = verifyFile(path, kept);
    QVERIFY(!check.intact);
    QVERIFY(QString::fromStdString(check.problem).contains("rewritten"));
}

void TstStoreAudit::exportWritesCsvAndJsonLines() {
    QTemporaryDir dir;
    const std::string path = storeWithEntries(dir, 5);
    auto s = Store::open(path);
    QVERIFY(s);
    QVERIFY((*s)->audit().append("root", "quoted", {{"text", "a, \"quoted\"\nline"}}));
    std::ostringstream csv;
    QCOMPARE(*(*s)->audit().exportTo(csv, AuditLog::Format::Csv), std::size_t(6));
    const std::string text = csv.str();
    QVERIFY(text.rfind("seq,at,user,event,details,prev_hash,hash\n", 0) == 0);
    QVERIFY(text.find("\"{\"\"text\"\":\"\"a, \\\"\"quoted\\\"\"\\nline\"\"}\"") !=
            std::string::npos);
    std::ostringstream jsonl;
    AuditFilter only;
    only.event = "test_event";
    QCOMPARE(*(*s)->audit().exportTo(jsonl, AuditLog::Format::JsonLines, only), std::size_t(3));
    std::istringstream lines(jsonl.str());
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        const auto j = nlohmann::json::parse(line);
        QCOMPARE(j["event"].get<std::string>(), std::string("test_event"));
        QCOMPARE(j["details"]["n"].get<int>(), n + 3);
        QCOMPARE(j["hash"].get<std::string>().size(), std::size_t(64));
        ++n;
    }
    QCOMPARE(n, 3);
}

void TstStoreAudit::concurrentWritersKeepOneChain() {
    // Two connections (as two processes would have) appending in turn and interleaved.
    QTemporaryDir dir;
    const std::string path = storeWithEntries(dir, 2);
    auto a = Store::open(path);
    auto b = Store::open(path);
    QVERIFY(a && b);
    for (int i = 0; i < 20; ++i) {
        QVERIFY((*a)->audit().append("a", "from_a", {{"i", i}}));
        QVERIFY((*b)->audit().append("b", "from_b", {{"i", i}}));
    }
    const ChainCheck check = *(*a)->audit().verify();
    QVERIFY(check.intact);
    QCOMPARE(check.entries, std::int64_t(42));
}

QTEST_GUILESS_MAIN(TstStoreAudit)
#include "tst_store_audit.moc"
