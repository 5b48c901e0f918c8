// Valid ranges and reason texts per level or range (issue 17), through the public entry points:
// loadBundle and the Scorer, and `cwb`. A value that cannot be (a duration of -5 months) is
// refused with the column, value and range; one merely outside the training range is scored.
// The shipped model words its reasons for the applicant's own level or range.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "CliRunner.h"
#include "data/DataRow.h"
#include "scoring/ModelBundle.h"
#include "scoring/Scorer.h"

using namespace cwb;
using namespace cwb::test;
using json = nlohmann::json;

namespace {

// Applicant N0001, the first row of sample_data/applicants.csv, every column by name.
std::map<std::string, std::string> applicant() {
    auto row = readDataRow(sourcePath("sample_data/applicants.csv"), 1);
    return row ? row->values : std::map<std::string, std::string>{};
}

QString recordJson(const std::map<std::string, std::string>& values) {
    return QString::fromStdString(json(values).dump());
}

}  // namespace

class CliValidRangesTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const QString m_model = QString::fromStdString(sourcePath("models/german_credit.cwbm"));
    QString tmp(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QString copyOfModel(const char* name) const {
        const QString path = tmp(name);
        QFile::remove(path);
        if (!QFile::copy(m_model, path)) return {};
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        return path;
    }

private slots:
    // Training infers the sign and integrality of every numeric characteristic.
    void shippedModelHasInferredRanges() {
        auto bundle = loadBundle(m_model.toStdString());
        QVERIFY2(bundle.ok(), bundle.ok() ? "" : bundle.error().message.c_str());
        const ColumnSpec* duration = bundle->schema.find("duration_months");
        QVERIFY(duration->validMin.has_value());
        QCOMPARE(*duration->validMin, 0.0);
        QVERIFY(!duration->validMax.has_value());
        QVERIFY(duration->integerOnly);
        QCOMPARE(duration->validRangeText(), std::string(">= 0, whole numbers"));
    }

    void scorerRefusesImpossibleValue() {
        auto bundle = loadBundle(m_model.toStdString());
        QVERIFY(bundle.ok());
        const Scorer scorer(std::make_shared<const ModelBundle>(std::move(*bundle)));
        auto values = applicant();
        values["duration_months"] = "-5";
        RejectedRow refused;
        const auto result = scorer.explainRecord(values, 4, &refused);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ErrorKind::BadInput);
        QCOMPARE(refused.column, std::string("duration_months"));
        QCOMPARE(refused.reason,
                 std::string("value -5 is outside the valid range of duration_months: >= 0, "
                             "whole numbers"));
        values["duration_months"] = "12.5";
        QVERIFY(!scorer.explainRecord(values, 4).ok());
        values["duration_months"] = "24";
        QVERIFY(scorer.explainRecord(values, 4).ok());
        // Outside the training range (4 to 72) but possible: scored, as before.
        values["duration_months"] = "90";
        QVERIFY(scorer.explainRecord(values, 4).ok());
    }

    void cliRefusesImpossibleValue() {
        auto values = applicant();
        values["duration_months"] = "-5";
        const CliRun refused =
            runCli({"explain", "--model", m_model, "--record", recordJson(values), "--json"});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("duration_months") && refused.err.contains("-5") &&
                     refused.err.contains("valid range") && refused.err.contains(">= 0"),
                 refused.err.constData());
        values["duration_months"] = "24";
        const CliRun scored =
            runCli({"explain", "--model", m_model, "--record", recordJson(values), "--json"});
        QVERIFY2(scored.exitCode == 0, scored.err.constData());
        QVERIFY(scored.json()["score"].is_number());

        // A batch: the impossible row goes to the rejects with the reason, the other is scored.
        const QString in = tmp("two.csv");
        {
            std::ofstream f(in.toStdString());
            std::string header, minus, plain;
            for (const auto& [name, value] : applicant()) {
                header += (header.empty() ? "" : ",") + name;
                const std::string v = name == "duration_months" ? "-5" : value;
                minus += (minus.empty() ? "\"" : ",\"") + v + "\"";
                plain += (plain.empty() ? "\"" : ",\"") + value + "\"";
            }
            f << header << "\n" << minus << "\n" << plain << "\n";
            std::ofstream one(tmp("one.csv").toStdString());
            one << header << "\n" << minus << "\n";
        }
        // A file of one applicant, refused: the same exit code as any batch (0), the row in the
        // rejects file with its reason (decision 42: exit codes do not depend on the row count).
        const CliRun single =
            runCli({"score", "--model", m_model, "--in", tmp("one.csv"), "--out",
                    tmp("one_scored.csv"), "--rejects", tmp("one_rejects.csv"), "--quiet"});
        QCOMPARE(single.exitCode, 0);
        {
            QFile oneRejects(tmp("one_rejects.csv"));
            QVERIFY(oneRejects.open(QIODevice::ReadOnly));
            const QByteArray text = oneRejects.readAll();
            QVERIFY2(text.contains("value -5 is outside the valid range of duration_months"),
                     text.constData());
        }
        const QString out = tmp("two_scored.csv");
        const QString rejects = tmp("two_rejects.csv");
        const CliRun batch = runCli({"score", "--model", m_model, "--in", in, "--out", out,
                                     "--rejects", rejects, "--json", "--quiet"});
        QVERIFY2(batch.exitCode == 0, batch.err.constData());
        QCOMPARE(batch.json()["rows_scored"].get<int>(), 1);
        QCOMPARE(batch.json()["rows_rejected"].get<int>(), 1);
        QFile r(rejects);
        QVERIFY(r.open(QIODevice::ReadOnly));
        const QByteArray text = r.readAll();
        QVERIFY2(text.contains("2,duration_months,\"value -5 is outside the valid range of "
                               "duration_months: >= 0, whole numbers\""),
                 text.constData());
    }

    void setRangeWritesANewBundle() {
        const QString edited = tmp("edited.cwbm");
        const CliRun set =
            runCli({"schema", "set-range", "--model", m_model, "--column", "duration_months",
                    "--min", "6", "--max", "60", "--out", edited, "--json"});
        QVERIFY2(set.exitCode == 0, set.err.constData());
        QCOMPARE(set.json()["valid_max"].get<double>(), 60.0);
        auto values = applicant();
        values["duration_months"] = "66";
        QCOMPARE(runCli({"explain", "--model", edited, "--record", recordJson(values)}).exitCode,
                 2);
        values["duration_months"] = "48";
        QCOMPARE(runCli({"explain", "--model", edited, "--record", recordJson(values)}).exitCode,
                 0);
        // The original is untouched.
        values["duration_months"] = "66";
        QCOMPARE(runCli({"explain", "--model", m_model, "--record", recordJson(values)}).exitCode,
                 0);
        // Refused: an empty range, a categorical column, a non-finite bound.
        QCOMPARE(runCli({"schema", "set-range", "--model", m_model, "--column", "duration_months",
                         "--min", "10", "--max", "5", "--out", tmp("bad.cwbm")})
                     .exitCode,
                 2);
        QCOMPARE(runCli({"schema", "set-range", "--model", m_model, "--column", "purpose", "--min",
                         "0", "--out", tmp("bad.cwbm")})
                     .exitCode,
                 2);
        QCOMPARE(runCli({"schema", "set-range", "--model", m_model, "--column", "duration_months",
                         "--max", "inf", "--out", tmp("bad.cwbm")})
                     .exitCode,
                 2);
        QVERIFY(!QFile::exists(tmp("bad.cwbm")));
    }

    // A bundle without valid ranges (as made before them) keeps loading and checks nothing.
    void noRangeMeansNoCheck() {
        const QString open = tmp("open.cwbm");
        const CliRun set =
            runCli({"schema", "set-range", "--model", m_model, "--column", "duration_months",
                    "--no-min", "--no-max", "--no-integer", "--out", open});
        QVERIFY2(set.exitCode == 0, set.err.constData());
        auto bundle = loadBundle(open.toStdString());
        QVERIFY(bundle.ok());
        QVERIFY(!bundle->schema.find("duration_months")->hasValidRange());
        auto values = applicant();
        values["duration_months"] = "-5";
        QCOMPARE(runCli({"explain", "--model", open, "--record", recordJson(values)}).exitCode, 0);
    }

    // Explanations use the text for the applicant's level: N0001's checking account is
    // overdrawn, and that is what the reason says.
    void reasonsAreWordedForTheLevel() {
        const CliRun run =
            runCli({"explain", "--model", m_model, "--record", recordJson(applicant()), "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        bool found = false;
        const json explained = run.json();
        for (const json& reason : explained["reasons"])
            if (reason["feature"] == "checking_status") {
                QCOMPARE(reason["text"].get<std::string>(),
                         std::string("Checking account balance below 0 DM"));
                found = true;
            }
        QVERIFY2(found, run.out.constData());
        auto bundle = loadBundle(m_model.toStdString());
        QVERIFY(bundle.ok());
        QCOMPARE(bundle->reasonTextOf("credit_history", "no credits / all paid back duly"),
                 std::string("No credit taken or all credits paid back duly"));
        QCOMPARE(bundle->reasonTextOf("duration_months", "40"),
                 std::string("Very long credit term (36 months or more)"));
    }

    void reasonsCommandSetsLevelTexts() {
        const QString model = copyOfModel("levels.cwbm");
        const CliRun set =
            runCli({"reasons", model, "--set", "checking_status[< 0 DM]=Overdrawn checking account",
                    "--set", "checking_status=Checking account", "--values", "--json"});
        QVERIFY2(set.exitCode == 0, set.err.constData());
        QCOMPARE(set.json()["checking_status"]["values"]["< 0 DM"].get<std::string>(),
                 std::string("Overdrawn checking account"));
        QCOMPARE(set.json()["checking_status"]["text"].get<std::string>(),
                 std::string("Checking account"));
        const CliRun run =
            runCli({"explain", "--model", model, "--record", recordJson(applicant()), "--json"});
        QVERIFY(run.out.contains("Overdrawn checking account"));
        // The plain listing shows the value texts under their characteristic.
        const CliRun list = runCli({"reasons", model});
        QVERIFY2(list.out.contains("checking_status[< 0 DM]: Overdrawn checking account"),
                 list.out.constData());
        // Refused: a level the model does not know, a range overlapping one already there, a
        // text too long for a notice; the bundle stays as it was.
        QCOMPARE(runCli({"reasons", model, "--set", "checking_status[overdrawn]=x"}).exitCode, 2);
        QCOMPARE(runCli({"reasons", model, "--set", "duration_months[10..30]=x"}).exitCode, 2);
        QCOMPARE(runCli({"reasons", model, "--set",
                         "duration_months[..12]=" + QString(2000, QLatin1Char('x'))})
                     .exitCode,
                 2);
        // An empty text removes a value text; the characteristic's text is used again.
        QCOMPARE(runCli({"reasons", model, "--set", "checking_status[< 0 DM]="}).exitCode, 0);
        auto bundle = loadBundle(model.toStdString());
        QVERIFY(bundle.ok());
        QCOMPARE(bundle->reasonTextOf("checking_status", "< 0 DM"),
                 std::string("Checking account"));
        QCOMPARE(bundle->reasonTextOf("checking_status", "no checking account"),
                 std::string("No checking account at this bank"));
    }
};

QTEST_GUILESS_MAIN(CliValidRangesTest)
#include "tst_cli_valid_ranges.moc"
