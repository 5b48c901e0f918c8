// CsvReader, parseNumber, readTable and writeRejects against real files in tests/data/csv/.

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>

#include "TestSupport.h"
#include "data/CsvReader.h"
#include "data/Schema.h"
#include "data/Table.h"

using namespace cwb;

Q_DECLARE_METATYPE(cwb::NumberStatus)

namespace {

std::string fixture(const QString& name) {
    return test::fixturePath(("csv/" + name).toUtf8().constData());
}

std::unique_ptr<CsvReader> openOrFail(const std::string& path) {
    auto reader = CsvReader::open(path);
    if (!reader) qWarning("%s", reader.error().message.c_str());
    return reader ? std::move(reader.value()) : nullptr;
}

struct Row {
    std::int64_t line;
    std::vector<std::string> fields;
    std::string error;
};

std::vector<Row> readAll(CsvReader& reader) {
    std::vector<Row> rows;
    CsvRecord record;
    for (;;) {
        auto more = reader.next(record);
        if (!more || !more.value()) break;
        rows.push_back(
            {record.lineNumber, {record.fields.begin(), record.fields.end()}, record.error});
    }
    return rows;
}

QString joined(const std::vector<std::string>& items) {
    QStringList list;
    for (const auto& s : items)
        list << QString::fromStdString(s);
    return list.join(QLatin1Char('|'));
}

}  // namespace

class TestCsvReader : public QObject {
    Q_OBJECT

private slots:
    void quotedFields() {
        auto reader = openOrFail(fixture("quoted.csv"));
        QVERIFY(reader);
        QCOMPARE(reader->dialect().delimiter, ',');
        const auto rows = readAll(*reader);
        QCOMPARE(rows.size(), std::size_t{4});
        QCOMPARE(joined(rows[0].fields), QStringLiteral("1|Smith, John|said \"hi\"|100"));
        QCOMPARE(rows[0].line, std::int64_t{2});
        // The newline inside quotes belongs to the field and shifts the following lines.
        QCOMPARE(joined(rows[1].fields), QStringLiteral("2|Multi\nline\nnote|plain|200"));
        QCOMPARE(rows[1].line, std::int64_t{3});
        QCOMPARE(joined(rows[2].fields), QStringLiteral("3|Bob||300"));
        QCOMPARE(rows[2].line, std::int64_t{6});
        QCOMPARE(joined(rows[3].fields), QStringLiteral("4|spaced, quoted|x|400"));
        QCOMPARE(rows[3].line, std::int64_t{7});
        for (const Row& row : rows)
            QVERIFY(row.error.empty());
    }

    void rawRecord() {
        auto reader = openOrFail(fixture("quoted.csv"));
        QVERIFY(reader);
        CsvRecord record;
        QVERIFY(reader->next(record).value());
        QCOMPARE(QString::fromStdString(std::string(record.raw)),
                 QStringLiteral("1,\"Smith, John\",\"said \"\"hi\"\"\",100"));
    }

    void dialects_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<char>("delimiter");
        QTest::addColumn<char>("decimal");
        QTest::addColumn<bool>("bom");
        QTest::addColumn<bool>("crlf");
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("secondRecord");
        QTest::addColumn<qint64>("secondLine");

        QTest::newRow("comma, quotes")
            << "quoted.csv" << ',' << '.' << false << false << "id|name|note|amount"
            << "2|Multi\nline\nnote|plain|200" << qint64(3);
        QTest::newRow("semicolon, decimal comma") << "semicolon_decimal_comma.csv" << ';' << ','
                                                  << false << false << "age|income|rate|region"
                                                  << "45|3400,75|1,5|south" << qint64(3);
        QTest::newRow("tab") << "tab.tsv" << '\t' << '.' << false << false << "age|income|city"
                             << "45|3400|Lyon" << qint64(3);
        QTest::newRow("BOM and CRLF")
            << "bom_crlf.csv" << ',' << '.' << true << true << "id|score|grade"
            << "2|2.5|B\r\nplus" << qint64(3);
    }

    void dialects() {
        QFETCH(QString, file);
        QFETCH(char, delimiter);
        QFETCH(char, decimal);
        QFETCH(bool, bom);
        QFETCH(bool, crlf);
        QFETCH(QString, header);
        QFETCH(QString, secondRecord);
        QFETCH(qint64, secondLine);

        auto reader = openOrFail(fixture(file));
        QVERIFY(reader);
        QCOMPARE(reader->dialect().delimiter, delimiter);
        QCOMPARE(reader->dialect().decimalSeparator, decimal);
        QCOMPARE(reader->dialect().hasBom, bom);
        QCOMPARE(reader->dialect().crlf, crlf);
        QCOMPARE(joined(reader->header()), header);
        const auto rows = readAll(*reader);
        QVERIFY(rows.size() >= 2);
        QCOMPARE(joined(rows[1].fields), secondRecord);
        QCOMPARE(rows[1].line, secondLine);
        QCOMPARE(reader->bytesConsumed(), reader->fileSize());
    }

    void givenDialectOverridesSniffing() {
        CsvDialect dialect;
        dialect.delimiter = ';';
        auto reader = CsvReader::open(fixture("tab.tsv"), dialect);
        QVERIFY(reader.ok());
        QCOMPARE((*reader)->header().size(), std::size_t{1});
        QCOMPARE((*reader)->dialect().delimiter, ';');
    }

    void crlfLineNumbersAfterQuotedBreak() {
        auto reader = openOrFail(fixture("bom_crlf.csv"));
        QVERIFY(reader);
        const auto rows = readAll(*reader);
        QCOMPARE(rows.size(), std::size_t{3});
        QCOMPARE(joined(rows[2].fields), QStringLiteral("3|3.5|C"));
        QCOMPARE(rows[2].line, std::int64_t{5});
    }

    void sniffing_data() {
        QTest::addColumn<QString>("sample");
        QTest::addColumn<char>("delimiter");
        QTest::addColumn<char>("decimal");

        QTest::newRow("comma") << "a,b,c\n1,2,3\n" << ',' << '.';
        QTest::newRow("semicolon with commas in numbers") << "a;b\n1,5;2\n3,25;4\n" << ';' << ',';
        QTest::newRow("semicolon with dot decimals") << "a;b\n1.5;2\n" << ';' << '.';
        QTest::newRow("tab with decimal comma") << "a\tb\n0,5\t7\n" << '\t' << ',';
        QTest::newRow("quoted commas in a semicolon file")
            << "name;city\n\"Doe, J\";\"Paris, FR\"\n\"Roe, K\";Lyon\n"
            << ';' << '.';
        QTest::newRow("quoted semicolons in a comma file") << "a,b,c\n\"x;y;z\",2,3\n\"p;q\",5,6\n"
                                                           << ',' << '.';
        QTest::newRow("one broken row") << "a;b;c\n1;2;3\n4;5\n6;7;8\n" << ';' << '.';
        QTest::newRow("single column") << "amount\n1\n2\n" << ',' << '.';
        QTest::newRow("no line break") << "a\tb\tc" << '\t' << '.';
    }

    void sniffing() {
        QFETCH(QString, sample);
        QFETCH(char, delimiter);
        QFETCH(char, decimal);
        const std::string text = sample.toStdString();
        const CsvDialect dialect = sniffDialect(text);
        QCOMPARE(dialect.delimiter, delimiter);
        QCOMPARE(dialect.decimalSeparator, decimal);
    }

    void numbers_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<char>("decimal");
        QTest::addColumn<NumberStatus>("status");
        QTest::addColumn<double>("value");

        QTest::newRow("plain") << "12.5" << '.' << NumberStatus::Ok << 12.5;
        QTest::newRow("spaces") << "  7 " << '.' << NumberStatus::Ok << 7.0;
        QTest::newRow("plus sign") << "+3" << '.' << NumberStatus::Ok << 3.0;
        QTest::newRow("exponent") << "-2.5e3" << '.' << NumberStatus::Ok << -2500.0;
        QTest::newRow("decimal comma") << "12,5" << ',' << NumberStatus::Ok << 12.5;
        QTest::newRow("negative decimal comma") << "-0,25" << ',' << NumberStatus::Ok << -0.25;
        QTest::newRow("comma in a dot file") << "12,5" << '.' << NumberStatus::Invalid << 0.0;
        QTest::newRow("thousands separator") << "1,000" << '.' << NumberStatus::Invalid << 0.0;
        QTest::newRow("text") << "abc" << '.' << NumberStatus::Invalid << 0.0;
        QTest::newRow("trailing text") << "12abc" << '.' << NumberStatus::Invalid << 0.0;
        QTest::newRow("two points") << "1.5.2" << '.' << NumberStatus::Invalid << 0.0;
        QTest::newRow("plus minus") << "+-1" << '.' << NumberStatus::Invalid << 0.0;
        QTest::newRow("lone plus") << "+" << '.' << NumberStatus::Invalid << 0.0;
        QTest::newRow("lone minus") << "-" << '.' << NumberStatus::Invalid << 0.0;
        QTest::newRow("empty") << "" << '.' << NumberStatus::Missing << 0.0;
        QTest::newRow("blank") << "   " << '.' << NumberStatus::Missing << 0.0;
        QTest::newRow("NA") << "NA" << '.' << NumberStatus::Missing << 0.0;
        QTest::newRow("n/a") << "n/a" << '.' << NumberStatus::Missing << 0.0;
        QTest::newRow("question mark") << " ? " << '.' << NumberStatus::Missing << 0.0;
        QTest::newRow("NULL") << "NULL" << '.' << NumberStatus::Missing << 0.0;
        QTest::newRow("inf") << "inf" << '.' << NumberStatus::OutOfRange << 0.0;
        QTest::newRow("-Infinity") << "-Infinity" << '.' << NumberStatus::OutOfRange << 0.0;
        QTest::newRow("nan") << "nan" << '.' << NumberStatus::OutOfRange << 0.0;
        QTest::newRow("beyond float") << "1e39" << '.' << NumberStatus::OutOfRange << 0.0;
        QTest::newRow("beyond double") << "-1e400" << '.' << NumberStatus::OutOfRange << 0.0;
        QTest::newRow("largest float") << "3.4e38" << '.' << NumberStatus::Ok << 3.4e38;
    }

    void numbers() {
        QFETCH(QString, field);
        QFETCH(char, decimal);
        QFETCH(NumberStatus, status);
        QFETCH(double, value);
        const std::string text = field.toStdString();
        double parsed = 0.0;
        QCOMPARE(parseNumber(text, decimal, parsed), status);
        if (status == NumberStatus::Ok) QCOMPARE(parsed, value);
    }

    void missingTokens_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("missing");
        for (const char* token :
             {"", " ", "NA", "na", "N/A", "n/a", "?", "null", "NULL", " Null "}) {
            QTest::newRow(token[0] ? token : "(empty)") << token << true;
        }
        for (const char* token : {"0", "NaN", "none", "N.A.", "-", "nil", "??"}) {
            QTest::newRow(token) << token << false;
        }
    }

    void missingTokens() {
        QFETCH(QString, field);
        QFETCH(bool, missing);
        QCOMPARE(isMissingToken(field.toStdString()), missing);
    }

    void missingValuesInFile() {
        auto table = readTable(fixture("missing.csv"));
        QVERIFY2(table.ok(), table.ok() ? "" : table.error().message.c_str());
        QCOMPARE(table->rows(), std::size_t{8});
        const auto& x = table->columns[1];
        for (std::size_t r = 0; r < 7; ++r) {
            double value = 0.0;
            QCOMPARE(parseNumber(x[r], '.', value), NumberStatus::Missing);
        }
        double value = 0.0;
        QCOMPARE(parseNumber(x[7], '.', value), NumberStatus::Ok);
        QCOMPARE(value, 3.5);
    }

    void blankLinesSkipped() {
        auto reader = openOrFail(fixture("blank_lines.csv"));
        QVERIFY(reader);
        const auto rows = readAll(*reader);
        QCOMPARE(rows.size(), std::size_t{3});
        QCOMPARE(joined(rows[0].fields), QStringLiteral("1|2"));
        QCOMPARE(rows[0].line, std::int64_t{3});
        QCOMPARE(joined(rows[1].fields), QStringLiteral("3|4"));
        QCOMPARE(rows[1].line, std::int64_t{6});
        QCOMPARE(joined(rows[2].fields), QStringLiteral("5|6"));
        QCOMPARE(rows[2].line, std::int64_t{8});
    }

    void unterminatedQuote() {
        auto reader = openOrFail(fixture("unterminated.csv"));
        QVERIFY(reader);
        const auto rows = readAll(*reader);
        QCOMPARE(rows.size(), std::size_t{3});
        QVERIFY(rows[0].error.empty());
        QCOMPARE(rows[1].line, std::int64_t{3});
        QVERIFY(QString::fromStdString(rows[1].error).contains(QStringLiteral("unterminated")));
        // Reading resumes on the next line, so one stray quote costs one row, not the rest.
        QVERIFY(rows[2].error.empty());
        QCOMPARE(joined(rows[2].fields), QStringLiteral("3|Cy|300"));
        QCOMPARE(rows[2].line, std::int64_t{4});

        auto table = readTable(fixture("unterminated.csv"));
        QVERIFY(table.ok());
        QCOMPARE(table->rows(), std::size_t{2});
        QCOMPARE(table->rejects.size(), std::size_t{1});
        QCOMPARE(table->rejects[0].line, std::int64_t{3});
        QCOMPARE(QString::fromStdString(table->rejects[0].raw), QStringLiteral("2,\"Bob,200"));
    }

    void wrongFieldCounts() {
        auto table = readTable(fixture("wrong_counts.csv"));
        QVERIFY(table.ok());
        QCOMPARE(table->rowsRead, std::size_t{5});
        QCOMPARE(table->rows(), std::size_t{2});
        QCOMPARE(table->rowsRead, table->rows() + table->rejects.size());
        QCOMPARE(table->lines, (std::vector<std::int64_t>{2, 5}));
        QCOMPARE(table->columns[2], (std::vector<std::string>{"3", "12"}));
        QCOMPARE(table->rejects.size(), std::size_t{3});
        QCOMPARE(table->rejects[0].line, std::int64_t{3});
        QCOMPARE(table->rejects[0].reason, std::string("expected 3 fields, found 2"));
        QCOMPARE(table->rejects[0].raw, std::string("4,5"));
        QCOMPARE(table->rejects[1].line, std::int64_t{4});
        QCOMPARE(table->rejects[1].reason, std::string("expected 3 fields, found 4"));
        QCOMPARE(table->rejects[2].line, std::int64_t{6});
        QVERIFY(table->rejects[2].reason.find("unterminated") != std::string::npos);
    }

    void unusableFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");

        QTest::newRow("empty") << "empty.csv"
                               << "is empty";
        QTest::newRow("header only") << "header_only.csv"
                                     << "has a header but no data rows";
        QTest::newRow("binary") << "binary.csv"
                                << "NUL bytes";
        QTest::newRow("UTF-16") << "utf16.csv"
                                << "UTF-16";
        QTest::newRow("duplicate header") << "duplicate_header.csv"
                                          << "'id' (columns 1 5), 'x' (columns 2 4)";
        QTest::newRow("empty header name") << "empty_header_name.csv"
                                           << "no name for column 2";
        QTest::newRow("missing file") << "no_such_file.csv"
                                      << "cannot open";
    }

    void unusableFiles() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const std::string path = fixture(file);
        auto table = readTable(path);
        QVERIFY(!table.ok());
        const QString message = QString::fromStdString(table.error().message);
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QCOMPARE(table.error().kind, ErrorKind::BadInput);
    }

    void rejectsFileRoundTrip() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::vector<RejectedRow> rejects{
            {3, "", "expected 3 fields, found 2", "4,5"},
            {7, "age", "'a \"b\"' is not a number", "1,\"a \"\"b\"\"\",x\ny"},
        };
        const std::string path = dir.filePath(QStringLiteral("rejects.csv")).toStdString();
        QVERIFY(writeRejects(path, rejects).ok());
        auto reader = openOrFail(path);
        QVERIFY(reader);
        QCOMPARE(joined(reader->header()), QStringLiteral("line|column|reason|record"));
        const auto rows = readAll(*reader);
        QCOMPARE(rows.size(), std::size_t{2});
        QCOMPARE(rows[0].fields,
                 (std::vector<std::string>{"3", "", "expected 3 fields, found 2", "4,5"}));
        QCOMPARE(rows[1].fields,
                 (std::vector<std::string>{"7", "age", rejects[1].reason, rejects[1].raw}));
    }

    void taiwanData() {
        const std::string path = test::sharedPath("data/taiwan/UCI_Credit_Card.csv");
        auto table = readTable(path);
        QVERIFY2(table.ok(), table.ok() ? "" : table.error().message.c_str());
        QCOMPARE(table->rows(), std::size_t{30000});
        QCOMPARE(table->header.size(), std::size_t{25});
        QCOMPARE(table->header.front(), std::string("ID"));
        QCOMPARE(table->header.back(), std::string("Y"));
        QVERIFY(table->rejects.empty());
        QCOMPARE(table->rowsRead, std::size_t{30000});
        QCOMPARE(table->lines.back(), std::int64_t{30001});
        QCOMPARE(table->columns[0][29999], std::string("30000"));
    }

    // Progress counts file bytes, also when the file is transcoded into longer UTF-8.
    void transcodedFileIsConsumedExactly() {
        QTemporaryDir dir;
        std::string text = "name,amount\n";
        for (int i = 0; i < 3000; ++i)
            text += "B\xFCrgschaft \xFD\x80," + std::to_string(i) + "\n";  // \xFC \xFD \x80: 1252
        const std::string path = test::writeFile(dir, "cp1252.csv", text);
        auto reader = openOrFail(path);
        QVERIFY(reader);
        QCOMPARE(reader->fileSize(), std::uint64_t(text.size()));
        CsvRecord record;
        QString first;
        int rows = 0;
        for (;;) {
            auto more = reader->next(record);
            QVERIFY(more.ok());
            if (!*more) break;
            if (rows++ == 0) first = QString::fromStdString(std::string(record.fields[0]));
            QVERIFY2(reader->bytesConsumed() <= reader->fileSize(),
                     qPrintable(QString::number(reader->bytesConsumed())));
        }
        QCOMPARE(rows, 3000);
        QCOMPARE(first, QString::fromUtf8("B\u00fcrgschaft \u00fd\u20ac"));
        QCOMPARE(reader->bytesConsumed(), reader->fileSize());
    }

    void progressAndCancel() {
        QTemporaryDir dir;
        std::string text = "a,b\n";
        for (int i = 0; i < 20000; ++i)
            text += std::to_string(i) + "," + std::to_string(i * 2) + "\n";
        const std::string path = test::writeFile(dir, "rows.csv", text);

        double last = -1.0;
        ProgressToken token([&](double fraction, const std::string&) { last = fraction; });
        auto table = readTable(path, &token);
        QVERIFY(table.ok());
        QCOMPARE(last, 1.0);

        ProgressToken cancelling;
        cancelling.setCallback([&](double, const std::string&) { cancelling.cancel(); });
        auto cancelled = readTable(path, &cancelling);
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().message, std::string("cancelled"));
    }

    // A quoted field larger than the reader's block forces the buffer to grow mid-record.
    void recordLargerThanBlock() {
        QTemporaryDir dir;
        std::string big;
        for (int i = 0; i < 200000; ++i)
            big += "line of text " + std::to_string(i) + "\n";
        QVERIFY(big.size() > CsvReader::kBlockSize);
        const std::string text = "id,note\n1,\"" + big + "\"\n2,short\n";
        const std::string path = test::writeFile(dir, "big.csv", text);
        auto reader = openOrFail(path);
        QVERIFY(reader);
        const auto rows = readAll(*reader);
        QCOMPARE(rows.size(), std::size_t{2});
        QCOMPARE(rows[0].fields[1], big);
        QCOMPARE(rows[1].line, std::int64_t{2 + 200000 + 1});
    }

    // A quote left open near the top must not swallow the file or hold it all in memory.
    void runawayQuoteIsBounded() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("runaway.csv"));
        const std::size_t chunkLines = 100000;
        std::string chunk;
        for (std::size_t i = 0; i < chunkLines; ++i)
            chunk += "5,6\n";
        std::size_t lines = 0;
        {
            std::ofstream out(path.toStdString(), std::ios::binary);
            out << "a,b\n1,2\n3,\"open\n";
            while (lines * 4 < CsvReader::kMaxRecordBytes + CsvReader::kBlockSize) {
                out << chunk;
                lines += chunkLines;
            }
        }
        auto reader = openOrFail(path.toStdString());
        QVERIFY(reader);
        CsvRecord record;
        std::size_t rows = 0;
        std::size_t errors = 0;
        std::int64_t firstAfter = 0;
        for (;;) {
            auto more = reader->next(record);
            QVERIFY(more.ok());
            if (!more.value()) break;
            ++rows;
            if (!record.error.empty()) {
                ++errors;
                QCOMPARE(record.lineNumber, std::int64_t{3});
                QVERIFY(record.error.find("longer than") != std::string::npos);
                QCOMPARE(std::string(record.raw), std::string("3,\"open"));
            } else if (rows == 3) {
                firstAfter = record.lineNumber;
            }
        }
        QCOMPARE(errors, std::size_t{1});
        QCOMPARE(firstAfter, std::int64_t{4});
        QCOMPARE(rows, lines + 2);
        QVERIFY(reader->bufferCapacity() <= 3 * CsvReader::kBlockSize);
    }

    // Reads a file of about 50 MB: every row arrives, and the reader's memory stays at its
    // block size instead of following the file.
    void streamingLargeFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("large.csv"));
        const int rowCount = 800000;
        long long expectedSum = 0;
        {
            std::ofstream out(path.toStdString(), std::ios::binary);
            out << "id,amount,name,comment,score\n";
            for (int i = 0; i < rowCount; ++i) {
                out << i << ',' << (i % 1000) << ",\"Doe, Jane " << i
                    << "\",\"she said \"\"yes\"\" to the offer\"," << (i % 7) << ".25\n";
                expectedSum += i % 1000;
            }
        }
        auto reader = openOrFail(path.toStdString());
        QVERIFY(reader);
        QVERIFY(reader->fileSize() > 50'000'000);
        CsvRecord record;
        long long rows = 0;
        long long sum = 0;
        std::int64_t lastLine = 0;
        bool fieldsOk = true;
        for (;;) {
            auto more = reader->next(record);
            QVERIFY(more.ok());
            if (!more.value()) break;
            double amount = 0.0;
            fieldsOk = fieldsOk && record.fields.size() == 5 && record.error.empty() &&
                       parseNumber(record.fields[1], '.', amount) == NumberStatus::Ok &&
                       record.fields[3] == "she said \"yes\" to the offer";
            sum += static_cast<long long>(amount);
            lastLine = record.lineNumber;
            ++rows;
        }
        QVERIFY(fieldsOk);
        QCOMPARE(rows, static_cast<long long>(rowCount));
        QCOMPARE(sum, expectedSum);
        QCOMPARE(lastLine, static_cast<std::int64_t>(rowCount) + 1);
        QCOMPARE(reader->bytesConsumed(), reader->fileSize());
        QVERIFY2(reader->bufferCapacity() <= 3 * CsvReader::kBlockSize,
                 qPrintable(QString::number(reader->bufferCapacity())));
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
