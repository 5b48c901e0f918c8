// End-to-end tests of the cwb command line on the sample data: the contract of DESIGN.md
// (flags, JSON keys, output columns, exit codes) as a user or script relies on it.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "CliRunner.h"

using namespace cwb::test;

namespace {

QString sample(const char* name) {
    return QString::fromStdString(sourcePath("sample_data/") + name);
}

QList<QByteArray> readLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QList<QByteArray> lines = f.readAll().split('\n');
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

}  // namespace

class CliTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;  // a scorecard trained once in initTestCase

    QString tmp(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_model = tmp("german_scorecard.cwbm");
        const CliRun run = runCli({"train", "--data", sample("german_credit.csv"), "--target",
                                   "class", "--bad", "2", "--algorithm", "scorecard", "--cv", "3",
                                   "--seed", "7", "--out", m_model, "--json", "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto j = run.json();
        QVERIFY(j.is_object());
        for (const char* key : {"algorithm", "cv_auc", "cv_auc_sd", "cv_gini", "cv_ks", "rows",
                                "features", "seconds", "warnings"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["algorithm"].get<std::string>(), std::string("scorecard"));
        QCOMPARE(j["rows"].get<int>(), 1000);
        QCOMPARE(j["features"].get<int>(), 20);
        QVERIFY(j["cv_auc"].get<double>() > 0.7);
        QVERIFY(std::abs(j["cv_gini"].get<double>() - (2 * j["cv_auc"].get<double>() - 1)) < 1e-12);
        QVERIFY(QFile::exists(m_model));
    }

    void versionAndHelp() {
        const CliRun version = runCli({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.contains(CWB_VERSION));
        for (const char* command :
             {"train", "evaluate", "score", "explain", "import-xgboost", "info"}) {
            const CliRun help = runCli({command, "--help"});
            QVERIFY2(help.exitCode == 0, command);
            QVERIFY2(help.out.contains("--"), command);
        }
        QCOMPARE(runCli({}).exitCode, 2);
        QCOMPARE(runCli({"frobnicate"}).exitCode, 2);
    }

    void evaluateReportsMetrics() {
        const CliRun run =
            runCli({"evaluate", "--model", m_model, "--data", sample("german_credit.csv"),
                    "--target", "class", "--bad", "2", "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto j = run.json();
        for (const char* key : {"auc", "gini", "ks", "brier", "log_loss", "rows", "bad_rate"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["rows"].get<int>(), 1000);
        QCOMPARE(j["bad_rate"].get<double>(), 0.3);  // 300 bads in German credit
        QVERIFY(j["auc"].get<double>() > 0.75 && j["auc"].get<double>() < 1.0);
    }

    void scoreWritesTheContractColumns() {
        const QString out = tmp("scored.csv");
        const CliRun run = runCli({"score", "--model", m_model, "--in", sample("applicants.csv"),
                                   "--out", out, "--reasons", "4", "--json", "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto j = run.json();
        for (const char* key : {"rows_read", "rows_scored", "rows_rejected", "seconds"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["rows_read"].get<int>(), 10);
        QCOMPARE(j["rows_scored"].get<int>() + j["rows_rejected"].get<int>(), 10);
        const auto lines = readLines(out);
        QCOMPARE(lines.first(),
                 QByteArray("applicant_id,pd,score,decision,reason_1,reason_2,reason_3,reason_4"));
        QCOMPARE(lines.size(), 1 + j["rows_scored"].get<int>());
        const auto fields = lines[1].split(',');
        QCOMPARE(fields.size(), 8);
        bool ok = false;
        const double pd = fields[1].toDouble(&ok);
        QVERIFY(ok && pd > 0.0 && pd < 1.0);
        QVERIFY(QList<QByteArray>({"approve", "refer", "decline"}).contains(fields[3]));
    }

    void explainMatchesScoreAndAddsUp() {
        const QString out = tmp("scored_for_explain.csv");
        QCOMPARE(runCli({"score", "--model", m_model, "--in", sample("applicants.csv"), "--out",
                         out, "--quiet"})
                     .exitCode,
                 0);
        const auto scored = readLines(out);
        for (int row = 1; row <= 3; ++row) {
            const CliRun run =
                runCli({"explain", "--model", m_model, "--in", sample("applicants.csv"), "--row",
                        QString::number(row), "--json"});
            QVERIFY2(run.exitCode == 0, run.err.constData());
            const auto j = run.json();
            for (const char* key :
                 {"pd", "score", "decision", "base_value", "contributions", "reasons"})
                QVERIFY2(j.contains(key), key);
            double sum = j["base_value"].get<double>();
            for (const auto& [feature, value] : j["contributions"].items())
                sum += value.get<double>();
            QVERIFY(std::abs(sum - j["margin"].get<double>()) < 1e-4);
            // Same PD as the batch output for the same row.
            const double batchPd = scored[row].split(',')[1].toDouble();
            QVERIFY(std::abs(batchPd - j["pd"].get<double>()) < 1e-9);
            QVERIFY(j["reasons"].size() <= 4);
            double previous = 1e300;
            for (const auto& r : j["reasons"]) {
                QVERIFY(!r["text"].get<std::string>().empty());
                const double c = r["contribution"].get<double>();
                QVERIFY(c > 0.0 && c <= previous);
                previous = c;
            }
        }
    }

    void explainNamesTheBundleAsScoreDoes() {
        const CliRun info = runCli({"info", m_model, "--json"});
        QVERIFY2(info.exitCode == 0, info.err.constData());
        const std::string sha = info.json()["bundle_sha256"].get<std::string>();
        QCOMPARE(sha.size(), std::size_t{64});
        const CliRun score = runCli({"score", "--model", m_model, "--in", sample("applicants.csv"),
                                     "--out", tmp("scored_for_sha.csv"), "--quiet", "--json"});
        QVERIFY2(score.exitCode == 0, score.err.constData());
        QCOMPARE(score.json()["bundle_sha256"].get<std::string>(), sha);
        const CliRun explain = runCli({"explain", "--model", m_model, "--in",
                                       sample("applicants.csv"), "--row", "1", "--json"});
        QVERIFY2(explain.exitCode == 0, explain.err.constData());
        QCOMPARE(explain.json()["bundle_sha256"].get<std::string>(), sha);
    }

    void explainRecordJson() {
        const CliRun run = runCli({"explain", "--model", m_model, "--record",
                                   R"({"duration_months": 48, "credit_amount": 12000})", "--json"});
        // Characteristics without missing values in training may not be left out.
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("missing"));
    }

    void rejectsAreListedWithLineAndReason() {
        const auto header = readLines(sample("applicants.csv")).first();
        const auto good = readLines(sample("applicants.csv"))[1];
        QByteArray text = header + "\n" + good + "\n";
        text += "X1,not-a-number" + QByteArray(",x").repeated(19) + "\n";  // bad field values
        text += good + ",surplus\n";                                       // extra field
        text += good + "\n";
        const QString in = tmp("dirty.csv");
        QFile f(in);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        f.close();
        const QString out = tmp("dirty_scored.csv");
        const QString rejects = tmp("dirty_rejects.csv");
        const CliRun run = runCli({"score", "--model", m_model, "--in", in, "--out", out,
                                   "--rejects", rejects, "--json", "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto j = run.json();
        QCOMPARE(j["rows_read"].get<int>(), 4);
        QCOMPARE(j["rows_scored"].get<int>(), 2);
        QCOMPARE(j["rows_rejected"].get<int>(), 2);
        const auto lines = readLines(rejects);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], QByteArray("line,column,reason,record"));
        QVERIFY(lines[1].startsWith("3,"));
        QVERIFY(lines[2].startsWith("4,"));
        QVERIFY(lines[2].contains("field"));
    }

    void badInputGivesExitTwoAndNamesTheFile() {
        const CliRun noTarget = runCli({"train", "--data", sample("german_credit.csv"), "--target",
                                        "no_such_column", "--out", tmp("x.cwbm"), "--quiet"});
        QCOMPARE(noTarget.exitCode, 2);
        QVERIFY(noTarget.err.contains("german_credit.csv"));
        QVERIFY(noTarget.err.contains("no_such_column"));
        QVERIFY(!QFile::exists(tmp("x.cwbm")));

        const QString empty = tmp("empty.csv");
        QFile e(empty);
        QVERIFY(e.open(QIODevice::WriteOnly));
        e.close();
        const CliRun emptyRun = runCli(
            {"train", "--data", empty, "--target", "class", "--out", tmp("y.cwbm"), "--quiet"});
        QCOMPARE(emptyRun.exitCode, 2);
        QVERIFY(emptyRun.err.contains("empty.csv"));

        const CliRun oneClass = runCli({"train", "--data", sample("german_credit.csv"), "--target",
                                        "class", "--bad", "7", "--out", tmp("z.cwbm"), "--quiet"});
        QCOMPARE(oneClass.exitCode, 2);

        const CliRun notAModel = runCli({"info", sample("applicants.csv")});
        QCOMPARE(notAModel.exitCode, 2);
        QVERIFY(notAModel.err.contains("applicants.csv"));

        const CliRun badRow = runCli(
            {"explain", "--model", m_model, "--in", sample("applicants.csv"), "--row", "999"});
        QCOMPARE(badRow.exitCode, 2);
    }

    void infoDescribesTheBundle() {
        const CliRun run = runCli({"info", m_model, "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto j = run.json();
        QCOMPARE(j["algorithm"].get<std::string>(), std::string("scorecard"));
        QCOMPARE(j["features"].size(), std::size_t(20));
        QCOMPARE(j["training"]["data_sha256"].get<std::string>().size(), std::size_t(64));
        QCOMPARE(j["id_column"].get<std::string>(), std::string("applicant_id"));
    }

    void sameDataAndSeedGiveIdenticalScores() {
        const QString again = tmp("again.cwbm");
        QCOMPARE(runCli({"train", "--data", sample("german_credit.csv"), "--target", "class",
                         "--bad", "2", "--algorithm", "scorecard", "--cv", "3", "--seed", "7",
                         "--out", again, "--quiet"})
                     .exitCode,
                 0);
        const QString a = tmp("a.csv"), b = tmp("b.csv");
        QCOMPARE(runCli({"score", "--model", m_model, "--in", sample("batch_german.csv"), "--out",
                         a, "--quiet"})
                     .exitCode,
                 0);
        QCOMPARE(runCli({"score", "--model", again, "--in", sample("batch_german.csv"), "--out", b,
                         "--quiet"})
                     .exitCode,
                 0);
        const auto la = readLines(a), lb = readLines(b);
        QCOMPARE(la.size(), 5001);
        QVERIFY(la == lb);
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
