// The GUI's side of the workbench store (issue 11), offscreen, on real store files in a
// temporary folder: signing in (right, wrong and locked-out passwords), Record decision and
// Override landing in the store (read back through core), each role's allowed and refused
// actions as core decides them, the user administration, and the Audit view verifying the
// chain and then catching an entry edited behind the store's back with SQLite.

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QImage>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "../common/TestPaths.h"
#include "store/Store.h"
#include "ui/applicant/ApplicantView.h"
#include "ui/audit/AuditTableModel.h"
#include "ui/audit/AuditView.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/Screenshots.h"
#include "ui/store/SignInDialog.h"
#include "ui/store/StoreSession.h"
#include "ui/store/UserAdminDialog.h"

using namespace cwb;
using namespace cwb::ui;
using store::Role;

namespace {

const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kApplicants = cwb::test::sourceFile(QStringLiteral("sample_data/applicants.csv"));

// Test passwords for throw-away stores.
const char* const kAdminPw = "ada-password-1";
const char* const kCompliancePw = "cora-password-1";
const char* const kOfficerPw = "olga-password-1";
const char* const kAnalystPw = "sam-password-1";

// A store with one user per role that matters here: ada (admin), cora (compliance),
// olga (loan_officer), sam (analyst).
QString makeStore(const QTemporaryDir& dir) {
    const QString path = dir.filePath(QStringLiteral("workbench.sqlite"));
    const store::SecretString admin(kAdminPw);
    auto s = store::Store::create(path.toStdString(), "ada", &admin, {Role::Admin});
    if (!s) qFatal("%s", s.error().message.c_str());
    auto ada = (*s)->users().authenticate("ada", &admin);
    if (!ada) qFatal("%s", ada.error().message.c_str());
    const std::vector<std::tuple<std::string, Role, const char*>> users = {
        {"cora", Role::Compliance, kCompliancePw},
        {"olga", Role::LoanOfficer, kOfficerPw},
        {"sam", Role::Analyst, kAnalystPw}};
    for (const auto& [name, role, pw] : users)
        if (auto r = (*s)->users().add(*ada, name, {role}, store::SecretString(pw)); !r)
            qFatal("%s", r.error().message.c_str());
    return path;
}

int countEvents(store::Store& s, const std::string& event, const std::string& user = {}) {
    store::AuditFilter f;
    f.event = event;
    f.user = user;
    auto e = s.audit().entries(f);
    return e ? static_cast<int>(e->size()) : -1;
}

bool signIn(StoreSession* session, const QString& user, const char* password) {
    const store::SecretString pw(password);
    return session->signIn(user, &pw).ok();
}

bool loadApplicant(MainWindow& window) {
    if (!window.openModel(kModel, true)) return false;
    ApplicantView* view = window.applicantView();
    QSignalSpy loaded(view, &ApplicantView::loaded);
    view->loadFromFile(kApplicants, 1);
    return loaded.wait(30000) && loaded.first().at(0).toBool() && view->result().has_value();
}

QString statusUser(MainWindow& window) {
    auto* label = window.findChild<QLabel*>(QStringLiteral("statusUser"));
    return label ? label->text() : QString();
}

}  // namespace

class TestStoreGui : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // No store file yet: the desktop store is created with the OS user as its only user, who is
    // signed in without a dialog and holds every role.
    void singleUserStoreSignsInWithoutDialog() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/workbench.sqlite"));
        MainWindow window;
        QCOMPARE(statusUser(window), QStringLiteral("no store"));
        QVERIFY(window.openStore(path));
        QVERIFY(QFile::exists(path));
        StoreSession* session = window.storeSession();
        QVERIFY(session->isSingleUserStore());
        QVERIFY(session->signedIn());
        QCOMPARE(session->actor()->name, store::osUserName());
        QVERIFY(session->actor()->has(Role::Admin));
        QVERIFY(statusUser(window).startsWith(QString::fromStdString(store::osUserName())));
        QVERIFY(statusUser(window).contains(QStringLiteral("loan_officer")));
        session->signOut();
        QCOMPARE(statusUser(window), QStringLiteral("not signed in"));
        QCOMPARE(countEvents(*session->store(), "logout"), 1);
    }

    // CWB_STORE wins over the settings' location, as for cwb.
    void storeLocationFromEnvironment() {
        qputenv("CWB_STORE", "/tmp/from-env.sqlite");
        QCOMPARE(StoreSession::resolvePath(QStringLiteral("/x/settings.sqlite")),
                 QStringLiteral("/tmp/from-env.sqlite"));
        qunsetenv("CWB_STORE");
        QCOMPARE(StoreSession::resolvePath(QStringLiteral("/x/settings.sqlite")),
                 QStringLiteral("/x/settings.sqlite"));
    }

    void signInRightWrongAndLocked() {
        QTemporaryDir dir;
        const QString path = makeStore(dir);
        MainWindow window;
        QVERIFY(window.openStore(path));
        StoreSession* session = window.storeSession();
        QVERIFY(!session->signedIn());  // several users: nobody is signed in unasked
        QCOMPARE(statusUser(window), QStringLiteral("not signed in"));

        SignInDialog dialog(session);
        dialog.userField()->setText(QStringLiteral("sam"));
        dialog.passwordField()->setText(QString::fromLatin1(kAnalystPw));
        QVERIFY(dialog.attempt());
        QVERIFY(dialog.passwordField()->text().isEmpty());  // not kept in the field
        QCOMPARE(statusUser(window), QStringLiteral("sam (analyst)"));
        session->signOut();

        // Wrong passwords: refused with core's words, the same as for an unknown user.
        SignInDialog again(session);
        again.userField()->setText(QStringLiteral("sam"));
        for (int i = 0; i < store::kMaxFailedLogins - 1; ++i) {
            again.passwordField()->setText(QStringLiteral("wrong-password-%1").arg(i));
            QVERIFY(!again.attempt());
            QVERIFY2(again.errorText().contains(QStringLiteral("wrong user name or password")),
                     qPrintable(again.errorText()));
        }
        QVERIFY(!session->signedIn());
        // The fifth locks the account, and says so.
        again.passwordField()->setText(QStringLiteral("wrong-password-last"));
        QVERIFY(!again.attempt());
        QVERIFY2(again.errorText().contains(QStringLiteral("locked")),
                 qPrintable(again.errorText()));
        // Now even the right password is refused as locked.
        again.passwordField()->setText(QString::fromLatin1(kAnalystPw));
        QVERIFY(!again.attempt());
        QVERIFY2(again.errorText().contains(QStringLiteral("is locked")),
                 qPrintable(again.errorText()));
        QVERIFY(!session->signedIn());
        store::Store& s = *session->store();
        QCOMPARE(countEvents(s, "login_failed", "sam"), store::kMaxFailedLogins + 1);
        QCOMPARE(countEvents(s, "account_locked", "sam"), 1);
        auto sam = s.users().find("sam");
        QVERIFY(sam && *sam && (*sam)->locked);

        // An unknown user gets the same words as a wrong password.
        again.userField()->setText(QStringLiteral("nobody"));
        again.passwordField()->setText(QStringLiteral("whatever-it-is"));
        QVERIFY(!again.attempt());
        QVERIFY(again.errorText().contains(QStringLiteral("wrong user name or password")));

        // An admin unlocks sam in the user administration; sam signs in again.
        QVERIFY(signIn(session, QStringLiteral("ada"), kAdminPw));
        UserAdminDialog users(session);
        QCOMPARE(users.table()->rowCount(), 4);
        QVERIFY(users.unlock(QStringLiteral("sam")));
        QVERIFY(signIn(session, QStringLiteral("sam"), kAnalystPw));
        QCOMPARE(countEvents(s, "user_unlocked", "ada"), 1);
    }

    // A store with several users asks at start: the sign-in dialog is modal over the window,
    // and a signed-in user shows in the status bar.
    void storeWithUsersAsksToSignInAtStart() {
        QTemporaryDir dir;
        const QString path = makeStore(dir);
        MainWindow window;
        QString seen;
        QTimer::singleShot(0, &window, [&] {
            auto* dialog = qobject_cast<SignInDialog*>(QApplication::activeModalWidget());
            if (!dialog) return;
            seen = dialog->windowTitle();
            dialog->userField()->setText(QStringLiteral("olga"));
            dialog->passwordField()->setText(QString::fromLatin1(kOfficerPw));
            if (!dialog->attempt()) dialog->reject();
        });
        // Never hang on a dialog that did not close.
        QTimer::singleShot(20000, &window, [] {
            if (auto* d = qobject_cast<QDialog*>(QApplication::activeModalWidget())) d->reject();
        });
        QVERIFY(window.openStore(path, true));
        QCOMPARE(seen, QStringLiteral("Sign in to the store"));
        QCOMPARE(statusUser(window), QStringLiteral("olga (loan_officer)"));
    }

    void recordAndOverrideLandInTheStore() {
        QTemporaryDir dir;
        const QString path = makeStore(dir);
        MainWindow window;
        QVERIFY(loadApplicant(window));
        QVERIFY(window.openStore(path));
        StoreSession* session = window.storeSession();
        ApplicantView* view = window.applicantView();
        auto* record = view->findChild<QPushButton*>(QStringLiteral("recordDecisionButton"));
        auto* overrideButton = view->findChild<QPushButton*>(QStringLiteral("overrideButton"));
        QVERIFY(record && overrideButton);
        QVERIFY(!record->isHidden());
        QVERIFY(!record->isEnabled());  // nobody signed in
        QVERIFY(signIn(session, QStringLiteral("olga"), kOfficerPw));
        QVERIFY(record->isEnabled());
        QVERIFY(!overrideButton->isEnabled());  // nothing recorded yet

        auto id = view->recordDecision();
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        QCOMPARE(view->lastDecisionId(), *id);
        QVERIFY(overrideButton->isEnabled());
        // Read back through core: the model, the score and the user as shown.
        auto found = session->store()->decisions().find(*id);
        QVERIFY(found && *found);
        const nlohmann::json& d = **found;
        const ScoreResult& shown = *view->result();
        QCOMPARE(d["user"].get<std::string>(), std::string("olga"));
        QCOMPARE(d["source"].get<std::string>(), std::string("gui"));
        QCOMPARE(d["score"].get<long>(), shown.score);
        QCOMPARE(d["pd"].get<double>(), shown.pd);
        QCOMPARE(d["decision"].get<std::string>(), toString(shown.decision));
        QCOMPARE(d["model"].get<std::string>(), window.model()->name);
        QCOMPARE(d["bundle_sha256"].get<std::string>().size(), std::size_t(64));
        // By pseudonym, never the id in clear.
        QVERIFY(d["applicant"].get<std::string>() != "N0001");
        QVERIFY(!d["reasons"].empty());

        const std::string to = toString(shown.decision) == "approve" ? "decline" : "approve";
        auto overridden =
            view->overrideDecision(QString::fromStdString(to), QStringLiteral("verified_income"),
                                   QStringLiteral("payslips checked in branch"));
        QVERIFY2(overridden, overridden ? "" : overridden.error().message.c_str());
        found = session->store()->decisions().find(*id);
        QVERIFY(found && *found);
        const nlohmann::json& o = (**found)["overrides"];
        QCOMPARE(o.size(), std::size_t(1));
        QCOMPARE(o[0]["user"].get<std::string>(), std::string("olga"));
        QCOMPARE(o[0]["reason_code"].get<std::string>(), std::string("verified_income"));
        QCOMPARE(o[0]["comment"].get<std::string>(), std::string("payslips checked in branch"));
        QCOMPARE((**found)["decision_in_force"].get<std::string>(), to);
        QCOMPARE(countEvents(*session->store(), "decision_overridden", "olga"), 1);

        // A reason code outside the store's list is refused by core.
        auto bad = view->overrideDecision(QStringLiteral("refer"), QStringLiteral("no_such_code"),
                                          QStringLiteral("x"));
        QVERIFY(!bad);
    }

    // Each role as core decides: the buttons are there for every signed-in user, and core's
    // refusal names the role needed.
    void permissionsByRole() {
        QTemporaryDir dir;
        const QString path = makeStore(dir);
        MainWindow window;
        QVERIFY(loadApplicant(window));
        QVERIFY(window.openStore(path));
        StoreSession* session = window.storeSession();
        ApplicantView* view = window.applicantView();
        AuditView* audit = window.auditView();

        // Analyst: records, may not override, may not read the audit trail or manage users.
        QVERIFY(signIn(session, QStringLiteral("sam"), kAnalystPw));
        auto byAnalyst = view->recordDecision();
        QVERIFY(byAnalyst);
        auto refused =
            view->overrideDecision(QStringLiteral("refer"), QStringLiteral("policy_exception"),
                                   QStringLiteral("should not pass"));
        QVERIFY(!refused);
        QVERIFY2(QString::fromStdString(refused.error().message).contains("loan_officer"),
                 refused.error().message.c_str());
        auto auditRefused = audit->refresh();
        QVERIFY(!auditRefused);
        QVERIFY(audit->statusText().contains(QStringLiteral("compliance")));
        QCOMPARE(audit->model()->rowCount(), 0);
        {
            UserAdminDialog users(session);
            QCOMPARE(users.table()->rowCount(), 0);
            QVERIFY2(users.errorText().contains(QStringLiteral("admin")),
                     qPrintable(users.errorText()));
        }

        // Loan officer: records and overrides; no audit trail.
        QVERIFY(signIn(session, QStringLiteral("olga"), kOfficerPw));
        QVERIFY(view->recordDecision());
        const QString other = toString(view->result()->decision) == "approve"
                                  ? QStringLiteral("decline")
                                  : QStringLiteral("approve");
        auto byOfficer = view->overrideDecision(other, QStringLiteral("relationship"),
                                                QStringLiteral("long-standing customer"));
        QVERIFY2(byOfficer, byOfficer ? "" : byOfficer.error().message.c_str());
        QVERIFY(!audit->refresh());

        // Compliance: may not record (the button is there; core refuses, naming the roles),
        // reads and verifies the audit trail.
        QVERIFY(signIn(session, QStringLiteral("cora"), kCompliancePw));
        auto* record = view->findChild<QPushButton*>(QStringLiteral("recordDecisionButton"));
        QVERIFY(record->isEnabled());
        auto byCompliance = view->recordDecision();
        QVERIFY(!byCompliance);
        const QString words = QString::fromStdString(byCompliance.error().message);
        QVERIFY2(words.contains("analyst") && words.contains("loan_officer"), qPrintable(words));
        auto shown = audit->refresh();
        QVERIFY2(shown, shown ? "" : shown.error().message.c_str());
        QVERIFY(*shown > 0);
        {
            UserAdminDialog users(session);
            QVERIFY(users.errorText().contains(QStringLiteral("admin")));
        }

        // Admin: the user administration works; an admin alone may not record.
        QVERIFY(signIn(session, QStringLiteral("ada"), kAdminPw));
        UserAdminDialog users(session);
        QCOMPARE(users.table()->rowCount(), 4);
        QVERIFY(users.addUser(QStringLiteral("lena"), {Role::LoanOfficer, Role::Analyst},
                              store::SecretString("lena-password-1")));
        QCOMPARE(users.table()->rowCount(), 5);
        QVERIFY(users.changeRoles(QStringLiteral("lena"), {Role::Compliance}));
        QVERIFY(
            users.resetPassword(QStringLiteral("lena"), store::SecretString("lena-password-2")));
        QVERIFY(!users.addUser(QStringLiteral("lena"), {Role::Analyst},
                               store::SecretString("lena-password-3")));
        QVERIFY(users.errorText().contains(QStringLiteral("already exists")));
        QVERIFY(!view->recordDecision());
        QVERIFY(!signIn(session, QStringLiteral("lena"), "lena-password-1"));
        QVERIFY(signIn(session, QStringLiteral("lena"), "lena-password-2"));
        QVERIFY(session->actor()->has(Role::Compliance));
        QVERIFY(!session->actor()->has(Role::LoanOfficer));
        store::Store& s = *session->store();
        QCOMPARE(countEvents(s, "user_added", "ada"), 4);  // cora, olga, sam, lena
        QCOMPARE(countEvents(s, "roles_changed", "ada"), 1);
        QCOMPARE(countEvents(s, "password_changed", "ada"), 1);
    }

    void auditViewVerifiesFiltersExportsAndCatchesTampering() {
        QTemporaryDir dir;
        const QString path = makeStore(dir);
        MainWindow window;
        QVERIFY(window.openStore(path));
        StoreSession* session = window.storeSession();
        QVERIFY(!signIn(session, QStringLiteral("sam"), "not-sams-password"));
        QVERIFY(signIn(session, QStringLiteral("cora"), kCompliancePw));
        AuditView* audit = window.auditView();
        AuditTableModel* model = audit->model();
        // Signing in refreshed the view: every entry core holds, in order, with typed roles.
        auto all = session->store()->audit().entries();
        QVERIFY(all);
        QCOMPARE(model->rowCount(), static_cast<int>(all->size()));
        QVERIFY(model->rowCount() >= 6);
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex i = model->index(row, AuditTableModel::EventColumn);
            QCOMPARE(i.data(AuditTableModel::SeqRole).value<qint64>(),
                     static_cast<qint64>((*all)[static_cast<std::size_t>(row)].seq));
            QCOMPARE(i.data(AuditTableModel::EventRole).toString().toStdString(),
                     (*all)[static_cast<std::size_t>(row)].event);
            QVERIFY(i.data(AuditTableModel::AtRole).toDateTime().isValid());
            QCOMPARE(i.data(AuditTableModel::HashRole).toString().size(), 64);
        }

        // Filters: by user and event, and by date (UTC days).
        audit->setFilter(QStringLiteral("sam"), QStringLiteral("login_failed"));
        QCOMPARE(audit->refresh().value(), std::size_t(1));
        QCOMPARE(model->index(0, 0).data(AuditTableModel::UserNameRole).toString(),
                 QStringLiteral("sam"));
        QCOMPARE(model->index(0, 0)
                     .data(AuditTableModel::DetailsRole)
                     .toJsonObject()["reason"]
                     .toString(),
                 QStringLiteral("wrong password"));
        const QDate today = QDateTime::currentDateTimeUtc().date();
        audit->setFilter({}, {}, today.addDays(1));
        QCOMPARE(audit->refresh().value(), std::size_t(0));
        audit->setFilter({}, {}, today, today);
        QCOMPARE(audit->refresh().value(), all->size());
        audit->setFilter({}, {});

        auto intact = audit->verifyChain();
        QVERIFY(intact && intact->intact);
        QVERIFY2(audit->statusText().startsWith(QStringLiteral("Chain intact")),
                 qPrintable(audit->statusText()));

        // Export CSV: a header and one line per entry; the export itself is audited.
        const QString csv = dir.filePath(QStringLiteral("audit.csv"));
        auto exported = audit->exportCsv(csv);
        QVERIFY(exported);
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QVERIFY(lines.first().startsWith("seq,at,user,event,details,prev_hash,hash"));
        QCOMPARE(static_cast<std::size_t>(lines.size() - 1), *exported);
        QCOMPARE(countEvents(*session->store(), "audit_exported", "cora"), 1);

        // Someone edits entry 3 in the file with SQLite, outside the store.
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(
                q.exec(QStringLiteral("UPDATE audit_log SET user_name = 'mallory' WHERE seq = 3")));
            QCOMPARE(q.numRowsAffected(), 1);
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tamper"));
        auto broken = audit->verifyChain();
        QVERIFY(broken);
        QVERIFY(!broken->intact);
        QCOMPARE(broken->firstBroken, std::int64_t(3));
        QVERIFY2(audit->statusText().startsWith(QStringLiteral("Chain BROKEN at entry 3")),
                 qPrintable(audit->statusText()));
        // Coming back to the view lists the trail as it is now.
        window.showView(window.applicantView());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showView(audit);
        QTRY_VERIFY(
            model->rowOfSeq(3) >= 0 &&
            model->index(model->rowOfSeq(3), 0).data(AuditTableModel::UserNameRole).toString() ==
                QStringLiteral("mallory"));
        const int row = model->rowOfSeq(3);
        QVERIFY(row >= 0);
        QVERIFY(model->index(row, 0).data(AuditTableModel::BrokenRole).toBool());
        QCOMPARE(model->index(row, 0).data(AuditTableModel::UserNameRole).toString(),
                 QStringLiteral("mallory"));
        QVERIFY(!model->index(row + 1, 0).data(AuditTableModel::BrokenRole).toBool());
    }

    // --screenshots adds audit.png (the Audit view of a throw-away store, chain verified) and
    // registry.png.
    // Last: renderScreenshots points QSettings at a temporary folder for the process.
    void screenshotsIncludeTheAuditView() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("shots"));
        const QString error =
            renderScreenshots(out, kModel, cwb::test::sourceFile(QStringLiteral("sample_data")));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QImage audit(out + QStringLiteral("/audit.png"));
        QVERIFY(!audit.isNull());
        QCOMPARE(audit.size(), QSize(1360, 900));
        // And registry.png: the Registry view after validation, approval and promotion.
        const QImage registry(out + QStringLiteral("/registry.png"));
        QVERIFY(!registry.isNull());
        QCOMPARE(registry.size(), QSize(1360, 900));
    }
};

QTEST_MAIN(TestStoreGui)
#include "tst_store_gui.moc"
