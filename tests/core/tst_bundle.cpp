// The model bundle (.cwbm): a round trip keeps every score; damaged, foreign and future files
// are refused with a clear message naming the file.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <random>

#include <sqlite3.h>

#include "TestSupport.h"
#include "model/Trainer.h"
#include "scoring/ModelBundle.h"

using namespace cwb;

namespace {

// Synthetic applicants: two numeric characteristics and one categorical, risk known.
struct Synthetic {
    Schema schema;
    EncodedData data;
};

Synthetic makeSynthetic(std::size_t rows) {
    Synthetic s;
    const auto column = [](const char* name, ColumnType type, ColumnRole role) {
        ColumnSpec spec;
        spec.name = name;
        spec.type = type;
        spec.role = role;
        return spec;
    };
    ColumnSpec income = column("income", ColumnType::Numeric, ColumnRole::Feature);
    income.min = 0;
    income.max = 10;
    ColumnSpec utilisation = column("utilisation", ColumnType::Numeric, ColumnRole::Feature);
    utilisation.allowMissing = true;
    ColumnSpec region = column("region", ColumnType::Categorical, ColumnRole::Feature);
    region.levels = {"north", "south", "west"};
    ColumnSpec target = column("bad", ColumnType::Numeric, ColumnRole::Target);
    s.schema.columns = {income, utilisation, region, target};
    s.schema.target = "bad";
    s.schema.badValue = "1";
    EncodedData& d = s.data;
    d.featureNames = {"income", "utilisation", "region"};
    d.categorical = {false, false, true};
    d.levelCounts = {0, 0, 3};
    d.rows = rows;
    d.cols = 3;
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (std::size_t r = 0; r < rows; ++r) {
        const float inc = 10.0f * u(rng);
        const float util = u(rng) < 0.1f ? std::numeric_limits<float>::quiet_NaN() : u(rng);
        const float reg = static_cast<float>(rng() % 3);
        const double logit = -1.0 - 0.3 * inc + 2.0 * (std::isnan(util) ? 0.5 : util) + 0.4 * reg;
        d.values.insert(d.values.end(), {inc, util, reg});
        d.labels.push_back(u(rng) < 1.0 / (1.0 + std::exp(-logit)) ? 1.0f : 0.0f);
        d.lines.push_back(static_cast<std::int64_t>(r + 2));
    }
    return s;
}

ModelBundle makeBundle(const Synthetic& s, Algorithm algorithm) {
    TrainRequest request;
    request.algorithm = algorithm;
    request.folds = 0;
    auto outcome = trainModel(s.data, request, nullptr);
    if (!outcome) qFatal("training failed: %s", outcome.error().message.c_str());
    ModelBundle b;
    b.name = "synthetic";
    b.version = "3";
    b.schema = s.schema;
    b.model = std::shared_ptr<const Model>(std::move(outcome->model));
    b.scaling.basePoints = 500;
    b.policy.approveFrom = 520;
    b.policy.declineBelow = 480;
    b.reasonTexts["income"] = "Income too low for the amount requested";
    b.metrics = {{"note", "test"}};
    b.training = {{"seed", 42}};
    return b;
}

std::vector<double> margins(const Model& m, const EncodedData& d) {
    std::vector<double> out(d.rows);
    m.predictMargin(d.values.data(), d.rows, out.data());
    return out;
}

void execSql(const QString& path, const char* sql) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

}  // namespace

class BundleTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Synthetic m_data = makeSynthetic(2000);

private slots:
    void roundTripKeepsEveryScore_data() {
        QTest::addColumn<int>("algorithm");
        QTest::newRow("xgboost") << static_cast<int>(Algorithm::Xgboost);
        QTest::newRow("forest") << static_cast<int>(Algorithm::Forest);
        QTest::newRow("scorecard") << static_cast<int>(Algorithm::Scorecard);
    }
    void roundTripKeepsEveryScore() {
        QFETCH(int, algorithm);
        const ModelBundle original = makeBundle(m_data, static_cast<Algorithm>(algorithm));
        const QString path = m_dir.filePath(QStringLiteral("rt%1.cwbm").arg(algorithm));
        QVERIFY(saveBundle(original, path.toStdString()).ok());
        QVERIFY(!QFile::exists(path + ".part"));
        auto loaded = loadBundle(path.toStdString());
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        QCOMPARE(loaded->name, std::string("synthetic"));
        QCOMPARE(loaded->version, std::string("3"));
        QCOMPARE(loaded->model->algorithm(), original.model->algorithm());
        QCOMPARE(loaded->schema.featureNames(), original.schema.featureNames());
        QCOMPARE(loaded->schema.find("region")->levels,
                 std::vector<std::string>({"north", "south", "west"}));
        QCOMPARE(loaded->scaling.basePoints, 500.0);
        QCOMPARE(loaded->policy.approveFrom, 520.0);
        QCOMPARE(loaded->reasonText("income"),
                 std::string("Income too low for the amount requested"));
        QCOMPARE(loaded->metrics["note"].get<std::string>(), std::string("test"));
        // Bit for bit: the same margins after the round trip.
        QVERIFY(margins(*loaded->model, m_data.data) == margins(*original.model, m_data.data));
    }

    void damagedPartIsRefused() {
        const QString path = m_dir.filePath("damaged.cwbm");
        QVERIFY(saveBundle(makeBundle(m_data, Algorithm::Scorecard), path.toStdString()).ok());
        execSql(path, "UPDATE bundle_part SET content = CAST('{}' AS BLOB) WHERE name = 'model'");
        auto loaded = loadBundle(path.toStdString());
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().kind, ErrorKind::BadInput);
        QVERIFY(loaded.error().message.find("damaged.cwbm") != std::string::npos);
        QVERIFY(loaded.error().message.find("SHA-256") != std::string::npos);
    }

    void newerFormatIsRefused() {
        const QString path = m_dir.filePath("future.cwbm");
        QVERIFY(saveBundle(makeBundle(m_data, Algorithm::Scorecard), path.toStdString()).ok());
        execSql(path, "UPDATE bundle_meta SET value = '99' WHERE key = 'format_version'");
        auto loaded = loadBundle(path.toStdString());
        QVERIFY(!loaded.ok());
        QVERIFY(loaded.error().message.find("newer") != std::string::npos);
    }

    void foreignFilesAreRefused_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("text") << QByteArray("applicant_id,age\n1,35\n");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("truncated sqlite") << QByteArray("SQLite format 3\0\x10\x00", 19);
    }
    void foreignFilesAreRefused() {
        QFETCH(QByteArray, content);
        const QString path = m_dir.filePath("foreign.cwbm");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
        f.close();
        auto loaded = loadBundle(path.toStdString());
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().kind, ErrorKind::BadInput);
        QVERIFY(loaded.error().message.find("foreign.cwbm") != std::string::npos);
    }

    void otherSqliteDatabaseIsRefused() {
        const QString path = m_dir.filePath("other.sqlite");
        execSql(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
        auto loaded = loadBundle(path.toStdString());
        QVERIFY(!loaded.ok());
        QVERIFY(loaded.error().message.find("foreign") != std::string::npos);
    }

    void missingFileIsRefused() {
        auto loaded = loadBundle(m_dir.filePath("nope.cwbm").toStdString());
        QVERIFY(!loaded.ok());
        QVERIFY(loaded.error().message.find("does not exist") != std::string::npos);
    }

    void failedSaveLeavesNothing() {
        const QString path = m_dir.filePath("no/such/folder/m.cwbm");
        QVERIFY(!saveBundle(makeBundle(m_data, Algorithm::Scorecard), path.toStdString()).ok());
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(BundleTest)
#include "tst_bundle.moc"
