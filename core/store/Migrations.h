#pragma once
// The store's versioned schema. Version N is reached from N-1 by migration N; every migration
// runs inside one transaction together with the version bump, so a failing migration leaves the
// store exactly at the version it had (nothing half-applied). The SQL is portable between
// SQLite and PostgreSQL; `{ID}` stands for the dialect's auto-numbered primary key.

#include <functional>
#include <string>
#include <vector>

#include "common/Result.h"
#include "store/Database.h"

namespace cwb::store {

struct Migration {
    int version = 0;  // the schema version this migration produces
    std::string description;
    std::vector<std::string> statements;
};

// Every migration of the store, oldest first; the last one's version is the current schema.
const std::vector<Migration>& storeMigrations();
int currentSchemaVersion();

// 0 for a store without schema yet (a new, empty file).
Result<int> schemaVersion(Database& db);

// Brings the store from its version up to `target` with `migrations` (each in its own
// transaction). A store newer than the program is refused, never downgraded.
Result<void> migrate(Database& db, int target,
                     const std::vector<Migration>& migrations = storeMigrations());

}  // namespace cwb::store
