#pragma once
// What only the PostgreSQL team store has (issue 14, `cwb store init` on PostgreSQL): the
// application's group role and its grants, and the append-only guard of the audit trail. Kept
// out of the shared migrations, which stay portable between SQLite and PostgreSQL (see
// decision 38); docs/team-store.md prints the same SQL for an
// administrator who sets the database up by hand.
//
// Every statement is idempotent: running the setup again (after a schema migration added
// tables) grants on the new tables and changes nothing else.

#include <string>
#include <vector>

#include "common/Result.h"
#include "store/Database.h"

namespace cwb::store {

// The group role every workbench login of the team is a member of (GRANT cwb_app TO alice).
inline const std::string kAppRole = "cwb_app";

// The setup statements, in order, as run (and printed by `cwb store init`).
std::vector<std::string> postgresSetupStatements();

// Runs them in one transaction on a PostgreSQL store whose schema exists. The connected user
// must own the tables and may create roles (CREATEROLE) unless cwb_app exists already.
// Returns the statements it ran.
Result<std::vector<std::string>> setUpPostgres(Database& db);

}  // namespace cwb::store
