// The SQL export's building blocks and guards: exact float-threshold cuts, literals that read
// back bit for bit, quoting of hostile names and levels in every dialect (run in SQLite for
// real), ties in reason codes, rounding of scores at .5, and the refusals of `cwb export-sql`.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "SqlExportFixtures.h"
#include "SqlExportSqlite.h"
#include "SqlExportSynthetic.h"
#include "sqlexport/FloatCut.h"
#include "sqlexport/SqlExport.h"

using namespace cwb;
using namespace cwb::test;

namespace {

constexpr float kFloatMax = std::numeric_limits<float>::max();

bool engineAtLeast(double x, double t) {
    return static_cast<double>(static_cast<float>(x)) >= t;
}

// Values around a threshold where float rounding decides: the threshold's neighbours in float
// and double, the cut's bound and its neighbours.
std::vector<double> probesAround(double t, const FloatCut& cut) {
    std::vector<double> xs;
    const auto add = [&xs](double x) {
        if (std::isfinite(x) && std::abs(x) <= kFloatMax) xs.push_back(x);
    };
    const double inf = std::numeric_limits<double>::infinity();
    for (double base : {t, cut.bound}) {
        add(base);
        double up = base, down = base;
        for (int k = 0; k < 3; ++k) {
            up = std::nextafter(up, inf);
            down = std::nextafter(down, -inf);
            add(up);
            add(down);
        }
        const auto f = static_cast<float>(base);
        add(f);
        add(std::nextafter(f, std::numeric_limits<float>::infinity()));
        add(std::nextafter(f, -std::numeric_limits<float>::infinity()));
    }
    return xs;
}

}  // namespace

class TestSqlExport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // floatAtLeast(t) must hold exactly the doubles x with double(float(x)) >= t.
    void floatCutsMatchFloatRounding() {
        std::mt19937_64 random(42);
        std::vector<double> thresholds{0.0,        -0.0,       1.0,   -1.0, 0.5,   1000.5,
                                       1e-45,      -1e-45,     1e-40, 3e38, -3e38, kFloatMax,
                                       -kFloatMax, 16777217.0, 0.1,   -0.1, 2.5,   123456.789};
        std::uniform_real_distribution<double> uniform(-1e6, 1e6);
        std::uniform_int_distribution<std::uint32_t> bits;
        for (int i = 0; i < 20000; ++i) {
            thresholds.push_back(uniform(random));
            float f = std::bit_cast<float>(bits(random));
            if (std::isfinite(f)) thresholds.push_back(f);
            thresholds.push_back(static_cast<float>(uniform(random)));
        }
        std::size_t checked = 0;
        for (double t : thresholds) {
            const FloatCut cut = floatAtLeast(t);
            for (double x : probesAround(t, cut)) {
                ++checked;
                if (passes(cut, x) != engineAtLeast(x, t))
                    QFAIL(qPrintable(
                        QStringLiteral("t=%1 x=%2").arg(t, 0, 'g', 17).arg(x, 0, 'g', 17)));
            }
        }
        QVERIFY(checked > 500000);
        QCOMPARE(floatAtLeast(std::nan("")).kind, FloatCut::Kind::None);
        QCOMPARE(floatAtLeast(-std::numeric_limits<double>::infinity()).kind, FloatCut::Kind::All);
        QCOMPARE(floatAtLeast(std::numeric_limits<double>::infinity()).kind, FloatCut::Kind::None);
    }

    // Every number the exporter writes must come back from SQLite's parser as the same double.
    void literalsReadBackExactlyInSqlite() {
        SqliteHandle db = openSqlite(":memory:");
        QVERIFY(db);
        const SqlSyntax sqlite(SqlDialect::Sqlite);
        std::mt19937_64 random(7);
        std::uniform_int_distribution<std::uint64_t> bits;
        std::vector<double> values{0.0, 1.0, -3.0, 0.1, 1e-5, 1e300, 5e-324, kFloatMax};
        for (int i = 0; i < 20000; ++i) {
            const double d = std::bit_cast<double>(bits(random));
            if (std::isfinite(d)) values.push_back(d);
            const float f = std::bit_cast<float>(static_cast<std::uint32_t>(bits(random)));
            if (std::isfinite(f)) {
                values.push_back(f);
                values.push_back(floatAtLeast(f).bound);
            }
        }
        for (std::size_t begin = 0; begin < values.size(); begin += 500) {
            std::string sql = "SELECT ";
            const std::size_t end = std::min(values.size(), begin + 500);
            for (std::size_t i = begin; i < end; ++i)
                sql += (i > begin ? ", " : "") + sqlite.real(values[i]);
            sqlite3_stmt* raw = nullptr;
            QCOMPARE(sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw, nullptr), SQLITE_OK);
            StatementHandle statement(raw);
            QCOMPARE(sqlite3_step(raw), SQLITE_ROW);
            for (std::size_t i = begin; i < end; ++i) {
                const int column = static_cast<int>(i - begin);
                QCOMPARE(sqlite3_column_type(raw, column), SQLITE_FLOAT);
                const double back = sqlite3_column_double(raw, column);
                if (std::bit_cast<std::uint64_t>(back) != std::bit_cast<std::uint64_t>(values[i]))
                    QFAIL(qPrintable(QString::fromStdString(sqlite.real(values[i])) +
                                     " read back as " + QString::number(back, 'g', 17)));
            }
        }
    }

    void quoting_data() {
        QTest::addColumn<int>("dialect");
        QTest::addColumn<QString>("identifier");
        QTest::addColumn<QString>("literal");
        QTest::newRow("sqlite") << int(SqlDialect::Sqlite) << QStringLiteral("`a``b\"c`")
                                << QStringLiteral("'it''s \\ here'");
        QTest::newRow("postgresql") << int(SqlDialect::Postgresql) << QStringLiteral("\"a`b\"\"c\"")
                                    << QStringLiteral("E'it''s \\\\ here'");
        QTest::newRow("ansi") << int(SqlDialect::Ansi) << QStringLiteral("\"a`b\"\"c\"")
                              << QStringLiteral("'it''s \\ here'");
        QTest::newRow("spark") << int(SqlDialect::Spark) << QStringLiteral("`a``b\"c`")
                               << QStringLiteral("'it\\'s \\\\ here'");
    }

    void quoting() {
        QFETCH(int, dialect);
        QFETCH(QString, identifier);
        QFETCH(QString, literal);
        const SqlSyntax syntax(static_cast<SqlDialect>(dialect));
        QCOMPARE(QString::fromStdString(syntax.identifier("a`b\"c")), identifier);
        QCOMPARE(QString::fromStdString(syntax.string("it's \\ here")), literal);
        // A plain PostgreSQL literal stays plain.
        if (syntax.dialect() == SqlDialect::Postgresql)
            QCOMPARE(QString::fromStdString(syntax.string("it's")), QStringLiteral("'it''s'"));
        QCOMPARE(
            QString::fromStdString(syntax.tableName("risk.apps")),
            QString::fromStdString(syntax.identifier("risk") + "." + syntax.identifier("apps")));
        QVERIFY(!syntax.checkName(std::string("a\0b", 3), "name").ok());
        QVERIFY(!syntax.checkName("\xC3\x28", "name").ok());      // not UTF-8
        QVERIFY(!syntax.checkText("\xED\xA0\x80", "text").ok());  // a surrogate
        QVERIFY(syntax.checkName("\xC3\xBCn\xC3\xAF \xF0\x9F\x92\xB3", "name").ok());
        QCOMPARE(syntax.checkName(std::string(64, 'n'), "name").ok(),
                 syntax.dialect() != SqlDialect::Postgresql);
    }

    // Names and levels with quotes, backticks, backslashes, semicolons and comment markers,
    // trained into real models, scored in SQLite: the statement runs, the sentinel table is
    // untouched, and the results (rejects included) equal the engine's.
    void hostileNamesInSqlite_data() {
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("scorecard") << QStringLiteral("scorecard");
        QTest::newRow("xgboost") << QStringLiteral("xgboost");
    }

    void hostileNamesInSqlite() {
        QFETCH(QString, algorithm);
        const ScoringCase c = prepareHostileCase(m_dir, algorithm);
        QVERIFY(!QTest::currentTestFailed());
        auto bundle = loadBundle(c.model);
        QVERIFY(bundle.ok());
        const EngineOutput engine = scoreWithEngine(c, m_dir);
        QVERIFY(!QTest::currentTestFailed());
        QCOMPARE(engine.rejects.size(), std::size_t{2});
        QVERIFY(engine.rejects.begin()->second.reason.find("o'hare") != std::string::npos);

        SqliteHandle db = openSqlite(":memory:");
        QVERIFY(db);
        QVERIFY(sqliteExec(db.get(),
                           "CREATE TABLE sentinel (x INTEGER); INSERT INTO sentinel VALUES (1)"));
        auto ddl = inputTableDdl(*bundle, SqlDialect::Sqlite, "hostile; DROP TABLE sentinel");
        QVERIFY(ddl.ok());
        std::string error;
        QVERIFY2(sqliteExec(db.get(), *ddl, &error), error.c_str());
        loadSqlite(db.get(), "hostile; DROP TABLE sentinel", c.data, *bundle);
        QVERIFY(!QTest::currentTestFailed());

        const std::string sql = exportSql(c, "sqlite", "hostile; DROP TABLE sentinel");
        QVERIFY(!sql.empty());
        const auto rows = runSqlite(db.get(), sql, c.idColumn, c.reasons);
        QVERIFY(!QTest::currentTestFailed());
        const Agreement a = compareWithEngine(engine, c.lineToId, rows, c.pdTolerance, c.scorecard,
                                              pointsFromPd(c.model));
        QVERIFY(!QTest::currentTestFailed());
        QCOMPARE(a.rejected, std::size_t{2});
        QVERIFY(sqliteExec(db.get(), "SELECT x FROM sentinel"));

        // The other dialects quote the same names their own way (Spark is not run here).
        for (const char* dialect : {"postgresql", "ansi", "spark"}) {
            const std::string other = exportSql(c, dialect, "t");
            QVERIFY(!other.empty());
            const SqlSyntax syntax(*sqlDialectFromString(dialect));
            QVERIFY(other.find(syntax.identifier(kHostileNumber)) != std::string::npos);
            if (c.scorecard)
                QVERIFY(other.find(syntax.string(kHostileLevelValues[0])) != std::string::npos);
        }
    }

    // Equal contributions are listed in characteristic order, as topReasonIndices does, and
    // scores round half away from zero (std::lround), also just below .5.
    void tiesAndRoundingMatchEngine_data() {
        QTest::addColumn<double>("basePoints");
        QTest::newRow("600") << 600.0;
        QTest::newRow("0") << 0.0;
        QTest::newRow("-600") << -600.0;
    }

    void tiesAndRoundingMatchEngine() {
        QFETCH(double, basePoints);
        const ModelBundle bundle = syntheticScorecard(basePoints);
        SqlExportOptions options;
        options.reasons = 3;
        options.table = "rows";
        auto sql = exportScoringSql(bundle, options);
        QVERIFY2(sql.ok(), sql.ok() ? "" : sql.error().message.c_str());
        SqliteHandle db = openSqlite(":memory:");
        auto ddl = inputTableDdl(bundle, SqlDialect::Sqlite, "rows");
        QVERIFY(ddl.ok() && sqliteExec(db.get(), *ddl));
        for (const SyntheticRow& row : syntheticRows())
            QVERIFY(sqliteExec(db.get(), "INSERT INTO rows VALUES ('" + row.id + "', " +
                                             std::to_string(row.a) + ", " + std::to_string(row.b) +
                                             ", '" + row.c + "')"));
        const auto rows = runSqlite(db.get(), sql->sql, "applicant", 3);
        QVERIFY(!QTest::currentTestFailed());
        const auto engine = engineResults(bundle, 3);
        QCOMPARE(rows.size(), engine.size());
        for (const auto& [id, e] : engine) {
            const SqlRow& s = rows.at(id);
            QVERIFY(s.pd && s.score && s.decision);
            QCOMPARE(*s.pd, e.pd);
            QCOMPARE(*s.score, static_cast<std::int64_t>(e.score));
            QCOMPARE(QString::fromStdString(*s.decision),
                     QString::fromStdString(toString(e.decision)));
            for (std::size_t k = 0; k < 3; ++k)
                QCOMPARE(QString::fromStdString(s.reasons[k].value_or("")),
                         QString::fromStdString(k < e.reasons.size() ? e.reasons[k].feature : ""));
        }
        // The cases are really there: a three-way tie, and .5 rounded away from zero.
        QCOMPARE(engine.at("tie3").reasons.size(), std::size_t{3});
        QCOMPARE(engine.at("half_up").score, std::lround(basePoints + 0.5));
        QCOMPARE(engine.at("below_half").points, basePoints + 0.49999999999999994);
    }

    void refusals() {
        // A tree model has no SQL reasons.
        const ScoringCase trees = prepareHostileCase(m_dir, "xgboost");
        QVERIFY(!QTest::currentTestFailed());
        CliRun run = runCli({"export-sql", "--model", QString::fromStdString(trees.model),
                             "--dialect", "sqlite", "--reasons", "2"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("scorecards only"), run.err.constData());
        // The size bound.
        run = runCli({"export-sql", "--model", QString::fromStdString(trees.model), "--dialect",
                      "postgresql", "--max-bytes", "2048"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("would exceed 2048 bytes"), run.err.constData());
        QVERIFY(run.out.isEmpty());
        // Unknown dialect, missing model.
        run = runCli(
            {"export-sql", "--model", QString::fromStdString(trees.model), "--dialect", "oracle"});
        QCOMPARE(run.exitCode, 2);
        run = runCli({"export-sql", "--model", m_dir.filePath("none.cwbm"), "--dialect", "ansi"});
        QCOMPARE(run.exitCode, 2);

        // An id column named like an output column, and a name PostgreSQL would truncate.
        ModelBundle bundle = syntheticScorecard(600.0);
        bundle.schema.columns[0].name = "Score";
        auto refused = exportScoringSql(bundle, {});
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.find("output column") != std::string::npos);
        bundle = syntheticScorecard(600.0);
        bundle.schema.columns[1].name = std::string(70, 'a');
        SqlExportOptions postgres;
        postgres.dialect = SqlDialect::Postgresql;
        refused = exportScoringSql(bundle, postgres);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.find("63 bytes") != std::string::npos);
        QVERIFY(exportScoringSql(bundle, {}).ok());  // SQLite takes long names
    }

    void writesFileAndSummary() {
        const QString model = QString::fromStdString(sourcePath("models/german_credit.cwbm"));
        const QString out = m_dir.filePath("german.sql");
        CliRun run = runCli({"export-sql", "--model", model, "--dialect", "postgresql", "--out",
                             out, "--json", "--table", "risk.applicants"});
        QCOMPARE(run.exitCode, 0);
        const auto summary = run.json();
        QCOMPARE(summary.value("dialect", ""), std::string("postgresql"));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray sql = file.readAll();
        QCOMPARE(static_cast<qint64>(summary.value("bytes", 0)), sql.size());
        QVERIFY(sql.contains("FROM \"risk\".\"applicants\""));
        QVERIFY(sql.contains("AS reason_4"));
        // Without --out the statement goes to stdout, identical.
        run = runCli({"export-sql", "--model", model, "--dialect", "postgresql", "--table",
                      "risk.applicants", "--quiet"});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, sql);
        QVERIFY(run.err.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSqlExport)
#include "tst_sql_export.moc"
