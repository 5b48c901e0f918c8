// Issue 18: batch input travels from the reader to the workers as byte blocks; the workers
// check, split, score and write in input order. What a user relies on, whatever the number of
// threads and the block size: the same output bytes, the same rejects with the same physical
// line numbers, the same counts as one thread; the store's sink sees exactly the output file;
// a cancel (from any thread) or a failing sink stops the run and leaves no file; text in
// Windows-1252 or Latin-1 scores like the same text in UTF-8.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "data/CsvReader.h"
#include "scoring/BatchScorer.h"
#include "scoring/ModelBundle.h"

using namespace cwb;
using namespace cwb::test;

namespace {

QByteArray readAll(const std::string& path) {
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList filesIn(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList(QDir::Files);
}

// The sample batch rewritten with ';' and without quotes (no field needs them then), so every
// line travels as bytes. edit(row, column, field) may change a field; endOfLine(row) gives the
// row's line ending.
std::string plainCopy(const std::string& input,
                      const std::function<void(int, const std::string&, std::string&)>& edit,
                      const std::function<std::string(int)>& endOfLine) {
    auto reader = CsvReader::open(input);
    if (!reader) qFatal("%s", reader.error().message.c_str());
    const auto& header = (*reader)->header();
    std::string text;
    for (std::size_t c = 0; c < header.size(); ++c)
        text += (c ? ";" : "") + header[c];
    text += "\n";
    CsvRecord record;
    for (int row = 0;; ++row) {
        auto more = (*reader)->next(record);
        if (!more) qFatal("%s", more.error().message.c_str());
        if (!*more) break;
        for (std::size_t c = 0; c < record.fields.size(); ++c) {
            std::string field(record.fields[c]);
            edit(row, header[c], field);
            text += (c ? ";" : "") + field;
        }
        text += endOfLine(row);
    }
    return text;
}

struct Run {
    std::string error;  // empty when the run succeeded
    BatchSummary summary;
    QByteArray output, rejects, sunk;
    int pieces = 0;  // calls of the sink
};

}  // namespace

class TestBatchParallel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::shared_ptr<const ModelBundle> m_bundle;
    std::string m_sample;

    // Scores input into dir with the given threads and block size; the sink, when asked for,
    // collects what it is given (and may stop the run through stopAt).
    Run score(const QTemporaryDir& dir, const std::string& input, int threads, std::size_t block,
              int reasons = 4, TextEncoding encoding = TextEncoding::Auto,
              ProgressToken* token = nullptr,
              std::function<Result<void>(int piece)> stopAt = nullptr) {
        Run run;
        std::mutex sinkMutex;  // the sink is called by one worker at a time; checked below
        std::atomic<int> inSink{0};
        BatchOptions options;
        options.input = input;
        options.output = dir.filePath("out.csv").toStdString();
        options.rejects = dir.filePath("out.rejects.csv").toStdString();
        options.threads = threads;
        options.blockBytes = block;
        options.reasons = reasons;
        options.encoding = encoding;
        options.scoredSink = [&](std::string_view text) -> Result<void> {
            if (inSink.fetch_add(1) != 0) qFatal("the sink was entered by two threads at once");
            Result<void> result;
            {
                std::lock_guard lock(sinkMutex);
                run.sunk.append(text.data(), static_cast<qsizetype>(text.size()));
                ++run.pieces;
                if (stopAt) result = stopAt(run.pieces);
            }
            inSink.fetch_sub(1);
            return result;
        };
        auto summary = scoreFile(*m_bundle, options, token);
        if (!summary) {
            run.error = summary.error().message;
            return run;
        }
        run.summary = *summary;
        run.output = readAll(options.output);
        run.rejects = readAll(options.rejects);
        return run;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        auto bundle = loadBundle(sourcePath("models/german_credit.cwbm"));
        QVERIFY2(bundle.ok(), bundle.ok() ? "" : bundle.error().message.c_str());
        m_bundle = std::make_shared<const ModelBundle>(std::move(*bundle));
        m_sample = sourcePath("sample_data/batch_german.csv");
    }

    // CRLF on every third row, a blank line every 500 rows and a bad amount every 397 rows:
    // output, rejects (line numbers included), counts and decisions are those of one thread
    // with one big block, and the sink receives exactly the output file, in order.
    void sameBytesAsOneThread_data() {
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("block");
        QTest::addColumn<int>("reasons");
        QTest::newRow("2 threads, 64 KiB") << 2 << (64 << 10) << 4;
        QTest::newRow("3 threads, 1000 bytes") << 3 << 1000 << 4;
        QTest::newRow("4 threads, 100 bytes (a line per block)") << 4 << 100 << 4;
        QTest::newRow("8 threads, 20000 bytes") << 8 << 20000 << 4;
        QTest::newRow("16 threads, 512 KiB") << 16 << (512 << 10) << 4;
        QTest::newRow("8 threads, 3000 bytes, no reasons") << 8 << 3000 << 0;
    }
    void sameBytesAsOneThread() {
        QFETCH(int, threads);
        QFETCH(int, block);
        QFETCH(int, reasons);
        QTemporaryDir dir;
        const std::string text = plainCopy(
            m_sample,
            [](int row, const std::string& column, std::string& field) {
                if (column == "credit_amount" && row % 397 == 11) field = "lots";
            },
            [](int row) {
                std::string end = row % 3 == 0 ? "\r\n" : "\n";
                if (row % 500 == 499) end += "\n";
                return end;
            });
        const std::string input = writeFile(dir, "plain.csv", text);
        QTemporaryDir refDir;
        const Run expected = score(refDir, input, 1, 1 << 20, reasons);
        QVERIFY2(expected.error.empty(), expected.error.c_str());
        QCOMPARE(expected.summary.rowsRead, std::size_t(5000));
        QCOMPARE(expected.summary.rowsRejected, std::size_t(13));
        // Line 2 is the first row; the blank lines after rows 499, 999, ... move later rows on.
        const QList<QByteArray> rejectLines = expected.rejects.split('\n');
        QVERIFY2(rejectLines[1].startsWith("13,credit_amount,"), rejectLines[1].constData());
        const int lastBad = 11 + 12 * 397;  // row 4775, after 9 blank lines
        QVERIFY2(rejectLines[13].startsWith(QByteArray::number(lastBad + 2 + 9) + ","),
                 rejectLines[13].constData());
        QCOMPARE(expected.sunk, expected.output);

        const Run got = score(dir, input, threads, static_cast<std::size_t>(block), reasons);
        QVERIFY2(got.error.empty(), got.error.c_str());
        QVERIFY(got.output == expected.output);
        QVERIFY(got.rejects == expected.rejects);
        QVERIFY(got.sunk == got.output);
        QCOMPARE(got.summary.rowsRead, expected.summary.rowsRead);
        QCOMPARE(got.summary.rowsScored, expected.summary.rowsScored);
        QCOMPARE(got.summary.rowsRejected, expected.summary.rowsRejected);
        QVERIFY(got.summary.decisions == expected.summary.decisions);
        // Small blocks cut into many slices: the sink got them piece by piece.
        if (block < 4096) QVERIFY(got.pieces > 100);
    }

    // The GUI's Cancel and the command line's signals cancel the token from another thread
    // than the reader's. A cancel seen on a worker (here: the sink, which runs on whichever
    // worker writes) stops the run promptly and leaves neither output nor rejects nor
    // temporaries; so does one from the progress callback (the reader's thread).
    void cancelFromAnyThreadLeavesNothing_data() {
        QTest::addColumn<bool>("fromWorker");
        QTest::newRow("from a worker") << true;
        QTest::newRow("from the progress report") << false;
    }
    void cancelFromAnyThreadLeavesNothing() {
        QFETCH(bool, fromWorker);
        QTemporaryDir dir;
        const std::string text = plainCopy(
            m_sample,
            [](int row, const std::string& column, std::string& field) {
                if (column == "credit_amount" && row % 50 == 0) field = "lots";  // rejects too
            },
            [](int) { return std::string("\n"); });
        const std::string input = writeFile(dir, "plain.csv", text);
        ProgressToken token;
        token.setMinInterval(std::chrono::milliseconds(0));
        int reports = 0;
        if (!fromWorker)
            token.setCallback([&](double, const std::string&) {
                if (++reports == 3) token.cancel();
            });
        const Run run = score(dir, input, 4, 2048, 4, TextEncoding::Auto, &token,
                              [&](int piece) -> Result<void> {
                                  if (fromWorker && piece == 5) token.cancel();
                                  return {};
                              });
        QCOMPARE(run.error, std::string("cancelled"));
        QCOMPARE(filesIn(dir), QStringList{"plain.csv"});
        // Promptly: the slices already handed out may still be written, not the whole file
        // (2048-byte blocks of about 230-byte lines: over 500 blocks, up to 4 slices each).
        QVERIFY2(run.pieces < 100, qPrintable(QString::number(run.pieces)));
        // A worker that sees the cancel writes nothing more: the header and four slices.
        if (fromWorker) QCOMPARE(run.pieces, 5);
    }

    // The store records batch runs through the sink; when it fails (disk full, store gone) the
    // run stops with the sink's message and leaves no output.
    void failingSinkStopsTheRun() {
        QTemporaryDir dir;
        const std::string text = plainCopy(
            m_sample, [](int, const std::string&, std::string&) {},
            [](int) { return std::string("\n"); });
        const std::string input = writeFile(dir, "plain.csv", text);
        const Run run = score(dir, input, 4, 2048, 0, TextEncoding::Auto, nullptr,
                              [](int piece) -> Result<void> {
                                  if (piece == 7) return Error::failure("the store is full");
                                  return {};
                              });
        QCOMPARE(run.error, std::string("the store is full"));
        QCOMPARE(run.pieces, 7);  // nothing is handed to the sink after its error
        QCOMPARE(filesIn(dir), QStringList{"plain.csv"});
    }

    // Ids with accented letters, saved as UTF-8, as Windows-1252 (detected: the first row
    // already has one) and as Latin-1 (named): the same UTF-8 output whatever the threads and
    // blocks (the workers check UTF-8 only in UTF-8 input; transcoded text is valid).
    void encodingsScoreAlikeInBlocks() {
        QTemporaryDir dir;
        // "é" (U+00E9) and "ü" (U+00FC): one byte each in both single-byte encodings.
        const auto withAccents = [](bool utf8) {
            return [utf8](int row, const std::string& column, std::string& field) {
                if (column != "applicant_id") return;
                if (row % 7 == 0) field += utf8 ? "\xC3\xA9" : "\xE9";
                if (row % 11 == 0) field += utf8 ? "M\xC3\xBCller" : "M\xFCller";
            };
        };
        const auto newline = [](int) { return std::string("\n"); };
        const std::string utf8 =
            writeFile(dir, "utf8.csv", plainCopy(m_sample, withAccents(true), newline));
        const std::string single = plainCopy(m_sample, withAccents(false), newline);
        const std::string cp1252 = writeFile(dir, "cp1252.csv", single);
        const std::string latin1 = writeFile(dir, "latin1.csv", single);

        QTemporaryDir outDir;
        const Run expected = score(outDir, utf8, 1, 1 << 20);
        QVERIFY2(expected.error.empty(), expected.error.c_str());
        QCOMPARE(expected.summary.encoding, std::string("UTF-8"));
        QVERIFY(expected.output.contains("\nB00001\xC3\xA9M\xC3\xBCller,"));
        QCOMPARE(expected.summary.rowsScored, std::size_t(5000));

        const Run detected = score(outDir, cp1252, 4, 1500);
        QVERIFY2(detected.error.empty(), detected.error.c_str());
        QCOMPARE(detected.summary.encoding, std::string("Windows-1252"));
        QVERIFY(detected.summary.encodingDetected);
        QVERIFY(detected.output == expected.output);

        const Run named = score(outDir, latin1, 3, 700, 4, TextEncoding::Latin1);
        QVERIFY2(named.error.empty(), named.error.c_str());
        QCOMPARE(named.summary.encoding, std::string("ISO-8859-1"));
        QVERIFY(!named.summary.encodingDetected);
        QVERIFY(named.output == expected.output);

        const Run utf8Threads = score(outDir, utf8, 8, 900);
        QVERIFY2(utf8Threads.error.empty(), utf8Threads.error.c_str());
        QVERIFY(utf8Threads.output == expected.output);

        // The single-byte file named as UTF-8 is refused (exit 2 on the command line) with
        // the line of its first bad byte, and leaves nothing. (A bad byte past the start that
        // the reader checks is found by a worker: tst_batch_scorer.)
        QTemporaryDir refusedDir;
        const Run refused = score(refusedDir, cp1252, 4, 1500, 4, TextEncoding::Utf8);
        QVERIFY2(refused.error.find("line 2 is not valid UTF-8 (byte 0xE9)") != std::string::npos,
                 refused.error.c_str());
        QCOMPARE(filesIn(refusedDir), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestBatchParallel)
#include "tst_batch_parallel.moc"
