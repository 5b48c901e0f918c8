#pragma once
// Helpers for the store tests: a fresh store file in a scratch folder, an admin with a known
// password, and direct access to the file with the SQLite C API (to play the attacker who edits
// the file behind the store's back).

#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <string>

#include "common/Sqlite.h"
#include "store/Store.h"

namespace cwb::test {

inline const char* kAdminPassword = "admin-secret-1";

inline std::unique_ptr<store::Store> makeStore(const QTemporaryDir& dir,
                                               const char* name = "work.sqlite") {
    store::SecretString password(kAdminPassword);
    auto created = store::Store::create(dir.filePath(name).toStdString(), "root", &password);
    if (!created) qWarning("%s", created.error().message.c_str());
    return created ? std::move(*created) : nullptr;
}

inline store::Actor login(store::Store& s, const std::string& name, const std::string& password) {
    store::SecretString secret(password);
    auto actor = s.users().authenticate(name, &secret);
    if (!actor) qWarning("%s", actor.error().message.c_str());
    return actor ? *actor : store::Actor{};
}

// Runs SQL on the file directly (the store must be closed).
inline bool tamper(const std::string& path, const std::string& sql) {
    auto db = SqliteDatabase::open(path, SqliteDatabase::Mode::ReadWriteCreate);
    if (!db) return false;
    auto r = db->exec(sql);
    if (!r) qWarning("%s", r.error().message.c_str());
    return r.ok();
}

}  // namespace cwb::test
