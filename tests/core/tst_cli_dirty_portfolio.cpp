// Nothing lost on a dirty file: `cwb score` on a portfolio with 1 % corrupted rows
// (../shared/bench/make_portfolio.py --dirty 0.01: text in a number, a field missing or extra,
// an empty value, a number beyond float range) scores every good row, in input order, and lists
// every bad one in the rejects file with its line and a reason; rows read = scored + rejected.
// Which rows are bad is decided here, independently of the engine, from the file's text.

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "CliRunner.h"

using namespace cwb::test;

namespace {

// A value the model's schema takes: a finite number written in full (the training data has no
// missing values, so an empty field is refused as well).
bool isNumber(const QByteArray& field) {
    if (field.isEmpty()) return false;
    const std::string text = field.toStdString();
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && std::isfinite(v) &&
           std::fabs(v) <= 3.4028234663852886e38;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class DirtyPortfolioTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void everyRowIsScoredOrRejected() {
        const QString portfolio = m_dir.filePath("dirty.csv");
        QProcess make;
        make.start("/usr/bin/python3",
                   {QString::fromStdString(sharedPath("bench/make_portfolio.py")), "--rows",
                    "20000", "--dirty", "0.01", "--seed", "11", "--out", portfolio});
        QVERIFY(make.waitForFinished(120000));
        QVERIFY2(make.exitCode() == 0, make.readAllStandardError().constData());

        const QString model = m_dir.filePath("taiwan.cwbm");
        CliRun run = runCli({"train", "--data",
                             QString::fromStdString(sharedPath("data/taiwan/UCI_Credit_Card.csv")),
                             "--target", "Y", "--id", "ID", "--algorithm", "xgboost", "--cv", "2",
                             "--seed", "1", "--out", model, "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());

        const QString scored = m_dir.filePath("scored.csv");
        run = runCli({"score", "--model", model, "--in", portfolio, "--out", scored, "--reasons",
                      "4", "--threads", "2", "--chunk-rows", "1000", "--json", "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto summary = run.json();

        // The expectation, from the text alone.
        QFile in(portfolio);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const int columns = static_cast<int>(in.readLine().trimmed().split(',').size());
        QCOMPARE(columns, 24);
        std::set<long> badLines;
        std::vector<QByteArray> goodIds;
        long line = 1;
        while (!in.atEnd()) {
            const QList<QByteArray> fields = in.readLine().trimmed().split(',');
            ++line;
            bool good = fields.size() == columns;
            for (const QByteArray& f : fields)
                good = good && isNumber(f);
            if (good)
                goodIds.push_back(fields[0]);
            else
                badLines.insert(line);
        }
        const std::size_t rows = static_cast<std::size_t>(line - 1);
        QCOMPARE(rows, std::size_t(20000));
        qInfo("%zu rows, %zu corrupted", rows, badLines.size());
        QVERIFY(badLines.size() > 100 && badLines.size() < 300);  // about 1 % of 20000

        QCOMPARE(summary["rows_read"].get<std::size_t>(), rows);
        QCOMPARE(summary["rows_scored"].get<std::size_t>(), goodIds.size());
        QCOMPARE(summary["rows_rejected"].get<std::size_t>(), badLines.size());

        // Every good row scored, in input order.
        QFile out(scored);
        QVERIFY(out.open(QIODevice::ReadOnly));
        QVERIFY(out.readLine().startsWith("ID,pd,score,decision,reason_1"));
        std::size_t k = 0;
        while (!out.atEnd()) {
            const QByteArray id = out.readLine().split(',').front();
            QVERIFY2(k < goodIds.size(), "more scored rows than good rows");
            QCOMPARE(id, goodIds[k]);
            ++k;
        }
        QCOMPARE(k, goodIds.size());

        // Every bad row listed once, with its line and a reason.
        QFile rejects(QString::fromStdString(summary["rejects"].get<std::string>()));
        QVERIFY(rejects.open(QIODevice::ReadOnly));
        QCOMPARE(rejects.readLine().trimmed(), QByteArray("line,column,reason,record"));
        std::set<long> listed;
        std::map<std::string, int> reasons;
        while (!rejects.atEnd()) {
            const QByteArray record = rejects.readLine();
            const QList<QByteArray> parts = record.split(',');
            QVERIFY(parts.size() >= 4);
            QVERIFY2(listed.insert(parts[0].toLong()).second, record.constData());
            const QByteArray reason = parts[2].startsWith('"') ? parts[2].mid(1) : parts[2];
            QVERIFY2(!reason.trimmed().isEmpty(), record.constData());
            ++reasons[reason.left(24).toStdString()];
        }
        QVERIFY(listed == badLines);
        for (const auto& [reason, count] : reasons)
            qInfo("%5d x %s...", count, reason.c_str());

        // The same rows written differently: CRLF line ends, a blank line before every 50th
        // row, every 997th ID in quotes (which sends that stretch through the reader's
        // record-by-record path instead of the workers' plain-line path), no final line break.
        // Same scores, same rejects on the moved line numbers.
        QFile source(portfolio);
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray variant = source.readLine().trimmed() + "\r\n";
        for (long k = 1; !source.atEnd(); ++k) {
            QByteArray row = source.readLine().trimmed();
            if (k % 50 == 0) variant += "  \r\n";
            if (k % 997 == 0) {
                const int comma = row.indexOf(',');
                row = '"' + row.left(comma) + '"' + row.mid(comma);
            }
            variant += row;
            if (!source.atEnd()) variant += "\r\n";
        }
        const QString variantPath = m_dir.filePath("variant.csv");
        QFile variantFile(variantPath);
        QVERIFY(variantFile.open(QIODevice::WriteOnly));
        variantFile.write(variant);
        variantFile.close();
        const QString variantScored = m_dir.filePath("variant_scored.csv");
        run = runCli({"score", "--model", model, "--in", variantPath, "--out", variantScored,
                      "--reasons", "4", "--threads", "2", "--chunk-rows", "700", "--json",
                      "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json()["rows_read"].get<std::size_t>(), rows);
        QVERIFY(readAll(variantScored) == readAll(scored));
        std::set<long> movedLines;
        for (long badLine : badLines) {
            const long k = badLine - 1;  // data row number
            movedLines.insert(1 + k + k / 50);
        }
        QFile variantRejects(QString::fromStdString(run.json()["rejects"].get<std::string>()));
        QVERIFY(variantRejects.open(QIODevice::ReadOnly));
        variantRejects.readLine();
        std::set<long> variantListed;
        while (!variantRejects.atEnd())
            variantListed.insert(variantRejects.readLine().split(',').front().toLong());
        QVERIFY(variantListed == movedLines);
    }
};

QTEST_GUILESS_MAIN(DirtyPortfolioTest)
#include "tst_cli_dirty_portfolio.moc"
