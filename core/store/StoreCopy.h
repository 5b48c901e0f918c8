#pragma once
// `cwb store migrate --from workbench.sqlite --to postgresql://...` (issue 14): copies a personal
// store into an empty team database, every table row for row with its ids, the pseudonym key
// and the audit trail unchanged, so that the chain (and every pseudonym) stays valid on the
// target. Then the PostgreSQL setup (store/PostgresSetup.h) and one more audit entry naming the
// source and its head; all in one transaction on the target, which is verified before commit.

#include <string>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "store/Roles.h"

namespace cwb::store {

class Store;

// `from` is open and at the current schema version; `by` must be one of its admins. The target
// database must hold no store (exit 2 otherwise). Returns a summary: rows per table, audit
// entries, the source's head and the target's head after the migration entry.
Result<nlohmann::json> copyStoreToPostgres(Store& from, const Actor& by,
                                           const std::string& toAddress);

}  // namespace cwb::store
