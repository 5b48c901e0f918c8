// `cwb report validation` end to end: the PDF has every section, its AUC and KS equal
// `cwb evaluate` on the same file to the printed precision, every page renders with pdftoppm,
// and the Excel workbook holds the same figures as real numbers with number formats (read back
// with openpyxl). Bad input leaves no file behind.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "CliRunner.h"

using namespace cwb::test;

namespace {

QString runTool(const QString& program, const QStringList& args, int* exitCode = nullptr) {
    QProcess p;
    p.start(program, args);
    p.waitForFinished(120000);
    if (exitCode) *exitCode = p.exitCode();
    return QString::fromUtf8(p.readAllStandardOutput()) +
           QString::fromUtf8(p.readAllStandardError());
}

QString pdfText(const QString& pdf) {
    return runTool("pdftotext", {pdf, "-"});
}

int pdfPages(const QString& pdf) {
    const QString info = runTool("pdfinfo", {pdf});
    const auto m = QRegularExpression("Pages:\\s+(\\d+)").match(info);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

// The first 600 applicants: a file that is not the development sample.
QString holdout(const QTemporaryDir& dir) {
    QFile in(QString::fromStdString(sourcePath("sample_data/german_credit.csv")));
    if (!in.open(QIODevice::ReadOnly)) return {};
    QByteArray text;
    for (int k = 0; k < 601 && !in.atEnd(); ++k)
        text += in.readLine();
    const QString path = dir.filePath("holdout.csv");
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly)) return {};
    out.write(text);
    return path;
}

}  // namespace

class ReportValidationTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const QString m_model = QString::fromStdString(sourcePath("models/german_credit.cwbm"));
    const QString m_dev = QString::fromStdString(sourcePath("sample_data/german_credit.csv"));

private slots:
    void pdfHasEverySectionAndTheEvaluateFigures() {
        const QString data = holdout(m_dir);
        QVERIFY(!data.isEmpty());
        const QString pdf = m_dir.filePath("validation.pdf");
        const QString xlsx = m_dir.filePath("validation.xlsx");
        const CliRun run =
            runCli({"report", "validation", "--model", m_model, "--data", data, "--protected",
                    "personal_status_sex,age_years", "--out", pdf, "--xlsx", xlsx, "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const CliRun evaluate = runCli({"evaluate", "--model", m_model, "--data", data, "--json"});
        QVERIFY2(evaluate.exitCode == 0, evaluate.err.constData());
        const double auc = evaluate.json()["auc"].get<double>();
        const double ks = evaluate.json()["ks"].get<double>();
        QCOMPARE(run.json()["auc"].get<double>(), auc);
        QCOMPARE(run.json()["ks"].get<double>(), ks);

        const QString text = pdfText(pdf);
        for (const char* section :
             {"Model validation report", "Model identity", "Purpose and data", "Characteristics",
              "Method and parameters", "Performance", "Stability", "Fairness", "Explanation checks",
              "Diagnostics and warnings", "Limitations", "Approval", "ROC curve",
              "Calibration table", "Gains table", "Confusion matrix", "Bundle SHA-256",
              "Prepared by"})
            QVERIFY2(text.contains(section), section);
        // Figures as `cwb evaluate` prints them (4 decimals), in the chart notes and the table.
        QVERIFY2(text.contains("AUC " + QString::number(auc, 'f', 4)), qPrintable(text.left(400)));
        QVERIFY(text.contains("KS " + QString::number(ks, 'f', 4)));
        // Additivity was checked on every row and passed.
        QVERIFY(text.contains("Rows checked: 600"));
        QVERIFY(text.contains("passed."));
        // A hold-out file is not flagged as the development sample.
        QVERIFY(!text.contains("is the development sample"));
        QVERIFY(text.contains("Page 1 of "));

        // Every page renders.
        const int pages = pdfPages(pdf);
        QVERIFY(pages >= 5);
        QCOMPARE(run.json()["pages"].get<int>(), pages);
        int rc = -1;
        runTool("pdftoppm", {"-r", "40", "-png", pdf, m_dir.filePath("page")}, &rc);
        QCOMPARE(rc, 0);
        const QStringList pngs = QDir(m_dir.path()).entryList({"page*.png"});
        QCOMPARE(pngs.size(), pages);
        for (const auto& png : pngs)
            QVERIFY(QFileInfo(m_dir.filePath(png)).size() > 1000);

        // The workbook, read back: real numbers equal to cwb evaluate and cwb fairness.
        const CliRun fairness = runCli({"fairness", "--model", m_model, "--data", data,
                                        "--protected", "personal_status_sex", "--json", "--quiet"});
        QVERIFY2(fairness.exitCode == 0, fairness.err.constData());
        const nlohmann::json fairnessJson = fairness.json();
        const nlohmann::json group = fairnessJson["attributes"][0]["groups"][0];
        const QString script = QString::fromStdString(sourcePath("tests/core/read_xlsx.py"));
        // Debian's interpreter, which python3-openpyxl installs into (another python3 may come
        // first on PATH).
        const QString python = QFile::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        const QString out = runTool(python, {script, xlsx}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        const auto j = nlohmann::json::parse(out.toStdString(), nullptr, false);
        QVERIFY2(j.is_object(), qPrintable(out));
        QCOMPARE(j["auc"].get<double>(), auc);
        QCOMPARE(j["ks"].get<double>(), ks);
        QCOMPARE(j["auc_format"].get<std::string>(), std::string("0.0000"));
        QVERIFY(j["bad_rate_format"].get<std::string>().find('%') != std::string::npos);
        QCOMPARE(j["frozen"].get<std::string>(), std::string("A3"));
        QCOMPARE(j["first_group"].get<std::string>(), group["group"].get<std::string>());
        QCOMPARE(j["first_group_approval"].get<double>(), group["approval_rate"].get<double>());
        QVERIFY(j["sheets"].get<int>() >= 10);
    }

    void developmentSampleIsFlaggedAsInSample() {
        const QString pdf = m_dir.filePath("dev.pdf");
        const CliRun run = runCli(
            {"report", "validation", "--model", m_model, "--data", m_dev, "--out", pdf, "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(pdfText(pdf).contains("is the development sample"));
    }

    void badInputLeavesNoFile() {
        const QString pdf = m_dir.filePath("never.pdf");
        const CliRun run = runCli(
            {"report", "validation", "--model", m_model, "--data",
             QString::fromStdString(sourcePath("sample_data/batch_german.csv")), "--out", pdf});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("class"));
        QVERIFY(!QFile::exists(pdf));
        QVERIFY(
            QDir(m_dir.path()).entryList({"*never*"}, QDir::AllEntries | QDir::Hidden).isEmpty());
    }
};

QTEST_GUILESS_MAIN(ReportValidationTest)
#include "tst_report_validation.moc"
