#include "store/Store.h"

#include "store/PostgresSetup.h"

#include <pwd.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace cwb::store {

namespace {

std::set<Role> everyRole() {
    return {allRoles().begin(), allRoles().end()};
}

Result<void> checkApplicationId(Database& db) {
    auto id = db.scalar("PRAGMA application_id");
    if (!id) return id.error();
    const int value = id->toInt();
    if (value != 0 && value != kStoreApplicationId)
        return Error::badInput("'" + db.location() +
                               "' is not a Credit Workbench store (another kind of SQLite file)");
    return {};
}

}  // namespace

Store::Store(std::unique_ptr<Database> db, const std::string& pseudonymKey)
    : m_db(std::move(db)),
      m_audit(*m_db),
      m_keys(*m_db, m_audit),
      m_users(*m_db, m_audit, m_keys),
      m_settings(*m_db, m_audit),
      m_pseudonymizer(pseudonymKey),
      m_decisions(*m_db, m_audit, m_settings, m_pseudonymizer),
      m_applicants(*m_db, m_audit, m_settings, m_pseudonymizer),
      m_registry(*m_db, m_audit, m_users, m_keys) {}

Result<std::string> Store::pseudonymKey() {
    auto v = m_db->scalar("SELECT value FROM store_meta WHERE key = 'pseudonym_key'");
    if (!v) return v.error();
    return v->toString().toStdString();
}

Store::~Store() = default;

std::string Store::defaultPath() {
    QString base = QString::fromLocal8Bit(qgetenv("XDG_DATA_HOME"));
    if (base.isEmpty()) base = QDir::homePath() + "/.local/share";
    // The GUI's QStandardPaths::AppDataLocation (organisation CreditWorkbench, application
    // credit-workbench), so that both find the same store.
    return (base + "/CreditWorkbench/credit-workbench/workbench.sqlite").toStdString();
}

std::string osUserName() {
    if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name)
        return pw->pw_name;
    const QByteArray user = qgetenv("USER");
    return user.isEmpty() ? std::string("user") : user.toStdString();
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path) {
    if (isPostgresAddress(path)) {
        auto db = Database::openPostgres(path);
        if (!db) return db.error();
        auto version = schemaVersion(**db);
        if (!version) return version.error();
        if (*version == 0)
            return Error::badInput("the database " + (*db)->location() +
                                   " holds no store yet: an administrator creates it with "
                                   "`cwb store init --store ADDRESS --admin NAME`");
        return openMigrated(std::move(*db), *version);
    }
    const QFileInfo info(QString::fromStdString(path));
    if (!info.exists()) return Error::badInput("store '" + path + "' does not exist");
    if (!info.isFile()) return Error::badInput("store '" + path + "' is not a file");
    auto db = Database::openSqlite(path, false);
    if (!db) return db.error();
    if (auto r = checkApplicationId(**db); !r) return r.error();
    auto version = schemaVersion(**db);
    if (!version) return version.error();
    if (*version == 0)
        return Error::badInput("'" + path + "' is not a Credit Workbench store (no schema)");
    return openMigrated(std::move(*db), *version);
}

Store::Reopen Store::reopener() const {
    return [reconnect = m_db->reconnector()]() -> Result<std::unique_ptr<Store>> {
        auto db = reconnect();
        if (!db) return db.error();
        auto version = schemaVersion(**db);
        if (!version) return version.error();
        return openMigrated(std::move(*db), *version);
    };
}

Result<std::unique_ptr<Store>> Store::openMigrated(std::unique_ptr<Database> db, int version) {
    if (auto r = migrate(*db, currentSchemaVersion()); !r) return r.error();
    auto key = db->scalar("SELECT value FROM store_meta WHERE key = 'pseudonym_key'");
    if (!key) return key.error();
    if (key->toString().size() != 64)
        return Error::badInput("store '" + db->location() +
                               "' has no valid pseudonym key (damaged)");
    std::unique_ptr<Store> store(new Store(std::move(db), key->toString().toStdString()));
    if (version < currentSchemaVersion())
        if (auto a = store->audit().append(osUserName(), "store_migrated",
                                           {{"from", version}, {"to", currentSchemaVersion()}});
            !a)
            return a.error();
    return store;
}

Result<void> Store::initialise(const std::string& pseudonymKey, const std::string& admin,
                               const SecretString* password, const std::set<Role>& roles,
                               std::vector<std::string>* setupDone) {
    Transaction tx(database());
    if (auto r = tx.begin(); !r) return r;
    for (const auto& [key, value] :
         {std::pair<QString, QString>{"store_id", QString::fromStdString(randomHex(16))},
          {"created_at", QString::fromStdString(utcNow())},
          {"pseudonym_key", QString::fromStdString(pseudonymKey)}}) {
        auto ins =
            database().run("INSERT INTO store_meta (key, value) VALUES (?, ?)", {key, value});
        if (!ins) return ins.error();
    }
    auto user = users().createFirst(admin, roles, password);
    if (!user) return user.error();
    nlohmann::json details = {{"admin", admin},
                              {"roles", rolesJson(roles)},
                              {"schema_version", currentSchemaVersion()},
                              {"single_user", password == nullptr}};
    if (database().dialect() == Dialect::Postgres) {
        auto setup = setUpPostgres(database());
        if (!setup) return setup.error();
        details["postgres_role"] = kAppRole;
        details["postgres_setup_statements"] = setup->size();
        if (setupDone) *setupDone = *setup;
    }
    if (auto a = audit().append(admin, "store_created", details); !a) return a.error();
    return tx.commit();
}

Result<std::unique_ptr<Store>> Store::createPostgres(const std::string& address,
                                                     const std::string& admin,
                                                     const SecretString* password,
                                                     const std::set<Role>& roles,
                                                     std::vector<std::string>* setupDone) {
    auto db = Database::openPostgres(address);
    if (!db) return db.error();
    auto version = schemaVersion(**db);
    if (!version) return version.error();
    if (*version != 0) return Error::badInput("store " + (*db)->location() + " already exists");
    // Two administrators running init at once: the advisory lock orders them, and the second
    // finds the schema there (migrate is a no-op) and fails on store_meta's primary key.
    if (auto r = migrate(**db, currentSchemaVersion()); !r) return r.error();
    const std::string key = randomHex(32);
    Store store(std::move(*db), key);
    if (auto r = store.initialise(key, admin, password, roles, setupDone); !r) return r.error();
    return open(address);
}

Result<std::unique_ptr<Store>> Store::create(const std::string& path, const std::string& admin,
                                             const SecretString* password,
                                             const std::set<Role>& roles,
                                             std::vector<std::string>* setupDone) {
    if (auto r = checkUserName(admin); !r) return r.error();
    if (password)
        if (auto r = checkPasswordRules(*password); !r) return r.error();
    if (isPostgresAddress(path)) return createPostgres(path, admin, password, roles, setupDone);
    if (QFileInfo::exists(QString::fromStdString(path)))
        return Error::badInput("store '" + path + "' already exists");
    const QFileInfo target(QString::fromStdString(path));
    if (!QDir().mkpath(target.absolutePath()))
        return Error::failure("cannot create the folder '" + target.absolutePath().toStdString() +
                              "'");
    // Built under a temporary name and renamed when complete: a store file either does not
    // exist or holds a schema, an admin and the first audit entry. Only the owner may read it
    // (personal data); SQLite gives -wal and -shm the same permissions.
    const QString temp = target.absoluteFilePath() + ".creating-" +
                         QString::number(QCoreApplication::applicationPid());
    {
        QFile file(temp);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Error::failure("cannot create '" + temp.toStdString() +
                                  "': " + file.errorString().toStdString());
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    const auto cleanUp = [&temp] {
        for (const char* suffix : {"", "-wal", "-shm"})
            QFile::remove(temp + suffix);
    };
    {
        auto db = Database::openSqlite(temp.toStdString(), true);
        if (!db) {
            cleanUp();
            return db.error();
        }
        Result<void> built = [&]() -> Result<void> {
            auto appId =
                (*db)->run("PRAGMA application_id = " + QString::number(kStoreApplicationId));
            if (!appId) return appId.error();
            if (auto r = migrate(**db, currentSchemaVersion()); !r) return r;
            const std::string key = randomHex(32);
            Store store(std::move(*db), key);
            if (auto r = store.initialise(key, admin, password, roles, nullptr); !r) return r;
            // Folding the WAL back into the file before the rename: the store is one file.
            auto checkpoint = store.database().run("PRAGMA wal_checkpoint(TRUNCATE)");
            if (!checkpoint) return checkpoint.error();
            return {};
        }();
        if (!built) {
            cleanUp();
            return built.error();
        }
    }
    QFile::remove(temp + "-wal");
    QFile::remove(temp + "-shm");
    // QFile::rename refuses an existing target: a store made meanwhile by another process wins.
    if (!QFile::rename(temp, target.absoluteFilePath())) {
        cleanUp();
        if (QFileInfo::exists(target.absoluteFilePath()))
            return Error::badInput("store '" + path + "' already exists");
        return Error::failure("cannot create store '" + path + "'");
    }
    return open(path);
}

Result<std::unique_ptr<Store>> Store::openForDesktop(const std::string& path,
                                                     const std::string& osUser) {
    // A team store is created by its administrator (`cwb store init`), never on first use.
    if (isPostgresAddress(path)) return open(path);
    if (!QFileInfo::exists(QString::fromStdString(path))) {
        auto created = create(path, osUser, nullptr, everyRole());
        if (created) return created;
        // Another process may have created it at the same moment.
        if (!QFileInfo::exists(QString::fromStdString(path))) return created;
    }
    return open(path);
}

Result<std::string> Store::storeId() {
    auto v = m_db->scalar("SELECT value FROM store_meta WHERE key = 'store_id'");
    if (!v) return v.error();
    return v->toString().toStdString();
}

}  // namespace cwb::store
