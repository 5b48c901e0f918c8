// The model registry in the store (issue 12), on real store files: roles and stages, thresholds
// changed only by compliance, signing keys sealed by the user's password, four-eyes approval
// with justifications for failed checks, signatures checked against current compliance users,
// champion and challenger. The gate's figures on real data: tst_cli_store_registry.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "StoreTestSupport.h"
#include "TestSupport.h"
#include "scoring/ModelBundle.h"

using namespace cwb;
using namespace cwb::store;
using namespace cwb::test;

namespace {

const std::string kModel = sourcePath("models/german_credit.cwbm");

// A gate outcome made by hand: one check passes, one fails (the store records what it is given;
// the figures themselves are the CLI test's business).
GateResult handMadeGate(bool withFailure) {
    GateResult gate;
    gate.report.performance.rows = 1000;
    GateCheck auc;
    auc.check = "auc";
    auc.figure = 0.81;
    auc.threshold = 0.7;
    auc.comparison = ">=";
    auc.verdict = "pass";
    gate.checks.push_back(auc);
    GateCheck air;
    air.check = "adverse_impact";
    air.subject = "age_years: under 25";
    air.figure = 0.56;
    air.threshold = 0.8;
    air.comparison = ">=";
    air.verdict = withFailure ? "fail" : "pass";
    gate.checks.push_back(air);
    return gate;
}

std::size_t countEvents(Store& s, const std::string& event) {
    AuditFilter f;
    f.event = event;
    auto e = s.audit().entries(f);
    return e ? e->size() : 0;
}

}  // namespace

class TstStoreRegistry : public QObject {
    Q_OBJECT
private slots:
    void init();
    void registrationNeedsADataScientist();
    void thresholdsChangeOnlyByCompliance();
    void signingKeysAreSealedByThePassword();
    void approvalIsFourEyesAndJustified();
    void approvalCountsOnlyFromCurrentComplianceUsers();
    void championAndChallenger();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;
    Actor m_root, m_dan, m_ann, m_carol, m_cid;
};

void TstStoreRegistry::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = makeStore(*m_dir);
    QVERIFY(m_store);
    m_root = login(*m_store, "root", kAdminPassword);
    const auto add = [&](const char* name, std::set<Role> roles) {
        SecretString password(std::string(name) + "-password");
        auto u = m_store->users().add(m_root, name, roles, password);
        if (!u) qWarning("%s", u.error().message.c_str());
        return login(*m_store, name, std::string(name) + "-password");
    };
    m_dan = add("dan", {Role::DataScientist});
    m_ann = add("ann", {Role::Analyst});
    m_carol = add("carol", {Role::Compliance});
    // Registrant and compliance officer in one person: four eyes still need someone else.
    m_cid = add("cid", {Role::Compliance, Role::DataScientist});
    QCOMPARE(m_cid.roles.size(), std::size_t(2));
}

void TstStoreRegistry::registrationNeedsADataScientist() {
    Registry& r = m_store->registry();
    auto refused = r.add(m_ann, "german", kModel);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.find("needs the role data_scientist") != std::string::npos,
             refused.error().message.c_str());
    auto v = r.add(m_dan, "german", kModel);
    QVERIFY2(v, v ? "" : v.error().message.c_str());
    QCOMPARE(v->version, std::int64_t(1));
    QCOMPARE(v->stage, std::string("draft"));
    QCOMPARE(v->bundleSha256, loadBundle(kModel)->sha256);
    // The stored bytes are the file's.
    QFile file(QString::fromStdString(kModel));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray original = file.readAll();
    auto bytes = r.bundleBytes("german", 1);
    QVERIFY(bytes);
    QVERIFY(QByteArray(reinterpret_cast<const char*>(bytes->data()),
                       static_cast<qsizetype>(bytes->size())) == original);
    // The same bundle twice under one name is refused; under another name it is version 1.
    auto twice = r.add(m_dan, "german", kModel);
    QVERIFY(!twice);
    QCOMPARE(twice.error().kind, ErrorKind::BadInput);
    QVERIFY(r.add(m_dan, "other", kModel));
    // A file that is not a bundle never reaches the registry.
    const std::string junk = writeFile(*m_dir, "junk.cwbm", "not a bundle");
    auto bad = r.add(m_dan, "german", junk);
    QVERIFY(!bad);
    QCOMPARE(bad.error().kind, ErrorKind::BadInput);
    QCOMPARE(r.list()->size(), std::size_t(2));
    QCOMPARE(r.list("german")->size(), std::size_t(1));
    QCOMPARE(countEvents(*m_store, "model_registered"), std::size_t(2));
    // Approval before validation is refused.
    SecretString password("carol-password");
    auto early = r.approve(m_carol, password, "german", 1, "");
    QVERIFY(!early);
    QVERIFY(early.error().message.find("validate") != std::string::npos);
    QVERIFY(m_store->audit().verify()->intact);
}

void TstStoreRegistry::thresholdsChangeOnlyByCompliance() {
    Registry& r = m_store->registry();
    QCOMPARE(r.thresholds()->minAdverseImpactRatio, 0.8);
    auto refused = r.setThreshold(m_dan, "min_auc", 0.75);
    QVERIFY(!refused);
    QVERIFY(refused.error().message.find("needs the role compliance") != std::string::npos);
    QVERIFY(r.setThreshold(m_carol, "min_auc", 0.75));
    QCOMPARE(r.thresholds()->minAuc, 0.75);
    QCOMPARE(r.setThreshold(m_carol, "min_auc", 1.5).error().kind, ErrorKind::BadInput);
    QCOMPARE(r.setThreshold(m_carol, "max_fun", 1.0).error().kind, ErrorKind::BadInput);
    AuditFilter f;
    f.event = "threshold_changed";
    auto entries = m_store->audit().entries(f);
    QCOMPARE(entries->size(), std::size_t(1));
    const auto details = nlohmann::json::parse(entries->front().details);
    QCOMPARE(details["previous"].get<double>(), 0.70);
    QCOMPARE(details["value"].get<double>(), 0.75);
    QCOMPARE(entries->front().user, std::string("carol"));
}

void TstStoreRegistry::signingKeysAreSealedByThePassword() {
    SigningKeys& keys = m_store->signingKeys();
    auto carolKey = keys.current("carol");
    QVERIFY(carolKey && *carolKey);
    QVERIFY(!*keys.current("dan"));  // no compliance role, no key
    SecretString wrong("not-carols-password");
    QVERIFY(!keys.sign("carol", wrong, "message"));
    SecretString right("carol-password");
    auto signature = keys.sign("carol", right, "message");
    QVERIFY(signature);
    QCOMPARE(signature->keyId, (*carolKey)->id);
    QVERIFY(verifySignature((*carolKey)->publicKey, "message", signature->signature));
    QVERIFY(!verifySignature((*carolKey)->publicKey, "message!", signature->signature));
    // A password change makes a new pair; the old one is retired and still verifies.
    SecretString newPassword("carol-new-password");
    QVERIFY(m_store->users().setPassword(m_carol, "carol", newPassword));
    auto newKey = keys.current("carol");
    QVERIFY(newKey && *newKey && (*newKey)->id != (*carolKey)->id);
    QVERIFY((*keys.byId((*carolKey)->id))->retired);
    QVERIFY(!keys.sign("carol", right, "message"));
    QVERIFY(keys.sign("carol", newPassword, "message"));
    // Made compliance later: the key comes at the next sign-in with a password.
    QVERIFY(m_store->users().setRoles(m_root, "dan", {Role::DataScientist, Role::Compliance}));
    QVERIFY(!*keys.current("dan"));
    login(*m_store, "dan", "dan-password");
    QVERIFY(*keys.current("dan"));
    QVERIFY(countEvents(*m_store, "signing_key_created") >= 4);
}

void TstStoreRegistry::approvalIsFourEyesAndJustified() {
    Registry& r = m_store->registry();
    auto v = r.add(m_cid, "german", kModel);
    QVERIFY(v);
    QVERIFY(r.recordValidation(m_cid, "german", 1, handMadeGate(true),
                               {"file.csv", "ab", "class", "2"}));
    QCOMPARE(r.find("german", 1)->stage, std::string("validated"));
    // The registrant may not approve, although cid holds the compliance role.
    SecretString cidPassword("cid-password");
    auto own = r.approve(m_cid, cidPassword, "german", 1, "looks fine to me");
    QVERIFY(!own);
    QVERIFY2(own.error().message.find("four eyes") != std::string::npos,
             own.error().message.c_str());
    // Nor a data scientist.
    SecretString danPassword("dan-password");
    QVERIFY(!r.approve(m_dan, danPassword, "german", 1, "x"));
    // A failed check needs a written justification.
    SecretString carolPassword("carol-password");
    auto unjustified = r.approve(m_carol, carolPassword, "german", 1, "  ");
    QVERIFY(!unjustified);
    QCOMPARE(unjustified.error().kind, ErrorKind::BadInput);
    QVERIFY(unjustified.error().message.find("adverse_impact (age_years: under 25)") !=
            std::string::npos);
    QCOMPARE(r.find("german", 1)->stage, std::string("validated"));
    // A wrong password cannot open the key: no approval.
    SecretString wrong("wrong-password");
    QVERIFY(!r.approve(m_carol, wrong, "german", 1, "reviewed"));
    const std::string why = "Under-25 approval rate reviewed: explained by credit history";
    auto approved = r.approve(m_carol, carolPassword, "german", 1, why);
    QVERIFY2(approved, approved ? "" : approved.error().message.c_str());
    QCOMPARE(r.find("german", 1)->stage, std::string("approved"));
    auto shown = r.show("german", 1);
    QVERIFY(shown);
    const auto& checks = (*shown)["validation"]["checks"];
    QCOMPARE(checks[1]["verdict"].get<std::string>(), std::string("fail"));
    QCOMPARE(checks[1]["justification"].get<std::string>(), why);
    QVERIFY(!checks[0].contains("justification"));
    QVERIFY((*shown)["approvals"][0]["signature_valid"].get<bool>());
    QVERIFY((*shown)["approval"]["approved"].get<bool>());
    AuditFilter f;
    f.event = "model_approved";
    auto entries = m_store->audit().entries(f);
    QCOMPARE(entries->size(), std::size_t(1));
    QCOMPARE(nlohmann::json::parse(entries->front().details)["justification"].get<std::string>(),
             why);
    auto check = r.checkApproved(loadBundle(kModel)->sha256);
    QVERIFY(check && check->approved);
    QCOMPARE(check->approver, std::string("carol"));
    // A second validation without failures needs no justification (on another version).
    QVERIFY(r.add(m_dan, "clean", kModel));
    QVERIFY(r.recordValidation(m_dan, "clean", 1, handMadeGate(false), {"f", "ab", "class", "2"}));
    QVERIFY(r.approve(m_cid, cidPassword, "clean", 1, ""));
    QVERIFY(m_store->audit().verify()->intact);
}

void TstStoreRegistry::approvalCountsOnlyFromCurrentComplianceUsers() {
    const std::string path = m_store->path();
    const std::string sha = loadBundle(kModel)->sha256;
    {
        Registry& r = m_store->registry();
        QVERIFY(r.add(m_dan, "german", kModel));
        QVERIFY(r.recordValidation(m_dan, "german", 1, handMadeGate(false), {"f", "a", "c", "2"}));
        SecretString password("carol-password");
        QVERIFY(r.approve(m_carol, password, "german", 1, ""));
        QVERIFY(r.checkApproved(sha)->approved);
        QVERIFY(!r.checkApproved(std::string(64, 'a'))->approved);
        // Disabled, or no longer compliance: the approval no longer counts.
        QVERIFY(m_store->users().disable(m_root, "carol"));
        auto disabled = r.checkApproved(sha);
        QVERIFY(!disabled->approved);
        QVERIFY(disabled->reason.find("no longer a current compliance user") != std::string::npos);
        QVERIFY(m_store->users().enable(m_root, "carol"));
        QVERIFY(m_store->users().setRoles(m_root, "carol", {Role::Analyst}));
        QVERIFY(!r.checkApproved(sha)->approved);
        QVERIFY(m_store->users().setRoles(m_root, "carol", {Role::Compliance}));
        QVERIFY(r.checkApproved(sha)->approved);
    }
    m_store.reset();
    // A signature edited in the file behind the store's back does not verify.
    QVERIFY(tamper(path,
                   "UPDATE registry_approvals SET signature = substr(signature, 1, 10) || "
                   "CASE substr(signature, 11, 1) WHEN '0' THEN '1' ELSE '0' END || "
                   "substr(signature, 12)"));
    auto reopened = Store::open(path);
    QVERIFY(reopened);
    auto check = (*reopened)->registry().checkApproved(sha);
    QVERIFY(!check->approved);
    QVERIFY2(check->reason.find("no valid signature") != std::string::npos, check->reason.c_str());
}

void TstStoreRegistry::championAndChallenger() {
    Registry& r = m_store->registry();
    SecretString password("carol-password");
    // Two versions of one model: the shipped bundle and a copy saved as version "2" (another
    // manifest, so another SHA-256).
    auto copy = loadBundle(kModel);
    QVERIFY(copy);
    copy->version = "2";
    const std::string second = m_dir->filePath("second.cwbm").toStdString();
    QVERIFY(saveBundle(*copy, second));
    QVERIFY(r.add(m_dan, "german", kModel));
    QVERIFY(r.add(m_dan, "german", second));
    for (std::int64_t v : {1, 2})
        QVERIFY(r.recordValidation(m_dan, "german", v, handMadeGate(false), {"f", "a", "c", "2"}));
    // Only an approved version is promoted; only compliance promotes.
    QCOMPARE(r.promote(m_carol, "german", 1, "champion").error().kind, ErrorKind::BadInput);
    QVERIFY(r.approve(m_carol, password, "german", 1, ""));
    QVERIFY(r.approve(m_carol, password, "german", 2, ""));
    QVERIFY(!r.promote(m_dan, "german", 1, "champion"));
    QVERIFY(r.promote(m_carol, "german", 1, "champion"));
    QVERIFY(r.promote(m_carol, "german", 2, "challenger"));
    QCOMPARE(r.inStage("german", "champion")->value().version, std::int64_t(1));
    QCOMPARE(r.inStage("german", "challenger")->value().version, std::int64_t(2));
    // The challenger becomes champion: the old champion is demoted to approved.
    auto swapped = r.promote(m_carol, "german", 2, "champion");
    QVERIFY(swapped);
    QCOMPARE((*swapped)["demoted_version"].get<std::int64_t>(), std::int64_t(1));
    QCOMPARE(r.find("german", 1)->stage, std::string("approved"));
    QCOMPARE(r.find("german", 2)->stage, std::string("champion"));
    QVERIFY(!r.inStage("german", "challenger")->has_value());
    // Retired: its approval no longer lets it score.
    QVERIFY(r.checkApproved(r.find("german", 1)->bundleSha256)->approved);
    QVERIFY(r.promote(m_carol, "german", 1, "retired"));
    QVERIFY(!r.checkApproved(r.find("german", 1)->bundleSha256)->approved);
    QCOMPARE(r.promote(m_carol, "german", 1, "champion").error().kind, ErrorKind::BadInput);
    QCOMPARE(countEvents(*m_store, "model_promoted"), std::size_t(3));
    QCOMPARE(countEvents(*m_store, "model_retired"), std::size_t(1));
    QVERIFY(m_store->audit().verify()->intact);
}

QTEST_GUILESS_MAIN(TstStoreRegistry)
#include "tst_store_registry.moc"
