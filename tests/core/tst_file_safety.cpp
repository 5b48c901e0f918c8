// Issue 10 through the engine's API: crash-safe outputs (data/AtomicFile.h), inputs that change
// or lie while read (data/CsvReader.h), encodings (data/TextEncoding.h), spreadsheet formulas in
// written text (text::appendCsvTextField) and the batch scorer's error paths.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "TestSupport.h"
#include "data/AtomicFile.h"
#include "data/CsvReader.h"
#include "data/TextEncoding.h"
#include "data/TextUtil.h"
#include "scoring/BatchScorer.h"
#include "scoring/ModelBundle.h"

using namespace cwb;
using namespace cwb::test;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList everything(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

// The sample batch repeated until it holds at least `bytes`.
std::string bigBatch(std::size_t bytes) {
    const QByteArray sample =
        readAll(QString::fromStdString(sourcePath("sample_data/batch_german.csv")));
    const qsizetype headerEnd = sample.indexOf('\n') + 1;
    std::string text(sample.constData(), static_cast<std::size_t>(headerEnd));
    const std::string body(sample.constData() + headerEnd,
                           static_cast<std::size_t>(sample.size() - headerEnd));
    while (text.size() < bytes)
        text += body;
    return text;
}

}  // namespace

class FileSafetyTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void atomicFileNeverDeletesTheOldFileFirst() {
        const std::string path = writeFile(m_dir, "keep.txt", "old contents\n");
        const auto before = fileIdentity(path);
        QVERIFY(before);
        AtomicFile file(path);
        QVERIFY(file.open());
        QVERIFY(file.write("new contents\n"));
        QVERIFY(file.finish());
        // Written and synced, not yet renamed: the old file is still there, whole.
        QCOMPARE(readAll(QString::fromStdString(path)), QByteArray("old contents\n"));
        QCOMPARE(fileIdentity(path), before);
        QVERIFY(file.rename());
        QCOMPARE(readAll(QString::fromStdString(path)), QByteArray("new contents\n"));
        QVERIFY(everything(m_dir).filter(".cwb-").isEmpty());
    }

    void atomicFileKeepsTheModeOfTheFileItReplaces() {
        const std::string path = writeFile(m_dir, "mode.txt", "x");
        QCOMPARE(::chmod(path.c_str(), 0640), 0);
        QVERIFY(text::writeFileAtomically(path, "y"));
        struct stat st {};
        QCOMPARE(::stat(path.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0640u);
    }

    void discardedFileLeavesNothing() {
        {
            AtomicFile file(m_dir.filePath("never.txt").toStdString());
            QVERIFY(file.open());
            QVERIFY(file.write("half"));
            QCOMPARE(everything(m_dir).filter("never.txt").size(), 1);  // the temporary
        }
        QVERIFY(everything(m_dir).filter("never.txt").isEmpty());
    }

    void outputTargetsFollowThePolicy() {
        const std::string input = writeFile(m_dir, "in.csv", "a\n1\n");
        QVERIFY(!resolveOutputTarget(input, {{input, "the input"}}));
        const std::string link = m_dir.filePath("in-link.csv").toStdString();
        QCOMPARE(::symlink(input.c_str(), link.c_str()), 0);
        auto viaLink = resolveOutputTarget(link, {{input, "the input"}});
        QVERIFY(!viaLink);
        QVERIFY(viaLink.error().message.find("same file as the input") != std::string::npos);
        auto target = resolveOutputTarget(link);
        QVERIFY(target);
        QCOMPARE(QFileInfo(QString::fromStdString(*target)).canonicalFilePath(),
                 QFileInfo(QString::fromStdString(input)).canonicalFilePath());
        QVERIFY(!resolveOutputTarget("/dev/null"));
        QVERIFY(!resolveOutputTarget(m_dir.path().toStdString()));
        const std::string dangling = m_dir.filePath("dangling").toStdString();
        QCOMPARE(::symlink("/nonexistent/file", dangling.c_str()), 0);
        QVERIFY(!resolveOutputTarget(dangling));
    }

    void formulasAreNeutralisedNumbersAreNot_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("formula");
        QTest::newRow("equals") << "=1+1" << true;
        QTest::newRow("at") << "@SUM(A1)" << true;
        QTest::newRow("plus text") << "+1+1" << true;
        QTest::newRow("minus text") << "-cmd" << true;
        QTest::newRow("tab") << "\tx" << true;
        QTest::newRow("cr") << "\rx" << true;
        QTest::newRow("negative") << "-42" << false;
        QTest::newRow("positive decimal") << "+1.5" << false;
        QTest::newRow("decimal comma") << "-1,5" << false;
        QTest::newRow("exponent") << "-1e5" << false;
        QTest::newRow("plain") << "B00001" << false;
        QTest::newRow("empty") << "" << false;
    }
    void formulasAreNeutralisedNumbersAreNot() {
        QFETCH(QString, field);
        QFETCH(bool, formula);
        const std::string f = field.toStdString();
        QCOMPARE(text::looksLikeFormula(f), formula);
        std::string line;
        text::appendCsvTextField(line, f, ';');
        QCOMPARE(line.find('\'') != std::string::npos, formula);
    }

    void utf8IsValidatedStrictly() {
        bool invalid = false;
        const std::string good = "B\xC3\xBCrgschaft \xE2\x82\xAC \xF0\x9F\x98\x80";
        QCOMPARE(validUtf8Prefix(good.data(), good.size(), true, invalid), good.size());
        QVERIFY(!invalid);
        for (const std::string bad : {"B\xFCrgschaft", "\xC0\xAF", "\xED\xA0\x80",
                                      "\xF4\x90\x80\x80", "ok\x80", "\xE2\x82"}) {
            validUtf8Prefix(bad.data(), bad.size(), true, invalid);
            QVERIFY2(invalid, bad.c_str());
        }
        // A sequence cut by the end of a block is not an error until the end of the file.
        const std::string cut = "abc\xE2\x82";
        QCOMPARE(validUtf8Prefix(cut.data(), cut.size(), false, invalid), std::size_t{3});
        QVERIFY(!invalid);
        std::vector<char> out;
        appendAsUtf8(out, "\x80\xFC\x9F", 3, TextEncoding::Windows1252);
        QCOMPARE(std::string(out.begin(), out.end()), std::string("\xE2\x82\xAC\xC3\xBC\xC5\xB8"));
        out.clear();
        appendAsUtf8(out, "\x80\xFC", 2, TextEncoding::Latin1);
        QCOMPARE(std::string(out.begin(), out.end()), std::string("\xC2\x80\xC3\xBC"));
    }

    void windows1252IsDetectedAcrossBlocks() {
        // Non-ASCII bytes on both sides of the reader's 1 MiB blocks.
        std::string text = "id,level\n";
        int rows = 0;
        while (text.size() < 3 * CsvReader::kBlockSize) {
            text += std::to_string(rows) + (rows % 2 ? ",B\xFCrgschaft\n" : ",\x80uro\n");
            ++rows;
        }
        const std::string path = writeFile(m_dir, "cp1252-big.csv", text);
        auto reader = CsvReader::open(path);
        QVERIFY(reader);
        QCOMPARE((*reader)->dialect().encoding, TextEncoding::Windows1252);
        QVERIFY((*reader)->dialect().encodingDetected);
        CsvRecord record;
        int read = 0;
        for (;;) {
            auto next = (*reader)->next(record);
            QVERIFY2(next, next ? "" : next.error().message.c_str());
            if (!*next) break;
            QCOMPARE(std::string(record.fields[1]),
                     std::string(read % 2 ? "B\xC3\xBCrgschaft" : "\xE2\x82\xACuro"));
            ++read;
        }
        QCOMPARE(read, rows);
    }

    void aFileThatShrinksWhileReadIsAnError() {
        const std::string path =
            writeFile(m_dir, "shrinks.csv", bigBatch(3 * CsvReader::kBlockSize));
        auto reader = CsvReader::open(path);
        QVERIFY(reader);
        QCOMPARE(::truncate(path.c_str(), static_cast<off_t>(CsvReader::kBlockSize + 1000)), 0);
        CsvRecord record;
        std::optional<Error> error;
        for (;;) {
            auto next = (*reader)->next(record);
            if (!next) {
                error = next.error();
                break;
            }
            if (!*next) break;
        }
        QVERIFY2(error, "a truncated file read to its new end without an error");
        QVERIFY2(error->message.find("shrank while it was read") != std::string::npos,
                 error->message.c_str());
    }

    void batchErrorWhileAChunkIsScoredLeavesNothing() {
        // The file is cut short from the progress callback, i.e. while the previous chunk is
        // being scored: the read error returns while that task runs (the order in which the
        // buffers die matters here; under ASan the old order was a use after free).
        auto bundle = loadBundle(sourcePath("models/german_credit.cwbm"));
        QVERIFY(bundle);
        QTemporaryDir dir;
        const std::string input = writeFile(dir, "cut.csv", bigBatch(4 * CsvReader::kBlockSize));
        BatchOptions options;
        options.input = input;
        options.output = dir.filePath("out.csv").toStdString();
        options.chunkRows = 2000;
        options.threads = 2;
        bool truncated = false;
        ProgressToken token([&](double, const std::string&) {
            if (!truncated)
                truncated =
                    ::truncate(input.c_str(), static_cast<off_t>(2 * CsvReader::kBlockSize)) == 0;
        });
        token.setMinInterval(std::chrono::milliseconds(0));
        auto result = scoreFile(*bundle, options, &token);
        QVERIFY(truncated);
        QVERIFY(!result);
        QVERIFY2(result.error().message.find("shrank") != std::string::npos,
                 result.error().message.c_str());
        QCOMPARE(everything(dir), QStringList{"cut.csv"});
    }

    void quotedChunksAreBoundedByBytes() {
        // Every record quoted (so the reader splits them itself); a tiny byte budget must give
        // the same output as the row budget.
        auto bundle = loadBundle(sourcePath("models/german_credit.cwbm"));
        QVERIFY(bundle);
        QTemporaryDir dir;
        const QByteArray sample =
            readAll(QString::fromStdString(sourcePath("sample_data/batch_german.csv")));
        const std::string input = writeFile(dir, "quoted.csv", sample.toStdString());
        std::string outputs[2];
        for (int run = 0; run < 2; ++run) {
            BatchOptions options;
            options.input = input;
            options.output = dir.filePath(QString("out%1.csv").arg(run)).toStdString();
            options.chunkBytes = run == 0 ? (std::size_t{32} << 20) : 4096;
            auto result = scoreFile(*bundle, options, nullptr);
            QVERIFY2(result, result ? "" : result.error().message.c_str());
            QCOMPARE(result->rowsRead, std::size_t{5000});
            outputs[run] = readAll(QString::fromStdString(options.output)).toStdString();
        }
        QCOMPARE(outputs[1], outputs[0]);
    }

    void outputAndRejectsAreCommittedTogether() {
        auto bundle = loadBundle(sourcePath("models/german_credit.cwbm"));
        QVERIFY(bundle);
        QTemporaryDir dir;
        const std::string input =
            writeFile(dir, "in.csv",
                      readAll(QString::fromStdString(sourcePath("sample_data/batch_german.csv")))
                          .toStdString());
        // The rejects target is a folder: refused before anything is written, and the old
        // output stays as it was.
        const std::string out = writeFile(dir, "out.csv", "old\n");
        QVERIFY(QDir(dir.path()).mkdir("rejects-folder"));
        BatchOptions options;
        options.input = input;
        options.output = out;
        options.rejects = dir.filePath("rejects-folder").toStdString();
        auto result = scoreFile(*bundle, options, nullptr);
        QVERIFY(!result);
        QCOMPARE(result.error().kind, ErrorKind::BadInput);
        QCOMPARE(readAll(QString::fromStdString(out)), QByteArray("old\n"));
        QVERIFY(everything(dir).filter(".cwb-").isEmpty());
    }
};

QTEST_GUILESS_MAIN(FileSafetyTest)
#include "tst_file_safety.moc"
