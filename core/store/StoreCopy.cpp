#include "store/StoreCopy.h"

#include <QRegularExpression>
#include <QSqlRecord>

#include <vector>

#include "store/PostgresSetup.h"
#include "store/Store.h"

namespace cwb::store {

namespace {

// The store's tables in the order the migrations create them: a table's foreign keys point
// only to tables made before it, so copying in this order satisfies every constraint.
std::vector<QString> tablesInCreationOrder() {
    static const QRegularExpression create(R"(^\s*CREATE TABLE\s+(\w+))",
                                           QRegularExpression::CaseInsensitiveOption);
    std::vector<QString> tables;
    for (const Migration& m : storeMigrations())
        for (const std::string& statement : m.statements) {
            const auto match = create.match(QString::fromStdString(statement));
            if (match.hasMatch()) tables.push_back(match.captured(1));
        }
    return tables;
}

Result<std::int64_t> copyTable(Database& from, Database& to, const QString& table) {
    auto rows = from.run("SELECT * FROM " + table);
    if (!rows) return rows.error();
    const QSqlRecord record = rows->record();
    QStringList columns, marks;
    for (int i = 0; i < record.count(); ++i) {
        columns << record.fieldName(i);
        marks << "?";
    }
    const QString insert =
        "INSERT INTO " + table + " (" + columns.join(", ") + ") VALUES (" + marks.join(", ") + ")";
    std::int64_t copied = 0;
    while (rows->next()) {
        QVariantList values;
        values.reserve(record.count());
        for (int i = 0; i < record.count(); ++i)
            values << rows->value(i);
        auto r = to.run(insert, values);
        if (!r) return r.error();
        ++copied;
    }
    rows->finish();
    // Identity columns were given explicit ids: the next generated one follows the largest.
    // (Asked only of tables with an id column: a failed statement would abort the transaction.)
    if (columns.contains("id") && copied > 0) {
        auto sequence = to.scalar("SELECT pg_get_serial_sequence(?, 'id')", {table});
        if (!sequence) return sequence.error();
        if (!sequence->isNull()) {
            auto r = to.run("SELECT setval('" + sequence->toString() + "', (SELECT MAX(id) FROM " +
                            table + "))");
            if (!r) return r.error();
        }
    }
    return copied;
}

}  // namespace

Result<nlohmann::json> copyStoreToPostgres(Store& from, const Actor& by,
                                           const std::string& toAddress) {
    if (auto r = require(by, Action::ManageUsers); !r) return r.error();
    if (from.database().dialect() != Dialect::Sqlite)
        return Error::badInput("--from must be an SQLite store file");
    auto source = from.audit().verify();
    if (!source) return source.error();
    if (!source->intact)
        return Error::badInput("the source store's audit chain is broken at entry " +
                               std::to_string(source->firstBroken) + " (" + source->problem +
                               "): not migrated");
    auto target = Database::openPostgres(toAddress);
    if (!target) return target.error();
    Database& to = **target;
    auto version = schemaVersion(to);
    if (!version) return version.error();
    if (*version != 0)
        return Error::badInput("the database " + to.location() +
                               " holds a store already: migrate into an empty database");
    // Schema in its own transactions (as every store gets it), then everything else in one:
    // a failure leaves an empty schema, which a second attempt reuses.
    if (auto r = migrate(to, currentSchemaVersion()); !r) return r.error();
    Transaction tx(to);
    if (auto r = tx.begin(); !r) return r.error();
    nlohmann::json copied = nlohmann::json::object();
    for (const QString& table : tablesInCreationOrder()) {
        if (table == "store_meta") {
            // schema_version is the target's own (the migrations just wrote it).
            auto rows = from.database().run(
                "SELECT key, value FROM store_meta WHERE key <> 'schema_version'");
            if (!rows) return rows.error();
            std::int64_t n = 0;
            while (rows->next()) {
                auto r = to.run("INSERT INTO store_meta (key, value) VALUES (?, ?)",
                                {rows->value(0), rows->value(1)});
                if (!r) return r.error();
                ++n;
            }
            copied[table.toStdString()] = n;
            continue;
        }
        auto n = copyTable(from.database(), to, table);
        if (!n)
            return Error::failure("copying table " + table.toStdString() +
                                  " failed (nothing was kept): " + n.error().message);
        copied[table.toStdString()] = *n;
    }
    auto setup = setUpPostgres(to);
    if (!setup) return setup.error();
    AuditLog targetAudit(to);
    auto entry = targetAudit.append(
        by.name, "store_migrated_from_sqlite",
        {{"source_head", source->head}, {"source_entries", source->entries}, {"rows", copied}});
    if (!entry) return entry.error();
    // The copied chain must verify on the target and still hold the source's head.
    auto check = targetAudit.verify(source->head);
    if (!check) return check.error();
    if (!check->intact)
        return Error::failure("the copied audit chain does not verify on the target (entry " +
                              std::to_string(check->firstBroken) + ": " + check->problem +
                              "): nothing was kept");
    if (auto r = tx.commit(); !r) return r.error();
    return nlohmann::json{{"from", from.path()},
                          {"to", to.location()},
                          {"rows", copied},
                          {"audit_entries", check->entries},
                          {"source_head", source->head},
                          {"head", check->head},
                          {"postgres_role", kAppRole}};
}

}  // namespace cwb::store
