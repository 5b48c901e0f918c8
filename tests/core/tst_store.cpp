// The store's users, roles, passwords, lockout, first start and schema migrations, on real stores
// (SQLite files, and PostgreSQL databases when CWB_TEST_STORE_BACKEND=postgresql; issues 11, 14).

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "StoreTestSupport.h"
#include "TestSupport.h"

using namespace cwb;
using namespace cwb::store;
using namespace cwb::test;

namespace {
AuditFilter events(const std::string& user, const std::string& event) {
    AuditFilter f;
    f.user = user;
    f.event = event;
    return f;
}
}  // namespace

class TstStore : public QObject {
    Q_OBJECT
private slots:
    void createdStoreHasAdminAndFirstEntry();
    void rightPasswordLogsInWrongOneIsRefused();
    void fiveWrongPasswordsLockTheAccount();
    void disabledAccountCannotLogIn();
    void rolesAllowedAndRefused_data();
    void rolesAllowedAndRefused();
    void onlyAdminsManageUsers();
    void userChangesOwnPasswordOnly();
    void desktopStoreIsCreatedForTheOsUser();
    void foreignFilesAreRefused();
    void failingMigrationRollsBack();
    void newerStoreIsRefused();
    void passwordsAreNeverStoredInClear();
};

void TstStore::createdStoreHasAdminAndFirstEntry() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    QVERIFY(s);
    auto root = s->users().find("root");
    QVERIFY(root && *root);
    QCOMPARE((*root)->roles, std::set<Role>{Role::Admin});
    QVERIFY((*root)->hasPassword);
    auto entries = s->audit().entries();
    QVERIFY(entries);
    QCOMPARE(entries->size(), std::size_t(1));
    QCOMPARE(entries->front().event, std::string("store_created"));
    auto version = schemaVersion(s->database());
    QVERIFY(version);
    QCOMPARE(*version, currentSchemaVersion());
    // The store file is private to its owner: it will hold personal data.
    if (!onPostgres())
        QCOMPARE(QFile(dir.filePath("work.sqlite")).permissions() &
                     (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
    // A second create on the same path is refused, the first store untouched.
    SecretString pw("another-password");
    auto again = Store::create(storeLocation(dir), "eve", &pw);
    QVERIFY(!again);
    QVERIFY(QString::fromStdString(again.error().message).contains("already exists"));
}

void TstStore::rightPasswordLogsInWrongOneIsRefused() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    QVERIFY(s);
    SecretString wrong("not-the-password");
    auto refused = s->users().authenticate("root", &wrong);
    QVERIFY(!refused);
    QVERIFY(
        QString::fromStdString(refused.error().message).contains("wrong user name or password"));
    SecretString right(kAdminPassword);
    auto actor = s->users().authenticate("root", &right);
    QVERIFY(actor);
    QCOMPARE(actor->name, std::string("root"));
    // A wrong name is refused with the same words, and audited too.
    auto unknown = s->users().authenticate("nobody", &right);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().message, refused.error().message);
    auto failed = s->audit().entries(events("", "login_failed"));
    QVERIFY(failed);
    QCOMPARE(failed->size(), std::size_t(2));
    QVERIFY(QString::fromStdString(failed->at(0).details).contains("wrong password"));
    QVERIFY(QString::fromStdString(failed->at(1).details).contains("unknown user"));
    auto root = s->users().find("root");
    QCOMPARE((*root)->failedLogins, 0);  // the good login reset the count
}

void TstStore::fiveWrongPasswordsLockTheAccount() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    QVERIFY(s);
    const Actor root = login(*s, "root", kAdminPassword);
    SecretString bobPassword("bob-password-1");
    QVERIFY(s->users().add(root, "bob", {Role::Analyst}, bobPassword));
    SecretString wrong("guess-guess");
    for (int i = 1; i <= kMaxFailedLogins; ++i) {
        auto r = s->users().authenticate("bob", &wrong);
        QVERIFY(!r);
        auto bob = s->users().find("bob");
        QCOMPARE((*bob)->failedLogins, i);
        QCOMPARE((*bob)->locked, i == kMaxFailedLogins);
        if (i == kMaxFailedLogins)
            QVERIFY(QString::fromStdString(r.error().message).contains("locked"));
    }
    // Locked: even the right password is refused now.
    auto locked = s->users().authenticate("bob", &bobPassword);
    QVERIFY(!locked);
    QVERIFY(QString::fromStdString(locked.error().message).contains("an admin must unlock"));
    auto lockEntries = s->audit().entries(events("", "account_locked"));
    QCOMPARE(lockEntries->size(), std::size_t(1));
    auto failed = s->audit().entries(events("bob", "login_failed"));
    QCOMPARE(failed->size(), std::size_t(kMaxFailedLogins + 1));
    // Bob cannot unlock himself; the admin can.
    QVERIFY(!s->users().unlock(Actor{"bob", {Role::Analyst}}, "bob"));
    QVERIFY(s->users().unlock(root, "bob"));
    QVERIFY(s->users().authenticate("bob", &bobPassword));
    // Four wrong then a right one: the count starts again, no lock.
    for (int i = 0; i < kMaxFailedLogins - 1; ++i)
        QVERIFY(!s->users().authenticate("bob", &wrong));
    QVERIFY(s->users().authenticate("bob", &bobPassword));
    QVERIFY(!s->users().authenticate("bob", &wrong));
    QCOMPARE((*s->users().find("bob"))->locked, false);
    QVERIFY(s->audit().verify()->intact);
}

void TstStore::disabledAccountCannotLogIn() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Actor root = login(*s, "root", kAdminPassword);
    SecretString pw("carol-password");
    QVERIFY(s->users().add(root, "carol", {Role::Compliance}, pw));
    QVERIFY(s->users().disable(root, "carol"));
    auto r = s->users().authenticate("carol", &pw);
    QVERIFY(!r);
    QVERIFY(QString::fromStdString(r.error().message).contains("disabled"));
    QVERIFY(!s->users().disable(root, "root"));  // never lock out the last way in
    QVERIFY(s->users().enable(root, "carol"));
    QVERIFY(s->users().authenticate("carol", &pw));
}

void TstStore::rolesAllowedAndRefused_data() {
    QTest::addColumn<int>("action");
    QTest::addColumn<QStringList>("allowed");
    QTest::newRow("record") << int(Action::RecordDecision)
                            << QStringList{"analyst", "loan_officer"};
    QTest::newRow("override") << int(Action::OverrideDecision) << QStringList{"loan_officer"};
    QTest::newRow("users") << int(Action::ManageUsers) << QStringList{"admin"};
    QTest::newRow("settings") << int(Action::ChangeSettings) << QStringList{"admin"};
    QTest::newRow("audit") << int(Action::ReadAudit) << QStringList{"compliance", "admin"};
    QTest::newRow("view") << int(Action::ViewApplicant)
                          << QStringList{"analyst", "loan_officer", "compliance"};
    QTest::newRow("pii") << int(Action::ViewPii) << QStringList{"loan_officer", "compliance"};
    QTest::newRow("export") << int(Action::ExportApplicant) << QStringList{"compliance"};
    QTest::newRow("erase") << int(Action::EraseApplicant) << QStringList{"compliance"};
    QTest::newRow("purge") << int(Action::PurgeStore) << QStringList{"admin", "compliance"};
    QTest::newRow("register") << int(Action::RegisterModel) << QStringList{"data_scientist"};
    QTest::newRow("validate") << int(Action::ValidateModel)
                              << QStringList{"data_scientist", "compliance"};
    QTest::newRow("thresholds") << int(Action::ChangeThresholds) << QStringList{"compliance"};
    QTest::newRow("approve") << int(Action::ApproveModel) << QStringList{"compliance"};
    QTest::newRow("promote") << int(Action::PromoteModel) << QStringList{"compliance"};
}

void TstStore::rolesAllowedAndRefused() {
    QFETCH(int, action);
    QFETCH(QStringList, allowed);
    for (Role role : allRoles()) {
        const QString name = QString::fromStdString(roleName(role));
        const Actor actor{"u", {role}};
        auto r = require(actor, Action(action));
        QCOMPARE(r.ok(), allowed.contains(name));
        if (!r.ok()) {
            // The refusal names a role that would do.
            const QString message = QString::fromStdString(r.error().message);
            QVERIFY2(message.contains("needs the role " + allowed.front()), qPrintable(message));
            QVERIFY(message.contains("(" + name + ")"));
        }
    }
}

void TstStore::onlyAdminsManageUsers() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Actor root = login(*s, "root", kAdminPassword);
    SecretString pw("dana-password");
    QVERIFY(s->users().add(root, "dana", {Role::Analyst, Role::LoanOfficer}, pw));
    const Actor dana = login(*s, "dana", "dana-password");
    QCOMPARE(dana.roles, (std::set<Role>{Role::Analyst, Role::LoanOfficer}));
    SecretString other("eric-password");
    auto refused = s->users().add(dana, "eric", {Role::Admin}, other);
    QVERIFY(!refused);
    QVERIFY(QString::fromStdString(refused.error().message).contains("needs the role admin"));
    QVERIFY(!s->users().find("eric")->has_value());
    QVERIFY(!s->users().setRoles(dana, "dana", {Role::Admin}));
    QVERIFY(!s->users().list(dana));
    QVERIFY(!s->users().disable(dana, "root"));
    QVERIFY(s->users().setRoles(root, "dana", {Role::Compliance}));
    QCOMPARE(login(*s, "dana", "dana-password").roles, std::set<Role>{Role::Compliance});
    // Rules on names, roles and passwords.
    QVERIFY(!s->users().add(root, "bad name", {Role::Analyst}, pw));
    QVERIFY(!s->users().add(root, "fred", {}, pw));
    SecretString shortPw("short");
    QVERIFY(!s->users().add(root, "fred", {Role::Analyst}, shortPw));
    QVERIFY(!s->users().add(root, "dana", {Role::Analyst}, pw));  // exists
    auto added = s->audit().entries(events("root", "user_added"));
    QCOMPARE(added->size(), std::size_t(1));
    QVERIFY(s->audit().entries(events("", "roles_changed"))->size() == 1);
}

void TstStore::userChangesOwnPasswordOnly() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Actor root = login(*s, "root", kAdminPassword);
    SecretString pw("gina-password");
    QVERIFY(s->users().add(root, "gina", {Role::Analyst}, pw));
    SecretString pw2("hank-password");
    QVERIFY(s->users().add(root, "hank", {Role::Analyst}, pw2));
    const Actor gina = login(*s, "gina", "gina-password");
    SecretString fresh("gina-new-password");
    QVERIFY(s->users().setPassword(gina, "gina", fresh));
    QVERIFY(!s->users().setPassword(gina, "hank", fresh));  // not an admin
    QCOMPARE(login(*s, "gina", "gina-new-password").name, std::string("gina"));
    SecretString old("gina-password");
    QVERIFY(!s->users().authenticate("gina", &old));
    QVERIFY(s->users().setPassword(root, "hank", fresh));  // admins reset anyone's
    QCOMPARE(login(*s, "hank", "gina-new-password").name, std::string("hank"));
}

void TstStore::desktopStoreIsCreatedForTheOsUser() {
    QTemporaryDir dir;
    const std::string me = osUserName();
    if (onPostgres()) {
        // A team store is made by its administrator, never on a workbench's first start.
        auto refused = Store::openForDesktop(storeLocation(dir, "empty"), me);
        QVERIFY(!refused);
        QVERIFY2(QString::fromStdString(refused.error().message).contains("holds no store yet"),
                 refused.error().message.c_str());
        QCOMPARE(refused.error().kind, ErrorKind::BadInput);
        return;
    }
    const std::string path = dir.filePath("sub/dir/workbench.sqlite").toStdString();
    auto s = Store::openForDesktop(path, me);
    QVERIFY2(s, s ? "" : s.error().message.c_str());
    // No password while the store has one user: the OS account is the login.
    auto actor = (*s)->users().authenticate(me, nullptr);
    QVERIFY(actor);
    QCOMPARE(actor->roles.size(), allRoles().size());
    // A second user needs the admin to have a password first.
    SecretString pw("someone-password");
    auto refused = (*s)->users().add(*actor, "someone", {Role::Analyst}, pw);
    QVERIFY(!refused);
    QVERIFY(QString::fromStdString(refused.error().message).contains("password"));
    SecretString mine("my-own-password");
    QVERIFY((*s)->users().setPassword(*actor, me, mine));
    QVERIFY((*s)->users().add(*actor, "someone", {Role::Analyst}, pw));
    QVERIFY(!(*s)->users().authenticate(me, nullptr));
    QVERIFY((*s)->users().authenticate(me, &mine));
    s->reset();
    // Opened again: the same store, not a new one.
    auto again = Store::openForDesktop(path, me);
    QVERIFY(again);
    QCOMPARE(*(*again)->users().count(), std::int64_t(2));
}

void TstStore::foreignFilesAreRefused() {
    QTemporaryDir dir;
    if (onPostgres()) {
        // A database that holds someone else's tables is not filled with the store's.
        const std::string other = storeLocation(dir, "other");
        QVERIFY(tamper(other, "CREATE TABLE t (x INTEGER)"));
        auto r = Store::open(other);
        QVERIFY(!r);
        QVERIFY(QString::fromStdString(r.error().message).contains("not a Credit Workbench store"));
        SecretString pw(kAdminPassword);
        auto created = Store::create(other, "root", &pw);
        QVERIFY(!created);
        QVERIFY(!Store::open(postgresAddress("no_such_database")));
        return;
    }
    // A model bundle (another application_id) and a plain SQLite database of someone else.
    const std::string bundle = sourcePath("models/german_credit.cwbm");
    if (QFile::exists(QString::fromStdString(bundle))) {
        const QString copy = dir.filePath("model.cwbm");
        QVERIFY(QFile::copy(QString::fromStdString(bundle), copy));
        auto r = Store::open(copy.toStdString());
        QVERIFY(!r);
        QVERIFY(QString::fromStdString(r.error().message).contains("not a Credit Workbench store"));
    }
    const std::string other = dir.filePath("other.sqlite").toStdString();
    QVERIFY(tamper(other, "CREATE TABLE t (x INTEGER)"));
    auto r = Store::open(other);
    QVERIFY(!r);
    QVERIFY(QString::fromStdString(r.error().message).contains("not a Credit Workbench store"));
    const std::string text = writeFile(dir, "notes.txt", "hello, not a database at all\n");
    QVERIFY(!Store::open(text));
    QVERIFY(!Store::open(dir.filePath("missing.sqlite").toStdString()));
}

void TstStore::failingMigrationRollsBack() {
    QTemporaryDir dir;
    const std::string path = storeLocation(dir, "m.sqlite");
    auto db = Database::open(path, true);
    QVERIFY(db);
    std::vector<Migration> migrations = storeMigrations();
    const int broken = migrations.back().version + 1;
    migrations.push_back(
        {broken,
         "a migration that fails half way",
         {"CREATE TABLE half_done (x INTEGER)", "INSERT INTO no_such_table VALUES (1)"}});
    QVERIFY(migrate(**db, currentSchemaVersion(), migrations));
    auto r = migrate(**db, broken, migrations);
    QVERIFY(!r);
    QVERIFY(QString::fromStdString(r.error().message).contains("rolled back"));
    QCOMPARE(*schemaVersion(**db), currentSchemaVersion());
    QVERIFY(!(*db)->connection().tables().contains("half_done"));
    QVERIFY(!(*db)->inTransaction());
}

void TstStore::newerStoreIsRefused() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    s.reset();
    const std::string path = storeLocation(dir);
    QVERIFY(tamper(path, "UPDATE store_meta SET value = '999' WHERE key = 'schema_version'"));
    auto r = Store::open(path);
    QVERIFY(!r);
    QVERIFY(QString::fromStdString(r.error().message).contains("newer than this program"));
}

void TstStore::passwordsAreNeverStoredInClear() {
    QTemporaryDir dir;
    auto s = makeStore(dir);
    const Actor root = login(*s, "root", kAdminPassword);
    SecretString pw("ivy-unique-password-xyz");
    QVERIFY(s->users().add(root, "ivy", {Role::Analyst}, pw));
    auto hash = s->database().scalar("SELECT password_hash FROM users WHERE name = 'ivy'");
    QVERIFY(hash->toString().startsWith("$argon2id$"));
    s.reset();
    if (onPostgres()) {
        for (const auto& row : tamperRead(storeLocation(dir), "SELECT u::text FROM users u", 1)) {
            QVERIFY(row[0].find("ivy-unique-password-xyz") == std::string::npos);
            QVERIFY(row[0].find(kAdminPassword) == std::string::npos);
        }
        return;
    }
    for (const char* suffix : {"", "-wal"}) {
        QFile f(dir.filePath(QString("work.sqlite") + suffix));
        if (!f.open(QIODevice::ReadOnly)) continue;
        const QByteArray bytes = f.readAll();
        QVERIFY(!bytes.contains("ivy-unique-password-xyz"));
        QVERIFY(!bytes.contains(kAdminPassword));
    }
}

QTEST_GUILESS_MAIN(TstStore)
#include "tst_store.moc"
