// The Registry view (issue 12) driven offscreen on a real store file: a data scientist who also
// holds compliance registers the shipped model and validates it on the German data (on a
// worker), is refused its approval by core (four eyes), a second compliance user is refused
// without a justification and approves with one, promotes it champion; a challenger (the same
// model with a lower approval cutoff) goes through the same steps, and the view's swap set
// equals `cwb registry swap`. Finally the stored bundle hash is changed behind the store's back
// and the view shows the signature invalid.

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "../common/GuiTestSupport.h"
#include "common/Hash.h"
#include "common/Sqlite.h"
#include "store/Store.h"
#include "ui/applicant/ApplicantView.h"
#include "ui/registry/RegistryView.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/SettingsDialog.h"
#include "ui/store/StoreSession.h"

using namespace cwb;
using namespace cwb::ui;
using nlohmann::json;
using store::Role;

namespace {

const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kData = cwb::test::sourceFile(QStringLiteral("sample_data/german_credit.csv"));

// Test passwords for a throw-away store.
const char* const kAdminPw = "ada-password-1";
const char* const kScientistPw = "cid-password-1";
const char* const kCompliancePw = "cora-password-1";

// ada (admin), cid (data scientist and compliance: the registrant), cora (compliance).
QString makeStore(const QTemporaryDir& dir) {
    const QString path = dir.filePath(QStringLiteral("workbench.sqlite"));
    const store::SecretString admin(kAdminPw);
    auto s = store::Store::create(path.toStdString(), "ada", &admin, {Role::Admin});
    if (!s) qFatal("%s", s.error().message.c_str());
    auto ada = (*s)->users().authenticate("ada", &admin);
    if (!ada) qFatal("%s", ada.error().message.c_str());
    if (auto r = (*s)->users().add(*ada, "cid", {Role::DataScientist, Role::Compliance},
                                   store::SecretString(kScientistPw));
        !r)
        qFatal("%s", r.error().message.c_str());
    if (auto r =
            (*s)->users().add(*ada, "cora", {Role::Compliance}, store::SecretString(kCompliancePw));
        !r)
        qFatal("%s", r.error().message.c_str());
    return path;
}

// The shipped model open, the store open (nobody signed in: it has several users).
bool openWindow(MainWindow& window, const QString& storePath) {
    return window.openModel(kModel, true) && window.openStore(storePath) &&
           !window.storeSession()->signedIn();
}

bool signIn(StoreSession* session, const QString& user, const char* password) {
    const store::SecretString pw(password);
    return session->signIn(user, &pw).ok();
}

// A copy of the shipped bundle approving from `approveFrom` points, its part hash recomputed:
// a well-formed bundle with another manifest SHA-256 that decides differently.
bool withApprovalCutoff(const QString& to, double approveFrom) {
    QFile::remove(to);
    if (!QFile::copy(kModel, to)) return false;
    QFile::setPermissions(to, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    auto db = SqliteDatabase::open(to.toStdString(), SqliteDatabase::Mode::ReadWriteCreate);
    if (!db) return false;
    const std::string policy = json{{"approve_from", approveFrom}, {"decline_below", 499.0}}.dump();
    auto write = db->prepare("UPDATE bundle_part SET content = ?, sha256 = ? WHERE name = ?");
    return write && write->bindBlob(1, policy.data(), policy.size()).ok() &&
           write->bind(2, sha256Hex(policy)).ok() && write->bind(3, "policy.json").ok() &&
           write->step().ok();
}

// Scores the first sample applicant in the window; false when the view has no model to score.
bool scoresApplicant(MainWindow& window) {
    ApplicantView* view = window.applicantView();
    QSignalSpy loaded(view, &ApplicantView::loaded);
    view->loadFromFile(cwb::test::sourceFile(QStringLiteral("sample_data/applicants.csv")), 1);
    if (loaded.isEmpty() && !loaded.wait(30000)) return false;
    return loaded.first().at(0).toBool() && view->result().has_value();
}

int countEvents(store::Store& s, const std::string& event) {
    store::AuditFilter f;
    f.event = event;
    auto e = s.audit().entries(f);
    return e ? static_cast<int>(e->size()) : -1;
}

QPushButton* button(RegistryView* view, const char* name) {
    return view->findChild<QPushButton*>(QString::fromLatin1(name));
}

QString cell(QTableWidget* table, int row, int col) {
    auto* item = table->item(row, col);
    return item ? item->text() : QString();
}

bool validate(RegistryView* view) {
    QSignalSpy done(view, &RegistryView::validationFinished);
    if (!view->startValidation(kData, QStringLiteral("class"), QStringLiteral("2"), {}))
        return false;
    // The gate runs on a worker: the GUI thread is free (and the view says it is busy).
    if (!view->isBusy()) return false;
    return done.wait(120000) && done.first().at(0).toBool();
}

}  // namespace

class TestRegistryView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void registerValidateApprovePromoteSwap();
    void productionLockRefusesUnapprovedModels();
};

void TestRegistryView::registerValidateApprovePromoteSwap() {
    QTemporaryDir dir;
    const QString storePath = makeStore(dir);
    MainWindow window;
    QVERIFY(openWindow(window, storePath));
    StoreSession* session = window.storeSession();
    RegistryView* view = window.registryView();
    window.showView(view);
    QCOMPARE(window.views()->tabText(window.views()->currentIndex()), QStringLiteral("Registry"));

    // Signed in as the registrant: Register, Validate and Approve are offered by role.
    QVERIFY(signIn(session, "cid", kScientistPw));
    QVERIFY(button(view, "registryRegister")->isEnabled());
    auto added = view->registerOpenModel(QStringLiteral("german"));
    QVERIFY2(added, added ? "" : added.error().message.c_str());
    QCOMPARE(added->version, std::int64_t{1});
    QCOMPARE(view->versionsTable()->rowCount(), 1);
    QCOMPARE(cell(view->versionsTable(), 0, 2), QStringLiteral("draft"));
    QCOMPARE(cell(view->versionsTable(), 0, 3),
             QString::fromStdString(added->bundleSha256.substr(0, 12)));
    QCOMPARE(cell(view->versionsTable(), 0, 5), QStringLiteral("cid"));
    QCOMPARE(cell(view->versionsTable(), 0, 7), QStringLiteral("none"));

    QVERIFY(validate(view));
    QCOMPARE(cell(view->versionsTable(), 0, 2), QStringLiteral("validated"));
    // The checks table shows every stored figure against its threshold.
    const json& checks = view->shown()["validation"]["checks"];
    QTableWidget* table = view->checksTable();
    QCOMPARE(table->rowCount(), static_cast<int>(checks.size()));
    int failed = 0;
    for (int row = 0; row < table->rowCount(); ++row) {
        const json& c = checks[static_cast<std::size_t>(row)];
        QCOMPARE(cell(table, row, 0), QString::fromStdString(c["check"].get<std::string>()));
        QCOMPARE(cell(table, row, 4), QString::fromStdString(c["verdict"].get<std::string>()));
        QVERIFY(cell(table, row, 3)
                    .startsWith(QString::fromStdString(c["comparison"].get<std::string>())));
        failed += c["verdict"] == "fail";
        // The shipped model passes performance, stability, monotonicity and additivity; only
        // fairness fails (applicants under 25 and foreign workers, issue 12).
        if (c["verdict"] == "fail") QCOMPARE(cell(table, row, 0), QStringLiteral("adverse_impact"));
        if (c["check"] == "auc") {
            QCOMPARE(cell(table, row, 4), QStringLiteral("pass"));
            QCOMPARE(cell(table, row, 2), QString::number(c["figure"].get<double>(), 'g', 4));
            QVERIFY(c["figure"].get<double>() >= 0.70);
        }
    }
    QVERIFY(failed >= 2);
    QVERIFY(view->findChild<QLabel*>("registryValidation")
                ->text()
                .contains(QStringLiteral("%1 of %2 checks failed").arg(failed).arg(checks.size())));

    // Four eyes: core refuses the registrant although cid holds compliance; the view says so.
    QVERIFY(button(view, "registryApprove")->isEnabled());
    const store::SecretString cidPw(kScientistPw), coraPw(kCompliancePw);
    auto own = view->approve(cidPw, QStringLiteral("reviewed"));
    QVERIFY(!own);
    QVERIFY2(view->statusText().contains(QStringLiteral("four eyes")),
             qPrintable(view->statusText()));

    // A second compliance user: no Register (not a data scientist); refused without a
    // justification for the failed checks, approved with one.
    QVERIFY(signIn(session, "cora", kCompliancePw));
    QVERIFY(!button(view, "registryRegister")->isEnabled());
    QVERIFY(view->selectVersion(QStringLiteral("german"), 1));
    QVERIFY(!view->approve(coraPw, {}));
    QVERIFY2(view->statusText().contains(QStringLiteral("justification")),
             qPrintable(view->statusText()));
    const QString why = QStringLiteral(
        "Age and foreign-worker disparity reviewed by the credit "
        "risk committee");
    auto approved = view->approve(coraPw, why);
    QVERIFY2(approved, approved ? "" : approved.error().message.c_str());
    QCOMPARE(cell(view->versionsTable(), 0, 2), QStringLiteral("approved"));
    QCOMPARE(cell(view->versionsTable(), 0, 7), QStringLiteral("valid"));
    QVERIFY(view->signatureLabelText().contains(QStringLiteral("valid, signed by cora")));
    for (int row = 0; row < table->rowCount(); ++row)
        QCOMPARE(cell(table, row, 5), cell(table, row, 4) == "fail" ? why : QString());
    QVERIFY(view->promote(QStringLiteral("champion")));
    QCOMPARE(cell(view->versionsTable(), 0, 2), QStringLiteral("champion"));

    // A challenger: the same model approving from 520 points, through the same steps.
    const QString challengerPath = dir.filePath(QStringLiteral("german_520.cwbm"));
    QVERIFY(withApprovalCutoff(challengerPath, 520.0));
    QVERIFY(window.openModel(challengerPath, true));
    QVERIFY(signIn(session, "cid", kScientistPw));
    auto second = view->registerOpenModel(QStringLiteral("german"));
    QVERIFY2(second, second ? "" : second.error().message.c_str());
    QCOMPARE(second->version, std::int64_t{2});
    QVERIFY(validate(view));
    QVERIFY(signIn(session, "cora", kCompliancePw));
    QVERIFY(view->selectVersion(QStringLiteral("german"), 2));
    QVERIFY(view->approve(coraPw, why));
    QVERIFY(view->promote(QStringLiteral("challenger")));

    QSignalSpy swapped(view, &RegistryView::swapSetFinished);
    QVERIFY(view->startSwapSet(kData, QStringLiteral("class"), QStringLiteral("2")));
    QVERIFY(swapped.wait(120000));
    QVERIFY2(swapped.first().at(0).toBool(), qPrintable(swapped.first().at(1).toString()));
    QVERIFY(view->swapSet().has_value());

    // The same figures as `cwb registry swap` on the same store.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("CWB_STORE", storePath);
    env.insert("CWB_USER", "cora");
    env.insert("CWB_PASSWORD", kCompliancePw);
    auto cli =
        test::runProgram("setsid",
                         {"-w", test::cliPath(), "registry", "swap", "--name", "german", "--data",
                          kData, "--target", "class", "--bad", "2", "--json", "--quiet"},
                         env, 240000);
    QVERIFY2(cli.ok(), cli.err.constData());
    const json expected = cli.json();
    const ChampionSwapSet& s = *view->swapSet();
    QCOMPARE(static_cast<int>(s.rows), expected["rows"].get<int>());
    QCOMPARE(static_cast<int>(s.swapIn.count), expected["swap_in"]["count"].get<int>());
    QCOMPARE(static_cast<int>(s.swapOut.count), expected["swap_out"]["count"].get<int>());
    QCOMPARE(static_cast<int>(s.swapIn.bads), expected["swap_in"]["bads"].get<int>());
    QCOMPARE(static_cast<int>(s.approvedByBoth.count),
             expected["approved_by_both"]["count"].get<int>());
    QCOMPARE(static_cast<int>(s.approvedByNeither.count),
             expected["approved_by_neither"]["count"].get<int>());
    // A lower cutoff only adds approvals: swap-ins, no swap-outs.
    QVERIFY(s.swapIn.count > 0);
    QCOMPARE(s.swapOut.count, std::size_t{0});
    QCOMPARE(cell(view->swapTable(), 0, 1), QString::number(s.swapIn.count));
    QCOMPARE(cell(view->swapTable(), 0, 2), QString::number(s.swapIn.bads));

    // The registered bundle "changed" after approval (its recorded hash edited behind the
    // store's back): no approval signature verifies any more.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "attacker");
        db.setDatabaseName(storePath);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec("UPDATE registry_versions SET bundle_sha256 = '" +
                       QString(64, QLatin1Char('a')) + "' WHERE version = 2"));
        db.close();
    }
    QSqlDatabase::removeDatabase("attacker");
    QVERIFY(view->refresh());
    QVERIFY(view->selectVersion(QStringLiteral("german"), 2));
    QCOMPARE(cell(view->versionsTable(), 1, 7), QStringLiteral("invalid"));
    QVERIFY2(view->signatureLabelText().contains(QStringLiteral("INVALID")),
             qPrintable(view->signatureLabelText()));
    QCOMPARE(cell(view->versionsTable(), 0, 7), QStringLiteral("valid"));
}

// The store setting require_approved: read-only in File > Settings for a compliance user (and
// refused by core), changed by an admin (audited); while on, the window neither scores nor
// explains with the shipped model until it is approved, nor with an edited copy afterwards, nor
// with the user's own cutoffs.
void TestRegistryView::productionLockRefusesUnapprovedModels() {
    QTemporaryDir dir;
    const QString storePath = makeStore(dir);
    MainWindow window;
    QVERIFY(openWindow(window, storePath));
    StoreSession* session = window.storeSession();
    QVERIFY(window.productionLockRefusal().isEmpty());
    QVERIFY(scoresApplicant(window));

    QVERIFY(signIn(session, "cora", kCompliancePw));
    {
        SettingsDialog dialog(window.settings(), window.model().get());
        window.prepareSettingsDialog(dialog);
        QVERIFY(!dialog.requireApprovedBox()->isEnabled());
        QVERIFY(!dialog.requireApprovedBox()->isChecked());
        // Even past the read-only field, core refuses: only admins change settings.
        dialog.requireApprovedBox()->setChecked(true);
        auto refused = window.saveStoreSettings(dialog);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.find("admin") != std::string::npos,
                 refused.error().message.c_str());
    }
    QVERIFY(signIn(session, "ada", kAdminPw));
    {
        SettingsDialog dialog(window.settings(), window.model().get());
        window.prepareSettingsDialog(dialog);
        QVERIFY(dialog.requireApprovedBox()->isEnabled());
        dialog.requireApprovedBox()->setChecked(true);
        QVERIFY(window.saveStoreSettings(dialog));
    }
    QCOMPARE(session->store()->settings().requireApproved().value(), true);
    QCOMPARE(countEvents(*session->store(), "setting_changed"), 1);
    window.applyProductionLock(false);
    QVERIFY2(window.productionLockRefusal().contains(QStringLiteral("no valid approval")),
             qPrintable(window.productionLockRefusal()));
    QVERIFY(window.findChild<QLabel*>("productionLockBanner")->isVisibleTo(&window));
    QVERIFY(!scoresApplicant(window));

    // Registered, validated and approved by two people: the lock lets it score.
    RegistryView* view = window.registryView();
    QVERIFY(signIn(session, "cid", kScientistPw));
    QVERIFY(view->registerOpenModel(QStringLiteral("german")));
    QVERIFY(validate(view));
    QVERIFY(signIn(session, "cora", kCompliancePw));
    QVERIFY(view->selectVersion(QStringLiteral("german"), 1));
    QVERIFY(view->approve(store::SecretString(kCompliancePw), QStringLiteral("reviewed")));
    QVERIFY2(window.productionLockRefusal().isEmpty(), qPrintable(window.productionLockRefusal()));
    QVERIFY(!window.findChild<QLabel*>("productionLockBanner")->isVisibleTo(&window));
    QVERIFY(scoresApplicant(window));

    // The user's own cutoffs would change what the approved model decides: refused.
    AppSettings own = window.settings();
    own.overrideScaling = true;
    window.applySettings(own);
    QVERIFY(window.productionLockRefusal().contains(QStringLiteral("own score scaling")));
    QVERIFY(!scoresApplicant(window));
    own.overrideScaling = false;
    window.applySettings(own);
    QVERIFY(window.productionLockRefusal().isEmpty());

    // A copy with one part changed and re-hashed is another bundle: refused.
    const QString edited = dir.filePath(QStringLiteral("german_edited.cwbm"));
    QVERIFY(withApprovalCutoff(edited, 520.0));
    QVERIFY(window.openModel(edited, true));
    QVERIFY(window.productionLockRefusal().contains(QStringLiteral("no valid approval")));
    QVERIFY(!scoresApplicant(window));

    // Retired: the approval no longer counts.
    QVERIFY(window.openModel(kModel, true));
    QVERIFY(window.productionLockRefusal().isEmpty());
    QVERIFY(view->promote(QStringLiteral("retired")));
    QVERIFY(!window.productionLockRefusal().isEmpty());
}

QTEST_MAIN(TestRegistryView)
#include "tst_registry_view.moc"
