// Decisions, overrides, applicants and erasure on real stores (SQLite files, and PostgreSQL
// databases when CWB_TEST_STORE_BACKEND=postgresql); the migration from the first schema
// version (issues 11 and 14).

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "StoreTestSupport.h"
#include "store/Applicants.h"
#include "store/Decisions.h"

using namespace cwb;
using namespace cwb::store;
using namespace cwb::test;

namespace {

// Distinctive personal data, to look for in the file's bytes after erasure.
const char* kApplicantId = "APPLICANT-ZQX-48213";
const char* kName = "Zebulon Quixote-Marsh";
const char* kComment = "Called Zebulon at +44 7700 900123";

DecisionInput sampleInput(const std::string& id, long score = 612) {
    DecisionInput in;
    in.applicantId = id;
    in.inputs = {{"applicant_id", id}, {"full_name", kName}, {"duration_months", "24"}};
    in.piiFields = {"applicant_id", "full_name"};
    in.modelName = "german_credit";
    in.modelVersion = "3";
    in.bundleSha256 = std::string(64, 'a');
    in.pd = 0.12;
    in.score = score;
    in.decision = score >= 600 ? "approve" : "refer";
    in.reasons =
        nlohmann::json::array({{{"feature", "duration_months"}, {"text", "Long duration"}}});
    return in;
}

struct Team {
    Actor root, ann, otto, cora;  // admin, analyst, loan officer, compliance
};

Team makeTeam(Store& s) {
    Team t;
    t.root = login(s, "root", kAdminPassword);
    const std::pair<const char*, Role> people[] = {
        {"ann", Role::Analyst}, {"otto", Role::LoanOfficer}, {"cora", Role::Compliance}};
    for (const auto& [name, role] : people) {
        SecretString pw(std::string(name) + "-password");
        if (!s.users().add(t.root, name, {role}, pw)) qFatal("cannot add %s", name);
    }
    t.ann = login(s, "ann", "ann-password");
    t.otto = login(s, "otto", "otto-password");
    t.cora = login(s, "cora", "cora-password");
    return t;
}

// SQLite: every byte of the file and its logs. PostgreSQL: every row of every table as text
// (the server's files are not the store's to read; dead row versions are the server's VACUUM's).
QByteArray storeBytes(const QTemporaryDir& dir) {
    QByteArray all;
    if (onPostgres()) {
        const std::string where = storeLocation(dir);
        for (const auto& table :
             tamperRead(where, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", 1))
            for (const auto& row : tamperRead(where, "SELECT t::text FROM " + table[0] + " t", 1))
                all += QByteArray::fromStdString(row[0]) + '\n';
        if (all.isEmpty()) qFatal("no rows read from the store's tables");
        return all;
    }
    for (const char* suffix : {"", "-wal", "-journal"}) {
        QFile f(dir.filePath(QString("work.sqlite") + suffix));
        if (f.open(QIODevice::ReadOnly)) all += f.readAll();
    }
    return all;
}

}  // namespace

class TstStoreDecisions : public QObject {
    Q_OBJECT
private slots:
    void recordAndOverrideByRole();
    void overrideNeedsKnownReasonAndComment();
    void overrideReportCountsByOfficerReasonBand();
    void showMasksPersonalDataByRole();
    void eraseLeavesNoPersonalDataInTheBytes();
    void purgeAppliesRetention();
    void settingsOnlyForAdmins();
    void migratesFromFirstSchemaVersion();
};

void TstStoreDecisions::recordAndOverrideByRole() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Team t = makeTeam(*s);
    // Analysts and loan officers record; compliance, data scientists and admins may not.
    auto id = s->decisions().record(t.ann, sampleInput(kApplicantId));
    QVERIFY2(id, id ? "" : id.error().message.c_str());
    QVERIFY(s->decisions().record(t.otto, sampleInput("B-2")));
    for (const Actor* who : {&t.cora, &t.root}) {
        auto refused = s->decisions().record(*who, sampleInput("C-3"));
        QVERIFY(!refused);
        QVERIFY(QString::fromStdString(refused.error().message)
                    .contains("needs the role analyst or loan_officer"));
    }
    // Only loan officers override.
    auto byAnalyst = s->decisions().override(t.ann, *id, "decline", "data_error", "wrong amount");
    QVERIFY(!byAnalyst);
    QVERIFY(
        QString::fromStdString(byAnalyst.error().message).contains("needs the role loan_officer"));
    auto o = s->decisions().override(t.otto, *id, "decline", "data_error", "wrong amount");
    QVERIFY2(o, o ? "" : o.error().message.c_str());
    auto found = s->decisions().find(*id);
    QVERIFY(found && *found);
    QCOMPARE((**found)["decision"].get<std::string>(), std::string("approve"));
    QCOMPARE((**found)["decision_in_force"].get<std::string>(), std::string("decline"));
    QCOMPARE((**found)["overrides"][0]["reason_code"].get<std::string>(),
             std::string("data_error"));
    // The audit trail names the applicant by pseudonym only.
    auto entries = s->audit().entries();
    for (const auto& e : *entries)
        QVERIFY(e.details.find(kApplicantId) == std::string::npos);
    QVERIFY(s->audit().verify()->intact);
    // A decision without an applicant id is refused.
    DecisionInput anonymous = sampleInput("");
    QVERIFY(!s->decisions().record(t.ann, anonymous));
}

void TstStoreDecisions::overrideNeedsKnownReasonAndComment() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Team t = makeTeam(*s);
    const std::int64_t id = *s->decisions().record(t.ann, sampleInput("A-1"));
    auto unknown = s->decisions().override(t.otto, id, "decline", "because_i_said_so", "x");
    QVERIFY(!unknown);
    QVERIFY(QString::fromStdString(unknown.error().message).contains("verified_income"));
    QVERIFY(!s->decisions().override(t.otto, id, "decline", "data_error", "   "));
    QVERIFY(!s->decisions().override(t.otto, id, "approve", "data_error", "same"));  // already
    QVERIFY(!s->decisions().override(t.otto, id, "maybe", "data_error", "x"));
    QVERIFY(!s->decisions().override(t.otto, 999, "decline", "data_error", "x"));
    // The list is configurable by an admin.
    QVERIFY(s->settings().set(t.root, kSettingOverrideReasons, "[\"manual_review\"]"));
    QVERIFY(!s->decisions().override(t.otto, id, "decline", "data_error", "x"));
    QVERIFY(s->decisions().override(t.otto, id, "decline", "manual_review", "checked by phone"));
}

void TstStoreDecisions::overrideReportCountsByOfficerReasonBand() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Team t = makeTeam(*s);
    SecretString pw("olga-password");
    QVERIFY(s->users().add(t.root, "olga", {Role::LoanOfficer}, pw));
    const Actor olga = login(*s, "olga", "olga-password");
    std::vector<std::int64_t> ids;
    for (long score : {585L, 595L, 605L, 615L, 625L, 655L})
        ids.push_back(
            *s->decisions().record(t.ann, sampleInput("A" + std::to_string(score), score)));
    QVERIFY(s->decisions().override(t.otto, ids[0], "decline", "data_error", "c"));
    QVERIFY(s->decisions().override(t.otto, ids[2], "refer", "verified_income", "c"));
    QVERIFY(s->decisions().override(olga, ids[3], "decline", "data_error", "c"));
    QVERIFY(!s->decisions().overrideReport(t.ann));  // analysts do not report
    auto report = s->decisions().overrideReport(t.cora, 20);
    QVERIFY(report);
    QCOMPARE((*report)["decisions"].get<int>(), 6);
    QCOMPARE((*report)["overrides"].get<int>(), 3);
    QCOMPARE((*report)["rate"].get<double>(), 0.5);
    std::map<std::string, int> byReason;
    for (const auto& r : (*report)["by_reason"])
        byReason[r["reason_code"]] = r["overrides"];
    QCOMPARE(byReason["data_error"], 2);
    QCOMPARE(byReason["verified_income"], 1);
    std::map<std::string, int> byOfficer;
    for (const auto& r : (*report)["by_officer"])
        byOfficer[r["user"]] = r["overrides"];
    QCOMPARE(byOfficer["otto"], 2);
    QCOMPARE(byOfficer["olga"], 1);
    // Bands of 20: 580-600 holds 585 and 595 (one overridden), 600-620 holds 605, 615 (both).
    std::map<long, std::pair<int, int>> bands;
    for (const auto& b : (*report)["by_score_band"])
        bands[b["from"].get<long>()] = {b["decisions"].get<int>(), b["overrides"].get<int>()};
    QCOMPARE(bands[580], std::make_pair(2, 1));
    QCOMPARE(bands[600], std::make_pair(2, 2));
    QCOMPARE(bands[620], std::make_pair(1, 0));
    QCOMPARE(bands[640], std::make_pair(1, 0));
}

void TstStoreDecisions::showMasksPersonalDataByRole() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Team t = makeTeam(*s);
    const std::int64_t id = *s->decisions().record(t.ann, sampleInput(kApplicantId));
    QVERIFY(s->decisions().override(t.otto, id, "refer", "data_error", kComment));
    auto masked = s->applicants().show(t.ann, kApplicantId);
    QVERIFY(masked);
    const std::string maskedText = masked->dump();
    QVERIFY(maskedText.find(kName) == std::string::npos);
    QVERIFY(maskedText.find(kApplicantId) == std::string::npos);
    QVERIFY(maskedText.find(kComment) == std::string::npos);
    QCOMPARE((*masked)["decisions"][0]["inputs"]["duration_months"].get<std::string>(),
             std::string("24"));
    QCOMPARE((*masked)["decisions"][0]["inputs"]["full_name"].get<std::string>(),
             std::string(kMask));
    auto clear = s->applicants().show(t.otto, kApplicantId);
    QVERIFY(clear);
    QCOMPARE((*clear)["decisions"][0]["inputs"]["full_name"].get<std::string>(),
             std::string(kName));
    // The subject access copy: compliance only, everything.
    QVERIFY(!s->applicants().exportSubject(t.otto, kApplicantId));
    auto copy = s->applicants().exportSubject(t.cora, kApplicantId);
    QVERIFY(copy);
    QCOMPARE((*copy)["id"].get<std::string>(), std::string(kApplicantId));
    QCOMPARE((*copy)["decisions"][0]["overrides"][0]["comment"].get<std::string>(),
             std::string(kComment));
    QVERIFY(s->audit().entries()->back().event == "applicant_exported");
}

void TstStoreDecisions::eraseLeavesNoPersonalDataInTheBytes() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Team t = makeTeam(*s);
    const std::int64_t id = *s->decisions().record(t.ann, sampleInput(kApplicantId));
    QVERIFY(s->decisions().override(t.otto, id, "refer", "data_error", kComment));
    QVERIFY(s->decisions().record(t.ann, sampleInput("OTHER-PERSON-77")));
    // Before: the name and comment are in the store's bytes (file or write-ahead log).
    QVERIFY(storeBytes(dir).contains(kName));
    QVERIFY(storeBytes(dir).contains(kComment));
    QVERIFY(!s->applicants().erase(t.ann, kApplicantId));  // analysts may not erase
    auto summary = s->applicants().erase(t.cora, kApplicantId);
    QVERIFY2(summary, summary ? "" : summary.error().message.c_str());
    QCOMPARE((*summary)["inputs_removed"].get<int>(), 1);
    QCOMPARE((*summary)["comments_removed"].get<int>(), 1);
    if (!onPostgres()) QCOMPARE((*summary)["wal_truncated"].get<bool>(), true);
    // The pseudonymised decision and its override stay; the chain still verifies.
    auto found = s->decisions().find(id);
    QVERIFY(found && *found);
    QCOMPARE((**found)["decision_in_force"].get<std::string>(), std::string("refer"));
    QVERIFY((**found)["overrides"][0]["comment"].is_null());
    auto after = s->applicants().exportSubject(t.cora, kApplicantId);
    QVERIFY((*after)["decisions"][0]["inputs"].is_null());
    QVERIFY(!(*after)["erased_at"].is_null());
    QVERIFY(s->audit().verify()->intact);
    // The other applicant is untouched.
    auto other = s->applicants().exportSubject(t.cora, "OTHER-PERSON-77");
    QCOMPARE((*other)["decisions"][0]["inputs"]["full_name"].get<std::string>(),
             std::string(kName));
    // Erase the other too, then look at every byte of the file and its write-ahead log.
    QVERIFY(s->applicants().erase(t.cora, "OTHER-PERSON-77"));
    QByteArray bytes = storeBytes(dir);
    QVERIFY(!bytes.contains(kName));
    QVERIFY(!bytes.contains(kComment));
    QVERIFY(!bytes.contains(kApplicantId));
    QVERIFY(!bytes.contains("OTHER-PERSON-77"));
    s.reset();
    bytes = storeBytes(dir);
    QVERIFY(!bytes.contains(kName));
    QVERIFY(!bytes.contains(kComment));
    QVERIFY(!bytes.contains(kApplicantId));
}

void TstStoreDecisions::purgeAppliesRetention() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Team t = makeTeam(*s);
    const std::int64_t oldId = *s->decisions().record(t.ann, sampleInput("OLD-1"));
    QVERIFY(s->decisions().record(t.ann, sampleInput("NEW-1")));
    QVERIFY(!s->applicants().purge(t.cora));                           // no retention period set
    QVERIFY(!s->settings().set(t.cora, kSettingRetentionDays, "30"));  // admins only
    QVERIFY(s->settings().set(t.root, kSettingRetentionDays, "30"));
    QVERIFY(!s->settings().set(t.root, kSettingRetentionDays, "-1"));
    // Age the first record by 40 days.
    QVERIFY(s->database().run(
        "UPDATE applicant_data SET at = '2000-01-01T00:00:00.000Z' WHERE decision_id = ?",
        {QVariant::fromValue<qlonglong>(oldId)}));
    QVERIFY(!s->applicants().purge(t.ann));
    auto summary = s->applicants().purge(t.cora);
    QVERIFY2(summary, summary ? "" : summary.error().message.c_str());
    QCOMPARE((*summary)["inputs_removed"].get<int>(), 1);
    QCOMPARE(s->audit().entries()->back().event, std::string("store_purged"));
    QVERIFY((*s->applicants().exportSubject(t.cora, "OLD-1"))["decisions"][0]["inputs"].is_null());
    QVERIFY(!(*s->applicants().exportSubject(t.cora, "NEW-1"))["decisions"][0]["inputs"].is_null());
}

void TstStoreDecisions::settingsOnlyForAdmins() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Team t = makeTeam(*s);
    auto refused = s->settings().set(t.otto, kSettingOverrideReasons, "[\"x\"]");
    QVERIFY(!refused);
    QVERIFY(QString::fromStdString(refused.error().message).contains("needs the role admin"));
    QVERIFY(!s->settings().set(t.root, kSettingOverrideReasons, "not json"));
    QVERIFY(!s->settings().set(t.root, kSettingOverrideReasons, "[\"Bad Code\"]"));
    QVERIFY(!s->settings().set(t.root, "colour", "blue"));
    QVERIFY(s->settings().set(t.root, kSettingOverrideReasons, "[\"a\",\"b\"]"));
    QCOMPARE(*s->settings().overrideReasons(), (std::vector<std::string>{"a", "b"}));
    QCOMPARE(s->audit().entries()->back().event, std::string("setting_changed"));
}

void TstStoreDecisions::migratesFromFirstSchemaVersion() {
    // A store as the first schema version made it: users, roles, audit entries.
    QTemporaryDir dir;
    const std::string path = storeLocation(dir, "v1.sqlite");
    {
        auto db = Database::open(path, true);
        QVERIFY(db);
        if (!onPostgres())
            QVERIFY((*db)->run("PRAGMA application_id = " + QString::number(kStoreApplicationId)));
        QVERIFY(migrate(**db, 1));
        QCOMPARE(*schemaVersion(**db), 1);
        QVERIFY(!(*db)->connection().tables().contains("decisions"));
        for (const auto& [k, v] : {std::pair<QString, QString>{"store_id", "0123"},
                                   {"created_at", "2026-01-01T00:00:00.000Z"},
                                   {"pseudonym_key", QString(64, 'b')}})
            QVERIFY((*db)->run("INSERT INTO store_meta (key, value) VALUES (?, ?)", {k, v}));
        AuditLog audit(**db);
        SigningKeys keys(**db, audit);  // unused: no compliance user in a first-version store
        Users users(**db, audit, keys);
        SecretString pw(kAdminPassword);
        QVERIFY(users.createFirst("root", {Role::Admin, Role::Analyst}, &pw));
        QVERIFY(audit.append("root", "store_created", {{"admin", "root"}}));
        QVERIFY(audit.append("root", "something", {{"n", 1}}));
    }
    auto s = Store::open(path);
    QVERIFY2(s, s ? "" : s.error().message.c_str());
    QCOMPARE(*schemaVersion((*s)->database()), currentSchemaVersion());
    const Actor root = login(**s, "root", kAdminPassword);
    QCOMPARE(root.roles, (std::set<Role>{Role::Admin, Role::Analyst}));
    auto check = (*s)->audit().verify();
    QVERIFY(check->intact);
    auto last = (*s)->audit().entries()->back();
    QCOMPARE(last.event, std::string("login"));
    auto migrated = (*s)->audit().entries(AuditFilter{"", "store_migrated", "", ""});
    QCOMPARE(migrated->size(), std::size_t(1));
    QVERIFY(migrated->front().details.find("\"from\":1") != std::string::npos);
    // The migrated store works as a new one does.
    QVERIFY((*s)->decisions().record(root, sampleInput("M-1")));
}

QTEST_GUILESS_MAIN(TstStoreDecisions)
#include "tst_store_decisions.moc"
