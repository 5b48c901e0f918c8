// In-database scoring in a real PostgreSQL 15 server started by the test (initdb and postgres
// in a temporary directory on a free loopback port, as an unprivileged user): the data loaded
// with \copy, the statements from `cwb export-sql --dialect postgresql` (and ansi) run with
// psql, compared row by row with `cwb score` on the same rows. Skipped only when the
// PostgreSQL binaries are not installed (./dev installs the `postgresql` package).

#include <QTemporaryDir>
#include <QTest>

#include "SqlExportFixtures.h"
#include "SqlExportPostgres.h"

using namespace cwb;
using namespace cwb::test;

class TestSqlExportPostgres : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PostgresServer m_pg;
    std::vector<ScoringCase> m_cases;
    std::map<QString, EngineOutput> m_engine;

private slots:
    void initTestCase() {
        if (!PostgresServer::available())
            QSKIP("PostgreSQL 15 (initdb, postgres, psql) is not installed");
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        m_cases = prepareCases(m_dir, /*withNaN=*/true);
        QVERIFY(!QTest::currentTestFailed());
        QCOMPARE(m_cases.size(), std::size_t{5});
        // The ANSI statement trims only spaces: its cases pad a level with spaces, not a tab.
        for (const char* name : {"german_shipped", "german_xgboost"}) {
            const ScoringCase* c = findCase(m_cases, name);
            QVERIFY(c);
            m_cases.push_back(makeCase(c->name + "_ansi", c->model, c->source,
                                       m_dir.filePath(c->name + "_ansi.csv").toStdString(),
                                       germanEdits(true, false), c->pdTolerance));
        }
        for (const ScoringCase& c : m_cases) {
            auto bundle = loadBundle(c.model);
            QVERIFY(bundle.ok());
            const CliRun ddl =
                runCli({"export-sql", "--model", QString::fromStdString(c.model), "--dialect",
                        "postgresql", "--table", c.name, "--create-table"});
            QVERIFY2(ddl.exitCode == 0, ddl.err.constData());
            loadPostgres(m_pg, ddl.out.toStdString(), c.name.toStdString(), c.data);
            QVERIFY(!QTest::currentTestFailed());
            m_engine[c.name] = scoreWithEngine(c, m_dir);
            QVERIFY(!QTest::currentTestFailed());
            QVERIFY2(!m_engine[c.name].rejects.empty(), "the scoring file should have rejects");
        }
    }

    void serverRunsUnprivileged() {
        const auto run = m_pg.sql("SELECT current_setting('server_version_num')::int / 10000");
        QVERIFY2(run.ok(), run.err.constData());
        QCOMPARE(run.out.trimmed(), QByteArray("15"));
        // The data directory belongs to the account the server runs as, never root.
        QFileInfo data(m_pg.dataDir());
        QVERIFY(data.exists());
        QVERIFY(data.ownerId() != 0);
    }

    void matchesEngine_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("dialect");
        for (const char* name : {"german_shipped", "german_scorecard_missing", "german_xgboost",
                                 "german_forest", "taiwan_xgboost"})
            QTest::newRow(qPrintable(QString(name) + "/postgresql"))
                << QString::fromLatin1(name) << QStringLiteral("postgresql");
        // The ANSI statement runs in PostgreSQL too (its literals are NUMERIC there).
        for (const char* name : {"german_shipped_ansi", "german_xgboost_ansi"})
            QTest::newRow(qPrintable(QString(name) + "/ansi"))
                << QString::fromLatin1(name) << QStringLiteral("ansi");
    }

    void matchesEngine() {
        QFETCH(QString, name);
        QFETCH(QString, dialect);
        const ScoringCase* c = findCase(m_cases, name);
        QVERIFY(c);
        const std::string sql = exportSql(*c, dialect, name);
        QVERIFY(!sql.empty());
        const auto rows = runPostgres(m_pg, m_dir, sql, c->idColumn, c->reasons);
        QVERIFY(!QTest::currentTestFailed());
        const Agreement a = compareWithEngine(m_engine[name], c->lineToId, rows, c->pdTolerance,
                                              c->scorecard, pointsFromPd(c->model));
        QVERIFY(!QTest::currentTestFailed());
        qInfo("%s (%s, %zu bytes of SQL): %s", qPrintable(name), qPrintable(dialect), sql.size(),
              qPrintable(a.summary()));
        if (dialect == "postgresql") {
            // Scorecards: the engine's doubles in the engine's order. Trees: leaves summed in
            // REAL like the engine's float accumulator. Either way pd is the engine's exactly.
            QCOMPARE(a.exactPd, a.scored);
            QCOMPARE(a.scoreTies, std::size_t{0});
        }
    }
};

QTEST_GUILESS_MAIN(TestSqlExportPostgres)
#include "tst_sql_export_postgres.moc"
