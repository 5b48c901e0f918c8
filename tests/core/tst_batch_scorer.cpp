// The batch engine behind `cwb score` and the GUI's Batch view (scoring/BatchScorer.h), in
// process: every row gives what the single-applicant path (Scorer::explainRecord) gives; output
// does not depend on threads or chunk size; a cancelled or failed run leaves no file behind.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "data/CsvReader.h"
#include "scoring/BatchScorer.h"
#include "scoring/ModelBundle.h"
#include "scoring/Scorer.h"

using namespace cwb;
using namespace cwb::test;

namespace {

std::shared_ptr<const ModelBundle> shippedModel() {
    auto bundle = loadBundle(sourcePath("models/german_credit.cwbm"));
    if (!bundle) qFatal("%s", bundle.error().message.c_str());
    return std::make_shared<const ModelBundle>(std::move(*bundle));
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every file in dir, so a test can show that nothing (no .part, no rejects) was left.
QStringList filesIn(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList(QDir::Files);
}

}  // namespace

class TestBatchScorer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::shared_ptr<const ModelBundle> m_bundle;
    std::string m_input;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_bundle = shippedModel();
        m_input = sourcePath("sample_data/batch_german.csv");
    }

    void rowsEqualTheSingleApplicantPath() {
        BatchOptions options;
        options.input = m_input;
        options.output = m_dir.filePath("scored.csv").toStdString();
        options.reasons = 4;
        options.threads = 2;
        options.chunkRows = 333;  // many chunks, the last one short
        options.blockBytes = 20000;
        auto summary = scoreFile(*m_bundle, options, nullptr);
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().message.c_str());
        QCOMPARE(summary->rowsRead, std::size_t(5000));
        QCOMPARE(summary->rowsScored + summary->rowsRejected, summary->rowsRead);
        QCOMPARE(summary->rowsRejected, std::size_t(0));

        // The same rows, one by one, through the applicant path.
        const Scorer scorer(m_bundle);
        auto reader = CsvReader::open(m_input);
        QVERIFY(reader.ok());
        QFile out(QString::fromStdString(options.output));
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readLine().trimmed(),
                 QByteArray("applicant_id,pd,score,decision,reason_1,reason_2,reason_3,reason_4"));
        CsvRecord record;
        std::size_t rows = 0;
        std::map<std::string, std::size_t> decisions;
        for (;;) {
            auto more = (*reader)->next(record);
            QVERIFY(more.ok());
            if (!*more) break;
            std::map<std::string, std::string> values;
            for (std::size_t c = 0; c < record.fields.size(); ++c)
                values[(*reader)->header()[c]] = std::string(record.fields[c]);
            auto expected = scorer.explainRecord(values, 4);
            QVERIFY2(expected.ok(), expected.ok() ? "" : expected.error().message.c_str());
            const QList<QByteArray> got = out.readLine().trimmed().split(',');
            QCOMPARE(got.size(), 8);
            QCOMPARE(got[0].toStdString(), values["applicant_id"]);
            double pd = 0.0;
            std::from_chars(got[1].constData(), got[1].constData() + got[1].size(), pd);
            QCOMPARE(pd, expected->pd);  // written shortest round-trip: the very same double
            QCOMPARE(got[2].toLong(), expected->score);
            QCOMPARE(got[3].toStdString(), toString(expected->decision));
            ++decisions[toString(expected->decision)];
            for (std::size_t k = 0; k < 4; ++k) {
                const std::string want =
                    k < expected->reasons.size() ? expected->reasons[k].feature : std::string();
                QCOMPARE(got[4 + static_cast<int>(k)].toStdString(), want);
            }
            ++rows;
        }
        QVERIFY(out.atEnd());
        QCOMPARE(rows, std::size_t(5000));
        QVERIFY(decisions == summary->decisions);
        QVERIFY(!QFile::exists(QString::fromStdString(options.output + ".rejects.csv")));
    }

    // --reason-text: each reason_K_text is the text the applicant path gives for that reason
    // (the level's or range's own text, else the characteristic's), and the typed-value lookup
    // on the input's own field agrees. Without the option the columns are not there (above).
    void reasonTextsEqualTheApplicantPath() {
        BatchOptions options;
        options.input = m_input;
        options.output = m_dir.filePath("texts.csv").toStdString();
        options.reasons = 4;
        options.reasonTexts = true;
        options.threads = 2;
        options.blockBytes = 20000;
        auto summary = scoreFile(*m_bundle, options, nullptr);
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().message.c_str());
        QCOMPARE(summary->rowsScored, std::size_t(5000));

        const Scorer scorer(m_bundle);
        auto input = CsvReader::open(m_input);
        QVERIFY(input.ok());
        auto output = CsvReader::open(options.output);  // the texts hold commas: read as CSV
        QVERIFY(output.ok());
        const std::vector<std::string> want = {
            "applicant_id",  "pd",           "score",    "decision",      "reason_1",
            "reason_2",      "reason_3",     "reason_4", "reason_1_text", "reason_2_text",
            "reason_3_text", "reason_4_text"};
        QVERIFY((*output)->header() == want);
        CsvRecord in, out;
        std::size_t rows = 0, specific = 0;
        for (;;) {
            auto more = (*input)->next(in);
            QVERIFY(more.ok());
            if (!*more) break;
            auto moreOut = (*output)->next(out);
            QVERIFY(moreOut.ok() && *moreOut);
            QCOMPARE(out.fields.size(), std::size_t(12));
            std::map<std::string, std::string> values;
            for (std::size_t c = 0; c < in.fields.size(); ++c)
                values[(*input)->header()[c]] = std::string(in.fields[c]);
            auto expected = scorer.explainRecord(values, 4);
            QVERIFY(expected.ok());
            for (std::size_t k = 0; k < 4; ++k) {
                const std::string text(out.fields[8 + k]);
                if (k >= expected->reasons.size()) {
                    QVERIFY(text.empty());
                    continue;
                }
                const Reason& reason = expected->reasons[k];
                QCOMPARE(std::string(out.fields[4 + k]), reason.feature);
                QCOMPARE(text, reason.text);
                QCOMPARE(text, m_bundle->reasonTextOf(reason.feature, values[reason.feature]));
                if (text != m_bundle->reasonText(reason.feature)) ++specific;
            }
            ++rows;
        }
        auto end = (*output)->next(out);
        QVERIFY(end.ok() && !*end);
        QCOMPARE(rows, std::size_t(5000));
        // The shipped model has level and range texts: most reasons use them.
        QVERIFY2(specific > rows, std::to_string(specific).c_str());
    }

    void outputDoesNotDependOnThreadsOrChunks() {
        QByteArray first;
        for (const auto& [threads, chunk] : std::vector<std::pair<int, std::size_t>>{
                 {1, 16384}, {2, 1}, {2, 257}, {3, 4999}, {0, 5000}}) {
            BatchOptions options;
            options.input = m_input;
            options.output = m_dir.filePath("same.csv").toStdString();
            options.threads = threads;
            options.chunkRows = chunk;
            auto summary = scoreFile(*m_bundle, options, nullptr);
            QVERIFY(summary.ok());
            const QByteArray bytes = readAll(QString::fromStdString(options.output));
            QVERIFY(bytes.size() > 100000);
            if (first.isEmpty())
                first = bytes;
            else
                QVERIFY2(
                    bytes == first,
                    qPrintable(QString("threads %1, chunk %2 differ").arg(threads).arg(chunk)));
        }
    }

    // Issue 17: the batch view learnt the row count by parsing the progress text. The engine
    // passes it typed (BatchOptions::rowsDone): never decreasing, and at the end the rows read.
    void progressCountsRowsTyped() {
        BatchOptions options;
        options.input = m_input;
        options.output = m_dir.filePath("typed.csv").toStdString();
        options.chunkRows = 500;
        std::atomic<std::uint64_t> rows{0};
        options.rowsDone = &rows;
        ProgressToken token;
        token.setMinInterval(std::chrono::milliseconds(0));
        std::vector<std::uint64_t> seen;
        token.setCallback([&](double, const std::string&) { seen.push_back(rows.load()); });
        auto summary = scoreFile(*m_bundle, options, &token);
        QVERIFY(summary.ok());
        QVERIFY(seen.size() >= 3);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        // Counts arrive while the file is read, not only at the end.
        QVERIFY(std::any_of(seen.begin(), seen.end(),
                            [](std::uint64_t n) { return n > 0 && n < 5000; }));
        QCOMPARE(seen.back(), std::uint64_t(summary->rowsRead));
        QCOMPARE(rows.load(), std::uint64_t(5000));
    }

    void cancelLeavesNothing() {
        QTemporaryDir dir;
        BatchOptions options;
        options.input = m_input;
        options.output = dir.filePath("cancelled.csv").toStdString();
        options.chunkRows = 100;
        options.blockBytes = 4096;
        int reports = 0;
        ProgressToken token;
        token.setMinInterval(std::chrono::milliseconds(0));
        token.setCallback([&](double, const std::string&) {
            if (++reports == 2) token.cancel();  // after a few chunks have been written
        });
        auto summary = scoreFile(*m_bundle, options, &token);
        QVERIFY(!summary.ok());
        QCOMPARE(summary.error().message, std::string("cancelled"));
        QVERIFY(reports >= 2);
        QCOMPARE(filesIn(dir), QStringList());
    }

    void failureLeavesNothing() {
        QTemporaryDir dir;
        // An output that cannot be written (its folder does not exist): a clear error and no
        // temporary or rejects file left behind.
        BatchOptions options;
        options.input = m_input;
        options.output = dir.filePath("missing-folder/out.csv").toStdString();
        auto summary = scoreFile(*m_bundle, options, nullptr);
        QVERIFY(!summary.ok());
        QVERIFY2(summary.error().message.find("cannot write") != std::string::npos,
                 summary.error().message.c_str());
        QCOMPARE(filesIn(dir), QStringList());
    }

    void rejectedRowsAreListedWithLineAndReason() {
        QTemporaryDir dir;
        // Header and three rows of the sample batch, the second with a bad amount and the
        // third one field short.
        QFile in(QString::fromStdString(m_input));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray text = in.readLine();
        const QByteArray good = in.readLine();
        text += good;
        QByteArray badAmount = good;
        badAmount.replace(",1953,", ",lots,");
        text += badAmount;
        text += good.left(good.lastIndexOf(',')) + "\n";
        const std::string input = writeFile(dir, "three.csv", text.toStdString());
        BatchOptions options;
        options.input = input;
        options.output = dir.filePath("three.scored.csv").toStdString();
        auto summary = scoreFile(*m_bundle, options, nullptr);
        QVERIFY(summary.ok());
        QCOMPARE(summary->rowsRead, std::size_t(3));
        QCOMPARE(summary->rowsScored, std::size_t(1));
        QCOMPARE(summary->rowsRejected, std::size_t(2));
        const QList<QByteArray> rejects =
            readAll(QString::fromStdString(summary->rejectsPath)).split('\n');
        QVERIFY(rejects.size() >= 3);
        QVERIFY2(rejects[1].startsWith("3,credit_amount,"), rejects[1].constData());
        QVERIFY2(rejects[1].contains("lots"), rejects[1].constData());
        QVERIFY2(rejects[2].startsWith("4,,\"expected 21 fields, found 20\""),
                 rejects[2].constData());
    }

    // Lines without quotes go to the workers as byte blocks, split and counted there; a stretch
    // with quotes is parsed by the reader. The sample rewritten with ';' (no quotes needed)
    // but with a quoted field every few rows, a quoted line break in an id and bad amounts
    // scores exactly like the same rows fully quoted (every record parsed by the reader), and
    // the rejects name the right physical lines whatever the block size and threads.
    void plainBlocksAndQuotedRecordsAgree() {
        QTemporaryDir dir;
        auto reader = CsvReader::open(m_input);
        QVERIFY(reader.ok());
        const auto& header = (*reader)->header();
        const auto amount = static_cast<std::size_t>(
            std::find(header.begin(), header.end(), "credit_amount") - header.begin());
        std::string mixed, quoted;
        for (std::size_t c = 0; c < header.size(); ++c) {
            mixed += (c ? ";" : "") + header[c];
            quoted += (c ? ",\"" : "\"") + header[c] + "\"";
        }
        mixed += "\n";
        quoted += "\n";
        CsvRecord record;
        std::vector<std::int64_t> badLines;
        std::int64_t line = 2;
        for (std::size_t row = 0;; ++row) {
            auto more = (*reader)->next(record);
            QVERIFY(more.ok());
            if (!*more) break;
            for (std::size_t c = 0; c < record.fields.size(); ++c) {
                std::string field(record.fields[c]);
                if (c == amount && row % 397 == 5) field = "lots";
                if (c == 0 && row == 2500) field += "\nsecond line";
                const bool quote = (row % 211 == 7 && c == 3) || field.find('\n') != field.npos;
                mixed += (c ? ";" : "") + (quote ? "\"" + field + "\"" : field);
                quoted += (c ? ",\"" : "\"") + field + "\"";
            }
            mixed += "\n";
            quoted += "\n";
            if (row % 397 == 5) badLines.push_back(line);
            line += row == 2500 ? 2 : 1;
        }
        const std::string mixedPath = writeFile(dir, "mixed.csv", mixed);
        const std::string quotedPath = writeFile(dir, "quoted.csv", quoted);
        const auto score = [&](const std::string& input, int threads, std::size_t block) {
            BatchOptions options;
            options.input = input;
            options.output = dir.filePath("out.csv").toStdString();
            options.threads = threads;
            options.blockBytes = block;
            // A stretch with quotes is read as up to chunkRows records: a small one brings the
            // reader back to byte blocks often.
            options.chunkRows = 37;
            auto summary = scoreFile(*m_bundle, options, nullptr);
            if (!summary.ok()) qFatal("%s", summary.error().message.c_str());
            if (summary->rowsRejected != badLines.size()) qFatal("rejects differ");
            std::vector<std::int64_t> lines;
            const QList<QByteArray> rejects =
                readAll(QString::fromStdString(summary->rejectsPath)).split('\n');
            for (int r = 1; r < rejects.size(); ++r)
                if (!rejects[r].isEmpty()) lines.push_back(rejects[r].split(',')[0].toLongLong());
            if (lines != badLines) qFatal("reject lines differ (block %zu)", block);
            return readAll(QString::fromStdString(options.output));
        };
        const QByteArray expected = score(quotedPath, 1, 1 << 20);
        QVERIFY(expected.contains("\"B02501\nsecond line\""));
        for (const auto& [threads, block] : std::vector<std::pair<int, std::size_t>>{
                 {1, 1 << 20}, {2, 64}, {3, 1000}, {4, 7777}, {2, 512 << 10}})
            QVERIFY2(score(mixedPath, threads, block) == expected,
                     qPrintable(QString("threads %1, block %2").arg(threads).arg(block)));
    }

    // Invalid UTF-8 found by a worker in a later block is reported with its physical line.
    void invalidUtf8InABlockNamesItsLine() {
        QTemporaryDir dir;
        auto reader = CsvReader::open(m_input);
        QVERIFY(reader.ok());
        std::string text;
        for (std::size_t c = 0; c < (*reader)->header().size(); ++c)
            text += (c ? ";" : "") + (*reader)->header()[c];
        text += "\n";
        CsvRecord record;
        for (int row = 0; row < 5000; ++row) {
            QVERIFY((*reader)->next(record).ok());
            for (std::size_t c = 0; c < record.fields.size(); ++c)
                text += (c ? ";" : "") + std::string(record.fields[c]);
            // Past the first MiB, which the reader checks itself when it opens the file.
            if (row == 4990) {
                QVERIFY(text.size() > (std::size_t{1} << 20));
                text += "\xC3";  // a lead byte without its continuation
            }
            text += "\n";
        }
        const std::string input = writeFile(dir, "bad.csv", text);
        for (std::size_t block : {std::size_t{300}, std::size_t{512} << 10}) {
            BatchOptions options;
            options.input = input;
            options.output = dir.filePath("out.csv").toStdString();
            options.threads = 3;
            options.blockBytes = block;
            auto summary = scoreFile(*m_bundle, options, nullptr);
            QVERIFY(!summary.ok());
            QVERIFY2(
                summary.error().message.find("line 4992 is not valid UTF-8") != std::string::npos,
                summary.error().message.c_str());
            QCOMPARE(filesIn(dir), QStringList{"bad.csv"});
        }
    }
};

QTEST_GUILESS_MAIN(TestBatchScorer)
#include "tst_batch_scorer.moc"
