// `cwb report adverse-action` and `cwb report batch` end to end: one notice page per declined
// applicant of `cwb score`, with that applicant's reasons in the model's plain-language texts, a
// CSV index, the lender's details and the rights template filled in; the batch report's counts
// equal the decisions `cwb score` writes. Pages are checked with pdfinfo, pdftotext and pdftoppm.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>

#include "CliRunner.h"
#include "data/Table.h"
#include "scoring/ModelBundle.h"

using namespace cwb::test;

namespace {

QString runTool(const QString& program, const QStringList& args, int* exitCode = nullptr) {
    QProcess p;
    p.start(program, args);
    p.waitForFinished(120000);
    if (exitCode) *exitCode = p.exitCode();
    return QString::fromUtf8(p.readAllStandardOutput());
}

int pdfPages(const QString& pdf) {
    const auto m = QRegularExpression("Pages:\\s+(\\d+)").match(runTool("pdfinfo", {pdf}));
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

QString pageText(const QString& pdf, int page) {
    return runTool("pdftotext",
                   {"-f", QString::number(page), "-l", QString::number(page), pdf, "-"})
        .simplified();
}

}  // namespace

class ReportNoticesTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const QString m_model = QString::fromStdString(sourcePath("models/german_credit.cwbm"));
    const QString m_applicants = QString::fromStdString(sourcePath("sample_data/applicants.csv"));
    const QString m_batch = QString::fromStdString(sourcePath("sample_data/batch_german.csv"));

private slots:
    void oneNoticePerDeclineWithItsReasons() {
        const QString scored = m_dir.filePath("scored.csv");
        const CliRun score =
            runCli({"score", "--model", m_model, "--in", m_applicants, "--out", scored, "--quiet"});
        QVERIFY2(score.exitCode == 0, score.err.constData());
        auto table = cwb::readTable(scored.toStdString());
        QVERIFY(table.ok());
        auto bundle = cwb::loadBundle(m_model.toStdString());
        QVERIFY(bundle.ok());
        // The score output keeps the input's row order (no rejects in this file).
        auto input = cwb::readTable(m_applicants.toStdString());
        QVERIFY(input.ok());
        std::size_t specific = 0;  // reasons worded for the applicant's own level or range

        const QString pdf = m_dir.filePath("notices.pdf");
        const QString index = m_dir.filePath("notices.csv");
        const CliRun run = runCli({"report",
                                   "adverse-action",
                                   "--model",
                                   m_model,
                                   "--in",
                                   m_applicants,
                                   "--declined",
                                   "--lender-name",
                                   "Example Bank plc",
                                   "--lender-address",
                                   "1 Main Street",
                                   "--lender-contact",
                                   "0800 000 000",
                                   "--date",
                                   "2026-12-01",
                                   "--out",
                                   pdf,
                                   "--index",
                                   index,
                                   "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        auto notices = cwb::readTable(index.toStdString());
        QVERIFY(notices.ok());

        const auto column = [&](const cwb::Table& t, const char* name) {
            return t.columns[static_cast<std::size_t>(t.columnIndex(name))];
        };
        std::vector<std::size_t> declined;
        const auto decisions = column(*table, "decision");
        for (std::size_t r = 0; r < decisions.size(); ++r)
            if (decisions[r] == "decline") declined.push_back(r);
        QVERIFY(!declined.empty());
        QCOMPARE(run.json()["notices"].get<std::size_t>(), declined.size());
        QCOMPARE(notices->rows(), declined.size());
        QCOMPARE(pdfPages(pdf), static_cast<int>(declined.size()));

        for (std::size_t k = 0; k < declined.size(); ++k) {
            const std::size_t r = declined[k];
            const std::string id = column(*table, "applicant_id")[r];
            QCOMPARE(column(*notices, "applicant_id")[k], id);
            QCOMPARE(column(*notices, "score")[k], column(*table, "score")[r]);
            QCOMPARE(column(*notices, "page")[k], std::to_string(k + 1));
            const QString text = pageText(pdf, static_cast<int>(k + 1));
            QVERIFY(text.contains(QString::fromStdString(id)));
            QVERIFY(text.contains("Your application has been declined."));
            QVERIFY(
                text.contains("Your score: " + QString::fromStdString(column(*table, "score")[r])));
            QVERIFY(text.contains("Example Bank plc"));
            QVERIFY(text.contains("2026-12-01"));
            QVERIFY(text.contains("legal responsibility"));  // the default template's warning
            // The reasons of `cwb score`, strongest first, as their plain-language texts.
            int at = -1;
            for (int j = 1; j <= 4; ++j) {
                const std::string feature =
                    column(*table, ("reason_" + std::to_string(j)).c_str())[r];
                if (feature.empty()) continue;
                // The most specific text: for the applicant's level or range, else the
                // characteristic's.
                const std::string value = column(*input, feature.c_str())[r];
                const std::string wording = bundle->reasonTextOf(feature, value);
                if (wording != bundle->reasonText(feature)) ++specific;
                const QString reason =
                    QString::number(j) + ". " + QString::fromStdString(wording).simplified();
                const int found = text.indexOf(reason);
                QVERIFY2(found > at, qPrintable(reason));
                at = found;
            }
        }
        // The shipped model words its reasons per level and range (models/build_default_model.sh).
        QVERIFY(specific > 0);
        int rc = -1;
        runTool("pdftoppm", {"-r", "30", "-png", pdf, m_dir.filePath("notice")}, &rc);
        QCOMPARE(rc, 0);
        QCOMPARE(QDir(m_dir.path()).entryList({"notice*.png"}).size(),
                 static_cast<int>(declined.size()));
    }

    void templateAndSingleRow() {
        const QString rights = m_dir.filePath("rights.txt");
        QFile f(rights);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Write to {lender_name} at {lender_address} quoting {applicant_id} by {date}.");
        f.close();
        // Row 2 of the sample applicants (N0002) is declined.
        const QString pdf = m_dir.filePath("one.pdf");
        const CliRun run =
            runCli({"report", "adverse-action", "--model", m_model, "--in", m_applicants, "--row",
                    "2", "--lender-name", "Acme Credit", "--lender-address", "PO Box 7",
                    "--template", rights, "--date", "2026-12-02", "--out", pdf, "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(pdfPages(pdf), 1);
        QVERIFY(pageText(pdf, 1).contains(
            "Write to Acme Credit at PO Box 7 quoting N0002 by 2026-12-02."));

        // An approved applicant gets no notice; nothing is written.
        const QString approved = m_dir.filePath("approved.pdf");
        const CliRun refused = runCli({"report", "adverse-action", "--model", m_model, "--in",
                                       m_applicants, "--row", "3", "--out", approved});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY(refused.err.contains("approved"));
        QVERIFY(!QFile::exists(approved));
        const CliRun neither = runCli(
            {"report", "adverse-action", "--model", m_model, "--in", m_applicants, "--out", pdf});
        QCOMPARE(neither.exitCode, 2);
    }

    void batchReportCountsEqualScoreDecisions() {
        const QString scored = m_dir.filePath("batch_scored.csv");
        const CliRun score =
            runCli({"score", "--model", m_model, "--in", m_batch, "--out", scored, "--quiet"});
        QVERIFY2(score.exitCode == 0, score.err.constData());
        auto table = cwb::readTable(scored.toStdString());
        QVERIFY(table.ok());
        std::map<std::string, std::size_t> counts;
        for (const auto& d :
             table->columns[static_cast<std::size_t>(table->columnIndex("decision"))])
            ++counts[d];
        const QString pdf = m_dir.filePath("batch.pdf");
        const CliRun run = runCli({"report", "batch", "--model", m_model, "--in", m_batch, "--out",
                                   pdf, "--xlsx", m_dir.filePath("batch.xlsx"), "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto j = run.json();
        QCOMPARE(j["approved"].get<std::size_t>(), counts["approve"]);
        QCOMPARE(j["referred"].get<std::size_t>(), counts["refer"]);
        QCOMPARE(j["declined"].get<std::size_t>(), counts["decline"]);
        QCOMPARE(pdfPages(pdf), j["pages"].get<int>());
        const QString text = runTool("pdftotext", {pdf, "-"});
        for (const char* section :
             {"Batch scoring report", "Decisions", "Score distribution", "Reasons among declines",
              "Stability", "Rows not scored", "Bundle SHA-256"})
            QVERIFY2(text.contains(section), section);
        QVERIFY(text.contains(QString::number(counts["decline"])));
        QVERIFY(QFile::exists(m_dir.filePath("batch.xlsx")));
    }
};

QTEST_GUILESS_MAIN(ReportNoticesTest)
#include "tst_report_notices.moc"
