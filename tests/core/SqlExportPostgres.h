#pragma once
// Running generated SQL in a real PostgreSQL server (tests/common/PostgresServer.h) with psql:
// the scoring file loaded with \copy, the statement's rows read back from psql's CSV output
// with NULL written as \N.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <string>

#include "../common/PostgresServer.h"
#include "SqlExportCompare.h"

namespace cwb::test {

// A psql failure as a message, with the server's log tail when the server is gone.
inline QByteArray psqlFailure(const PostgresServer& pg, const PostgresServer::PsqlRun& run) {
    QByteArray message = "psql exit " + QByteArray::number(run.exitCode) + ": " + run.err;
    if (!pg.running()) message += "\nserver log:\n" + pg.log().right(2000).toUtf8();
    return message;
}

// Creates the table with ddl and copies the CSV file (header row; columns in the DDL's order)
// into it: empty unquoted fields become NULL.
inline void loadPostgres(const PostgresServer& pg, const std::string& ddl, const std::string& table,
                         const std::string& csv) {
    PostgresServer::PsqlRun run = pg.sql(QString::fromStdString(ddl));
    QVERIFY2(run.ok(), psqlFailure(pg, run).constData());
    run = pg.psql({"-c", QString::fromStdString("\\copy \"" + table + "\" FROM '" + csv +
                                                "' WITH (FORMAT csv, HEADER true)")});
    QVERIFY2(run.ok(), psqlFailure(pg, run).constData());
}

// Runs the statement (from a file: it can be far longer than a command-line argument) with JIT
// off and returns its rows by id. Fails the test on an error.
inline std::map<std::string, SqlRow> runPostgres(const PostgresServer& pg, const QTemporaryDir& dir,
                                                 const std::string& sql,
                                                 const std::string& idColumn, int reasons) {
    std::map<std::string, SqlRow> rows;
    const QString sqlPath = dir.filePath("statement.sql");
    const QString outPath = dir.filePath("statement.out.csv");
    {
        QFile f(sqlPath);
        if (!f.open(QIODevice::WriteOnly)) return rows;
        f.write(sql.data(), static_cast<qint64>(sql.size()));
    }
    // As docs/in-database-scoring.md advises: JIT compiling a tree model's statement can take
    // ten times longer than running it.
    const auto run = pg.psql({"--csv", "-P", "null=\\N", "-c", "SET jit = off", "-f", sqlPath});
    if (!run.ok()) {
        QTest::qFail(psqlFailure(pg, run).constData(), __FILE__, __LINE__);
        return rows;
    }
    {
        QFile f(outPath);
        if (!f.open(QIODevice::WriteOnly)) return rows;
        f.write(run.out);
    }
    const auto text = [](const std::map<std::string, std::string>& row,
                         const std::string& name) -> std::optional<std::string> {
        const auto it = row.find(name);
        if (it == row.end() || it->second == "\\N") return std::nullopt;
        return it->second;
    };
    std::size_t n = 0;
    for (const auto& fields : readCsvRows(outPath.toStdString())) {
        SqlRow row;
        if (auto pd = text(fields, "pd")) row.pd = std::stod(*pd);
        if (auto score = text(fields, "score")) row.score = std::stoll(*score);
        row.decision = text(fields, "decision");
        for (int k = 1; k <= reasons; ++k)
            row.reasons.push_back(text(fields, "reason_" + std::to_string(k)));
        row.rejectColumn = text(fields, "reject_column");
        row.rejectReason = text(fields, "reject_reason");
        rows[idColumn.empty() ? std::to_string(n) : text(fields, idColumn).value_or("")] =
            std::move(row);
        ++n;
    }
    return rows;
}

}  // namespace cwb::test
