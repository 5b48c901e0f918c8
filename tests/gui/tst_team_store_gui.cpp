// The team store in the GUI (issue 14, decision 38), against a real PostgreSQL 15 server started
// for this test (tests/common/PostgresServer.h): the Settings' store location takes a
// postgresql:// address (a password in it is refused), the database password is asked in a
// dialog when the store opens (libpq has none: no PGPASSWORD, no ~/.pgpass) and is never saved
// in the settings, the audit trail or the log; a cancelled dialog opens nothing. Signed in, a
// decision is recorded in the team store, and the Audit view's extract, made on a worker with a
// connection of its own, reuses the typed password instead of asking again.

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPdfDocument>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "../common/PostgresServer.h"
#include "../common/TestPaths.h"
#include "store/Store.h"
#include "ui/applicant/ApplicantView.h"
#include "ui/audit/AuditView.h"
#include "ui/reports/ReportPreviewDialog.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/SettingsDialog.h"
#include "ui/store/SignInDialog.h"
#include "ui/store/StorePasswordDialog.h"
#include "ui/store/StoreSession.h"

using namespace cwb;
using namespace cwb::ui;
using cwb::test::PostgresServer;
using store::Role;

namespace {

const char* const kServerPassword = "pg-team-secret-7";
const char* const kAdminPw = "ada-password-1";
const char* const kOfficerPw = "olga-password-1";
const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kApplicants = cwb::test::sourceFile(QStringLiteral("sample_data/applicants.csv"));

// Answers the dialogs that open while `window` opens the team store: the database password,
// then the sign-in. Records what it saw.
struct DialogAnswers {
    QString databasePassword;  // empty: cancel the password dialog
    QString user, userPassword;
    QStringList seen;
    void arm(QObject* context) {
        auto* timer = new QTimer(context);
        timer->setInterval(50);
        QObject::connect(timer, &QTimer::timeout, context, [this] {
            QWidget* modal = QApplication::activeModalWidget();
            if (auto* d = qobject_cast<StorePasswordDialog*>(modal)) {
                seen << QStringLiteral("password");
                if (databasePassword.isEmpty()) {
                    d->reject();
                    return;
                }
                d->passwordField()->setText(databasePassword);
                d->accept();
            } else if (auto* s = qobject_cast<SignInDialog*>(modal)) {
                seen << QStringLiteral("sign-in");
                s->userField()->setText(user);
                s->passwordField()->setText(userPassword);
                if (!s->attempt()) s->reject();
            }
        });
        timer->start();
    }
};

}  // namespace

class TeamStoreGuiTest : public QObject {
    Q_OBJECT
    PostgresServer m_pg;
    QTemporaryDir m_home;
    QString m_address;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        if (!PostgresServer::available()) QSKIP("PostgreSQL 15 is not installed");
        PostgresServer::Options options;
        options.password = kServerPassword;  // TCP needs it (scram-sha-256)
        QString error;
        QVERIFY2(m_pg.start(&error, options), qPrintable(error));
        auto made = m_pg.sql("CREATE DATABASE team");
        QVERIFY2(made.ok(), made.err.constData());
        m_address = "postgresql://postgres@127.0.0.1:" + QString::number(m_pg.port()) + "/team";
        // No ~/.pgpass of the caller's; the administrator's setup uses PGPASSWORD once.
        qputenv("HOME", m_home.path().toUtf8());
        qunsetenv("CWB_STORE");
        qunsetenv("PGPASSFILE");
        qputenv("PGPASSWORD", kServerPassword);
        const store::SecretString admin(kAdminPw);
        auto s = store::Store::create(m_address.toStdString(), "ada", &admin, {Role::Admin});
        QVERIFY2(s.ok(), s ? "" : s.error().message.c_str());
        auto ada = (*s)->users().authenticate("ada", &admin);
        QVERIFY(ada.ok());
        QVERIFY((*s)->users().add(*ada, "olga", {Role::LoanOfficer, Role::Compliance},
                                  store::SecretString(kOfficerPw)));
        qunsetenv("PGPASSWORD");  // from here on the workbench has to ask
    }

    void cleanupTestCase() { m_pg.stop(); }

    // The store location accepts a team address; one holding a password, or an unknown
    // parameter, is refused with core's words before it is saved.
    void settingsTakeATeamAddress() {
        AppSettings settings;
        settings.storePath = m_address + "?sslmode=disable";
        SettingsDialog ok(settings, nullptr);
        QCOMPARE(ok.validationError(), QString());
        QCOMPARE(ok.settings().storePath, settings.storePath);
        settings.storePath = "postgresql://postgres:secret@127.0.0.1:5432/team";
        SettingsDialog withPassword(settings, nullptr);
        QVERIFY2(withPassword.validationError().contains("password"),
                 qPrintable(withPassword.validationError()));
        settings.storePath = m_address + "?sslmod=require";
        SettingsDialog typo(settings, nullptr);
        QVERIFY2(typo.validationError().contains("sslmod"), qPrintable(typo.validationError()));
    }

    // Cancel at the password: no store, a status message, nothing left open.
    void cancelledPasswordOpensNothing() {
        MainWindow window;
        DialogAnswers answers;
        answers.arm(&window);
        QVERIFY(!window.openStore(m_address, true));
        QCOMPARE(answers.seen, QStringList{QStringLiteral("password")});
        QVERIFY(!window.storeSession()->isOpen());
    }

    // The password dialog, then the sign-in; the store is the team's; the typed password is
    // nowhere in the settings or the audit trail. A decision recorded in the GUI lands in the
    // team store, and the audit extract's worker connection reuses the password.
    void passwordAskedOnceAndNeverSaved() {
        MainWindow window;
        DialogAnswers answers;
        answers.databasePassword = QString::fromLatin1(kServerPassword);
        answers.user = QStringLiteral("olga");
        answers.userPassword = QString::fromLatin1(kOfficerPw);
        answers.arm(&window);
        QVERIFY(window.openStore(m_address, true));
        QCOMPARE(answers.seen, (QStringList{"password", "sign-in"}));
        StoreSession* session = window.storeSession();
        QVERIFY(session->isOpen());
        QVERIFY(session->signedIn());
        QCOMPARE(session->actor()->name, std::string("olga"));
        QVERIFY(session->path().startsWith("postgresql://"));
        QVERIFY(!session->path().contains(kServerPassword));

        // Record a decision through the Applicant view.
        QVERIFY(window.openModel(kModel, true));
        ApplicantView* view = window.applicantView();
        QSignalSpy loaded(view, &ApplicantView::loaded);
        view->loadFromFile(kApplicants, 1);
        QVERIFY(loaded.wait(30000));
        auto id = view->recordDecision();
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        auto found = session->store()->decisions().find(*id);
        QVERIFY(found && *found);
        QCOMPARE((**found)["user"].get<std::string>(), std::string("olga"));

        // The extract on a worker: no second password dialog, the chain verifies.
        AuditView* audit = window.auditView();
        ReportPreviewDialog* dialog = audit->exportReport();
        QVERIFY(dialog);
        QSignalSpy ready(dialog, &ReportPreviewDialog::ready);
        QVERIFY(ready.wait(120000));
        QVERIFY2(ready.at(0).at(0).toBool(), qPrintable(ready.at(0).at(1).toString()));
        QCOMPARE(answers.seen, (QStringList{"password", "sign-in"}));
        QVERIFY(dialog->document()->pageCount() >= 1);
        dialog->close();
        auto check = session->store()->audit().verify();
        QVERIFY(check && check->intact);

        // Not in the trail, not in the settings file.
        auto entries = session->store()->audit().entries({});
        QVERIFY(entries.ok());
        for (const auto& e : *entries)
            QVERIFY2(e.details.find(kServerPassword) == std::string::npos, e.details.c_str());
        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        if (file.open(QIODevice::ReadOnly)) QVERIFY(!file.readAll().contains(kServerPassword));
        // The window's own status line names the user, not the password.
        auto* user = window.findChild<QLabel*>(QStringLiteral("statusUser"));
        QVERIFY(user && !user->toolTip().contains(kServerPassword));
    }
};

QTEST_MAIN(TeamStoreGuiTest)
#include "tst_team_store_gui.moc"
