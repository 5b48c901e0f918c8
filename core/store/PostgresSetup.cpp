#include "store/PostgresSetup.h"

namespace cwb::store {

std::vector<std::string> postgresSetupStatements() {
    return {
        // The group role: no login of its own; people log in as themselves and are members.
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cwb_app') THEN "
        "CREATE ROLE cwb_app NOLOGIN; END IF; END $$",
        // Nobody else may read the store (it holds personal data and password hashes).
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
        "GRANT USAGE ON SCHEMA public TO cwb_app",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cwb_app",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cwb_app",
        // The audit trail: read and append only, for the application's role.
        "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM cwb_app",
        // Tables a later schema version adds (by the same owner) get the same grants.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON "
        "TABLES TO cwb_app",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO cwb_app",
        // Enforced by the database as well, for every role but a superuser who disables
        // triggers: an UPDATE, DELETE or TRUNCATE of audit_log fails.
        "CREATE OR REPLACE FUNCTION cwb_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $$",
        "CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION cwb_audit_append_only()",
        "CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION cwb_audit_append_only()",
    };
}

Result<std::vector<std::string>> setUpPostgres(Database& db) {
    if (db.dialect() != Dialect::Postgres)
        return Error::failure("the PostgreSQL setup runs on a PostgreSQL store only (a bug)");
    const std::vector<std::string> statements = postgresSetupStatements();
    const bool own = !db.inTransaction();
    Transaction tx(db);
    if (own)
        if (auto r = tx.begin(); !r) return r.error();
    for (const std::string& statement : statements) {
        auto r = db.run(QString::fromStdString(statement));
        if (!r)
            return Error::failure(
                "setting up the PostgreSQL store failed (nothing of it was "
                "kept): " +
                r.error().message);
    }
    if (own)
        if (auto r = tx.commit(); !r) return r.error();
    return statements;
}

}  // namespace cwb::store
