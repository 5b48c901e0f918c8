// A model with derived ratios end to end through `cwb` (decision 51): `cwb train --algorithm
// auto` proposes the ratio a loan file's risk is made of, `cwb info` names it, the validation
// report says which constraints the model keeps and that it derives ratios, `cwb export-sql`
// refuses it with the way out, and `--no-ratios` trains a model that exports.

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

#include "CliRunner.h"

using namespace cwb::test;

namespace {

// Risk is the monthly payment: amount / months above 300 is risky, whatever amount and months
// are on their own; age is noise.
QString writePayments(const QTemporaryDir& dir) {
    const QString path = dir.filePath("payments.csv");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    std::mt19937 rng(21);
    std::uniform_real_distribution<double> amount(500.0, 15000.0), u(0.0, 1.0);
    std::uniform_int_distribution<int> months(6, 60), age(19, 75);
    QByteArray text = "amount,months,age,bad\n";
    for (int r = 0; r < 1500; ++r) {
        const long a = std::lround(amount(rng));
        const int m = months(rng);
        const double logit = static_cast<double>(a) / m > 300.0 ? 1.2 : -1.6;
        const int bad = u(rng) < 1.0 / (1.0 + std::exp(-logit)) ? 1 : 0;
        text += QByteArray::number(static_cast<qlonglong>(a)) + ',' + QByteArray::number(m) + ',' +
                QByteArray::number(age(rng)) + ',' + QByteArray::number(bad) + '\n';
    }
    f.write(text);
    return path;
}

}  // namespace

class CliRatioModelTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void trainInfoReportAndExport() {
        const QString data = writePayments(m_dir);
        QVERIFY(!data.isEmpty());
        const QString model = m_dir.filePath("payments.cwbm");
        const CliRun train =
            runCli({"train", "--data", data, "--target", "bad", "--algorithm", "auto", "--cv", "3",
                    "--seed", "5", "--out", model, "--json", "--quiet"});
        QVERIFY2(train.exitCode == 0, train.err.constData());
        const auto j = train.json();
        QVERIFY(j["algorithm"].get<std::string>() != "scorecard");
        QCOMPARE(j["search"]["final"]["ratios"][0].get<std::string>(),
                 std::string("amount/months"));
        QVERIFY2(train.err.contains("ratios proposed on all rows: amount/months"),
                 train.err.constData());

        const CliRun info = runCli({"info", model, "--json"});
        QVERIFY2(info.exitCode == 0, info.err.constData());
        QCOMPARE(info.json()["ratios"][0].get<std::string>(), std::string("amount/months"));
        const auto metrics = info.json()["metrics"];
        QCOMPARE(metrics["ratios"][0]["numerator"].get<std::string>(), std::string("amount"));
        QCOMPARE(metrics["ratios"][0]["denominator"].get<std::string>(), std::string("months"));
        const CliRun infoText = runCli({"info", model});
        QVERIFY2(infoText.out.contains("derived:") && infoText.out.contains("amount/months"),
                 infoText.out.constData());

        // The validation report: the constraints the model claims in the characteristics table
        // (it read none for tree models before: metrics.monotone is a list), the ratios among
        // the limitations, and no monotonicity finding for what it claims.
        const QString pdf = m_dir.filePath("validation.pdf");
        const CliRun report = runCli({"report", "validation", "--model", model, "--data", data,
                                      "--out", pdf, "--json", "--quiet"});
        QVERIFY2(report.exitCode == 0, report.err.constData());
        QProcess text;
        text.start("pdftotext", {"-raw", pdf, "-"});
        QVERIFY(text.waitForFinished(60000));
        const QString pdfText = QString::fromUtf8(text.readAllStandardOutput()).simplified();
        QVERIFY2(pdfText.contains("derives ratio characteristics from its inputs (amount/months)"),
                 qPrintable(pdfText.right(3000)));
        QVERIFY(pdfText.contains("cannot be exported as SQL"));
        QVERIFY(!pdfText.contains("Parameter ratios"));  // indices, not names
        int claimed = 0;
        for (const auto& c : metrics["monotone"])
            claimed += c.get<int>() != 0 ? 1 : 0;
        QVERIFY(claimed > 0);
        QVERIFY2(pdfText.contains("increasing") || pdfText.contains("decreasing"),
                 qPrintable(pdfText.left(3000)));

        const CliRun sql = runCli({"export-sql", "--model", model, "--dialect", "sqlite"});
        QCOMPARE(sql.exitCode, 2);
        QVERIFY2(sql.err.contains("derived ratio") && sql.err.contains("--no-ratios"),
                 sql.err.constData());

        // Without ratios: the same search on the characteristics alone, a model that exports.
        const QString plain = m_dir.filePath("plain.cwbm");
        const CliRun noRatios =
            runCli({"train", "--data", data, "--target", "bad", "--algorithm", "auto", "--cv", "3",
                    "--seed", "5", "--no-ratios", "--out", plain, "--json", "--quiet"});
        QVERIFY2(noRatios.exitCode == 0, noRatios.err.constData());
        QVERIFY(noRatios.json()["search"]["final"]["ratios"].empty());
        QVERIFY(!runCli({"info", plain, "--json"}).json().contains("ratios"));
        const CliRun plainSql = runCli({"export-sql", "--model", plain, "--dialect", "sqlite",
                                        "--out", m_dir.filePath("plain.sql"), "--quiet"});
        QVERIFY2(plainSql.exitCode == 0, plainSql.err.constData());
        // The ratio is what the risk is made of: the search with it measures better.
        QVERIFY2(j["cv_auc"].get<double>() > noRatios.json()["cv_auc"].get<double>(),
                 qPrintable(QString("%1 vs %2")
                                .arg(j["cv_auc"].get<double>())
                                .arg(noRatios.json()["cv_auc"].get<double>())));
    }
};

QTEST_GUILESS_MAIN(CliRatioModelTest)
#include "tst_cli_ratio_model.moc"
