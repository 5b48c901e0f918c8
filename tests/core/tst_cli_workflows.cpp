// Command-line workflows around training: save and edit a schema, then train with it; monotone
// constraints per characteristic; rows that cannot be used listed in a rejects file; reason texts
// edited in the bundle.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

#include "CliRunner.h"
#include "data/CsvReader.h"
#include "data/Schema.h"

using namespace cwb::test;

namespace {
QString sample(const char* name) {
    return QString::fromStdString(sourcePath("sample_data/") + name);
}
}  // namespace

class CliWorkflowsTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString tmp(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void editedSchemaDrivesTraining() {
        const QString schemaPath = tmp("schema.json");
        const CliRun inferred = runCli({"schema", "--data", sample("german_credit.csv"), "--target",
                                        "class", "--bad", "2", "--out", schemaPath});
        QVERIFY2(inferred.exitCode == 0, inferred.err.constData());
        auto schema = cwb::Schema::load(schemaPath.toStdString());
        QVERIFY(schema.ok());
        QCOMPARE(schema->features().size(), std::size_t(20));
        // The analyst excludes two characteristics and relabels one by hand.
        schema->find("telephone")->role = cwb::ColumnRole::Excluded;
        schema->find("foreign_worker")->role = cwb::ColumnRole::Protected;
        schema->find("duration_months")->label = "Term of the loan (months)";
        QVERIFY(schema->save(schemaPath.toStdString()).ok());

        const QString model = tmp("edited.cwbm");
        const CliRun trained =
            runCli({"train", "--data", sample("german_credit.csv"), "--target", "class", "--bad",
                    "2", "--schema", schemaPath, "--algorithm", "scorecard", "--cv", "2",
                    "--dictionary", tmp("none.csv"), "--out", model, "--json", "--quiet"});
        // A dictionary that does not exist is bad usage.
        QCOMPARE(trained.exitCode, 2);
        const CliRun retrained =
            runCli({"train", "--data", sample("german_credit.csv"), "--target", "class", "--bad",
                    "2", "--schema", schemaPath, "--algorithm", "scorecard", "--cv", "2", "--out",
                    model, "--json", "--quiet"});
        QVERIFY2(retrained.exitCode == 0, retrained.err.constData());
        QCOMPARE(retrained.json()["features"].get<int>(), 18);
        const auto info = runCli({"info", model, "--json"}).json();
        QVERIFY(!info.contains("explanation"));  // a scorecard explains by its points
        for (const auto& f : info["features"]) {
            QVERIFY(f["name"] != "telephone");
            QVERIFY(f["name"] != "foreign_worker");
        }
    }

    void monotonePerCharacteristic() {
        const QString model = tmp("mono.cwbm");
        const CliRun run =
            runCli({"train", "--data", sample("german_credit.csv"), "--target", "class", "--bad",
                    "2", "--algorithm", "xgboost", "--cv", "2", "--monotone",
                    "none,duration_months=+1,age_years=-1", "--out", model, "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto info = runCli({"info", model, "--json"}).json();
        // Shallow boosted trees are explained by lookup tables, every one of them.
        const auto explanation = info["explanation"];
        QCOMPARE(explanation["method"].get<std::string>(), std::string("treeshap"));
        QVERIFY(explanation["table_trees"].get<int>() > 0);
        QCOMPARE(explanation["walked_trees"].get<int>(), 0);
        QVERIFY(explanation["table_bytes"].get<double>() > 0);
        const CliRun text = runCli({"info", model});
        QVERIFY2(text.out.contains("explaining: TreeSHAP, lookup tables for"),
                 text.out.constData());
        const auto monotone = info["metrics"]["monotone"];
        int constrained = 0;
        for (std::size_t j = 0; j < info["features"].size(); ++j) {
            const std::string name = info["features"][j]["name"];
            const int sign = monotone[j];
            if (name == "duration_months")
                QCOMPARE(sign, 1);
            else if (name == "age_years")
                QCOMPARE(sign, -1);
            else
                QCOMPARE(sign, 0);
            constrained += sign != 0;
        }
        QCOMPARE(constrained, 2);
        // Longer duration never lowers the risk: one applicant over a grid of durations.
        auto reader = cwb::CsvReader::open(sample("applicants.csv").toStdString());
        QVERIFY(reader.ok());
        cwb::CsvRecord record;
        QVERIFY((*reader)->next(record).value());
        nlohmann::json applicant;
        for (std::size_t c = 0; c < record.fields.size(); ++c)
            if ((*reader)->header()[c] != "applicant_id")
                applicant[(*reader)->header()[c]] = std::string(record.fields[c]);
        double previous = 0.0;
        for (int months : {6, 12, 18, 24, 36, 48, 60, 72}) {
            applicant["duration_months"] = months;
            const auto run = runCli({"explain", "--model", model, "--record",
                                     QString::fromStdString(applicant.dump()), "--json"});
            QVERIFY2(run.exitCode == 0, run.err.constData());
            const double pd = run.json()["pd"].get<double>();
            QVERIFY2(pd >= previous, qPrintable(QString("PD fell at %1 months").arg(months)));
            previous = pd;
        }
        const CliRun bad =
            runCli({"train", "--data", sample("german_credit.csv"), "--target", "class", "--bad",
                    "2", "--algorithm", "xgboost", "--cv", "2", "--monotone", "purpose=+1", "--out",
                    tmp("bad.cwbm"), "--quiet"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("purpose"));
    }

    void trainingRejectsAreListed() {
        QFile source(sample("german_credit.csv"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray text = source.readAll();
        text +=
            "G9001,no checking account,twelve,critical account,car (new),1000,unknown,"
            "unemployed,2,\"male, single\",none,2,real estate,30,none,own,1,skilled,1,none,"
            "yes,1\n";
        text += "G9002,too,few,fields\n";
        const QString data = tmp("dirty_train.csv");
        QFile out(data);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text);
        out.close();
        const QString rejects = tmp("train_rejects.csv");
        const CliRun run = runCli({"train", "--data", data, "--target", "class", "--bad", "2",
                                   "--algorithm", "scorecard", "--cv", "2", "--out", tmp("d.cwbm"),
                                   "--rejects", rejects, "--json", "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto j = run.json();
        QCOMPARE(j["rows"].get<int>(), 1000);
        QCOMPARE(j["rows_rejected"].get<int>(), 2);
        QCOMPARE(j["rows_read"].get<int>(), 1002);
        QFile r(rejects);
        QVERIFY(r.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = r.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[1].startsWith("1002,duration_months,"));
        QVERIFY(lines[2].startsWith("1003,"));
    }

    void reasonTextsCanBeEdited() {
        const QString model = tmp("reasons.cwbm");
        QVERIFY(
            QFile::copy(QString::fromStdString(sourcePath("models/german_credit.cwbm")), model));
        QFile::setPermissions(model, QFile::ReadOwner | QFile::WriteOwner);
        const CliRun set = runCli({"reasons", model, "--set",
                                   "duration_months=Term of the credit is too long", "--json"});
        QVERIFY2(set.exitCode == 0, set.err.constData());
        QCOMPARE(set.json()["duration_months"].get<std::string>(),
                 std::string("Term of the credit is too long"));
        const CliRun again = runCli({"reasons", model, "--json"});
        QCOMPARE(again.json()["duration_months"].get<std::string>(),
                 std::string("Term of the credit is too long"));
        QCOMPARE(runCli({"reasons", model, "--set", "age_years=Too old"}).exitCode,
                 2);  // protected
    }
};

QTEST_GUILESS_MAIN(CliWorkflowsTest)
#include "tst_cli_workflows.moc"
