// In-database scoring in SQLite: the statement from `cwb export-sql --dialect sqlite` run
// through SQLite's C API on a database file holding the scoring data, compared row by row with
// `cwb score` on the same rows: the shipped German scorecard, a scorecard and an XGBoost model
// trained here on German data with missing values, and an XGBoost model on the Taiwan data.

#include <QTemporaryDir>
#include <QTest>

#include "SqlExportFixtures.h"
#include "SqlExportSqlite.h"

using namespace cwb;
using namespace cwb::test;

class TestSqlExportSqlite : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::vector<ScoringCase> m_cases;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_cases = prepareCases(m_dir, /*withNaN=*/false);
        QVERIFY(!QTest::currentTestFailed());
        QCOMPARE(m_cases.size(), std::size_t{5});
    }

    void matchesEngine_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"german_shipped", "german_scorecard_missing", "german_xgboost",
                                 "german_forest", "taiwan_xgboost"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    // pd within the tolerance (1e-9 scorecards, 1e-6 trees), scores and decisions equal except
    // at rounding ties, reasons equal for scorecards, and every rejected row with the engine's
    // column and reason.
    void matchesEngine() {
        QFETCH(QString, name);
        const ScoringCase* c = findCase(m_cases, name);
        QVERIFY(c);
        auto bundle = loadBundle(c->model);
        QVERIFY(bundle.ok());
        const EngineOutput engine = scoreWithEngine(*c, m_dir);
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY2(!engine.rejects.empty(), "the scoring file should have rejected rows");

        const std::string dbPath = m_dir.filePath(name + ".sqlite").toStdString();
        QFile::remove(QString::fromStdString(dbPath));
        SqliteHandle db = openSqlite(dbPath);
        QVERIFY(db);
        const CliRun ddl =
            runCli({"export-sql", "--model", QString::fromStdString(c->model), "--dialect",
                    "sqlite", "--table", "portfolio", "--create-table"});
        QVERIFY2(ddl.exitCode == 0, ddl.err.constData());
        std::string error;
        QVERIFY2(sqliteExec(db.get(), ddl.out.toStdString(), &error), error.c_str());
        loadSqlite(db.get(), "portfolio", c->data, *bundle);
        QVERIFY(!QTest::currentTestFailed());

        const std::string sql = exportSql(*c, "sqlite", "portfolio");
        QVERIFY(!sql.empty());
        const auto rows = runSqlite(db.get(), sql, c->idColumn, c->reasons);
        QVERIFY(!QTest::currentTestFailed());
        const Agreement a = compareWithEngine(engine, c->lineToId, rows, c->pdTolerance,
                                              c->scorecard, pointsFromPd(c->model));
        QVERIFY(!QTest::currentTestFailed());
        qInfo("%s (sqlite, %zu bytes of SQL): %s", qPrintable(name), sql.size(),
              qPrintable(a.summary()));
        if (c->scorecard) {
            // Same terms, same order, same libm: the scorecard's pd is the engine's, bit for bit.
            QCOMPARE(a.exactPd, a.scored);
            QCOMPARE(a.scoreTies, std::size_t{0});
        }
    }
};

QTEST_GUILESS_MAIN(TestSqlExportSqlite)
#include "tst_sql_export_sqlite.moc"
