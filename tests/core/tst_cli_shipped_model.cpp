// The shipped default model: it loads and scores the sample applicants at once, and its committed
// recipe (models/build_default_model.sh) rebuilds it identically.

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "CliRunner.h"
#include "data/CsvReader.h"
#include "scoring/ModelBundle.h"

using namespace cwb::test;

namespace {
QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}
}  // namespace

class ShippedModelTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const QString m_model = QString::fromStdString(sourcePath("models/german_credit.cwbm"));

private slots:
    void loadsWithItsRecordedProvenance() {
        auto bundle = cwb::loadBundle(m_model.toStdString());
        QVERIFY2(bundle.ok(), bundle.ok() ? "" : bundle.error().message.c_str());
        QCOMPARE(bundle->name, std::string("german_credit"));
        QCOMPARE(bundle->schema.idColumn()->name, std::string("applicant_id"));
        // Protected attributes are kept out of the model.
        for (const char* name : {"personal_status_sex", "age_years", "foreign_worker"})
            QVERIFY(bundle->schema.find(name)->role == cwb::ColumnRole::Protected);
        QCOMPARE(bundle->training["seed"].get<int>(), 42);
        const auto dataHash =
            fileHash(QString::fromStdString(sourcePath("sample_data/german_credit.csv")));
        QCOMPARE(QByteArray::fromStdString(bundle->training["data_sha256"].get<std::string>()),
                 dataHash);
        QVERIFY(!bundle->reasonTexts.empty());
    }

    void scoresTheSampleApplicants() {
        const QString out = m_dir.filePath("applicants_scored.csv");
        const CliRun run = runCli({"score", "--model", m_model, "--in",
                                   QString::fromStdString(sourcePath("sample_data/applicants.csv")),
                                   "--out", out, "--json", "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json()["rows_scored"].get<int>(), 10);
        QCOMPARE(run.json()["rows_rejected"].get<int>(), 0);
    }

    // cwb score --reason-text: the text columns hold what cwb explain says for each reason of
    // the same applicant (the shipped model words levels and ranges, issue 17).
    void reasonTextColumnsMatchExplain() {
        const QString in = QString::fromStdString(sourcePath("sample_data/applicants.csv"));
        const QString out = m_dir.filePath("applicants_texts.csv");
        const CliRun run = runCli(
            {"score", "--model", m_model, "--in", in, "--out", out, "--reason-text", "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        auto scored = cwb::CsvReader::open(out.toStdString());
        QVERIFY(scored.ok());
        QCOMPARE((*scored)->header().size(), std::size_t(12));
        QCOMPARE((*scored)->header()[8], std::string("reason_1_text"));
        cwb::CsvRecord record;
        for (int row = 1; row <= 10; ++row) {
            auto more = (*scored)->next(record);
            QVERIFY(more.ok() && *more);
            const CliRun explain = runCli({"explain", "--model", m_model, "--in", in, "--row",
                                           QString::number(row), "--json"});
            QVERIFY2(explain.exitCode == 0, explain.err.constData());
            const auto reasons = explain.json()["reasons"];
            QVERIFY(!reasons.empty());
            for (std::size_t k = 0; k < 4; ++k) {
                const std::string want =
                    k < reasons.size() ? reasons[k]["text"].get<std::string>() : std::string();
                QCOMPARE(std::string(record.fields[8 + k]), want);
            }
        }
    }

    void recipeRebuildsTheSameBundle() {
        const QString rebuilt = m_dir.filePath("rebuilt.cwbm");
        QProcess recipe;
        recipe.start("bash", {QString::fromStdString(sourcePath("models/build_default_model.sh")),
                              cliPath(), rebuilt});
        QVERIFY(recipe.waitForFinished(300000));
        QVERIFY2(recipe.exitCode() == 0, recipe.readAllStandardError().constData());
        // Same scores on the 5000-row batch, bit for bit ...
        const QString batch = QString::fromStdString(sourcePath("sample_data/batch_german.csv"));
        const QString a = m_dir.filePath("a.csv"), b = m_dir.filePath("b.csv");
        QCOMPARE(
            runCli({"score", "--model", m_model, "--in", batch, "--out", a, "--quiet"}).exitCode,
            0);
        QCOMPARE(
            runCli({"score", "--model", rebuilt, "--in", batch, "--out", b, "--quiet"}).exitCode,
            0);
        QCOMPARE(fileHash(a), fileHash(b));
        // ... and the same file: when this fails after a change to training, run the recipe and
        // commit the new models/german_credit.cwbm.
        QCOMPARE(fileHash(rebuilt), fileHash(m_model));
    }
};

QTEST_GUILESS_MAIN(ShippedModelTest)
#include "tst_cli_shipped_model.moc"
