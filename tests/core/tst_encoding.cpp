// RowEncoder and encodeTable: the one path by which training and scored rows become model input.

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>

#include "TestSupport.h"
#include "data/CsvReader.h"
#include "data/EncodedData.h"
#include "data/SchemaInference.h"

using namespace cwb;

namespace {

Schema trainingSchema() {
    auto table = readTable(test::fixturePath("csv/applicants.csv"));
    if (!table) qFatal("%s", table.error().message.c_str());
    InferenceOptions options;
    options.target = "class";
    options.badValue = "2";
    options.protectedColumns = {"sex"};
    options.piiColumns = {"name"};
    auto schema = inferSchema(*table, options);
    if (!schema) qFatal("%s", schema.error().message.c_str());
    return schema.value();
}

const std::vector<std::string> kHeader{"customer_id", "row_no", "age",     "income",
                                       "purpose",     "grade",  "country", "opened",
                                       "comment",     "sex",    "name",    "class"};

std::vector<std::string_view> views(const std::vector<std::string>& fields) {
    return {fields.begin(), fields.end()};
}

}  // namespace

class TestEncoding : public QObject {
    Q_OBJECT

    Schema m_schema;

private slots:
    void initTestCase() { m_schema = trainingSchema(); }

    void bindMapsColumnsByName() {
        // Columns in another order than in training, with extras.
        const std::vector<std::string> header{"extra", "grade", "purpose",    "income",
                                              "age",   "class", "customer_id"};
        auto encoder = RowEncoder::bind(m_schema, header, '.', true);
        QVERIFY2(encoder.ok(), encoder.ok() ? "" : encoder.error().message.c_str());
        QCOMPARE(encoder->featureCount(), std::size_t{4});
        QCOMPARE(encoder->expectedFieldCount(), std::size_t{7});
        QVERIFY(encoder->hasTarget());
        QVERIFY(encoder->hasId());

        const std::vector<std::string> row{"x", "A10", "car", "1500.5", "41", "2", "C77"};
        std::vector<float> out(4);
        RejectedRow reject;
        QVERIFY(encoder->encode(views(row), out.data(), reject));
        QCOMPARE(out[0], 41.0f);
        QCOMPARE(out[1], 1500.5f);
        QCOMPARE(out[2], 1.0f);  // levels: business, car, education, furniture
        QCOMPARE(out[3], 2.0f);  // levels: A1, A2, A10, B3
        float label = -1.0f;
        QVERIFY(encoder->encodeTarget(views(row), label, reject));
        QCOMPARE(label, 1.0f);
        QCOMPARE(std::string(encoder->id(views(row))), std::string("C77"));
    }

    void bindFailsOnMissingColumns() {
        const std::vector<std::string> header{"customer_id", "age", "grade", "class"};
        auto encoder = RowEncoder::bind(m_schema, header, '.', true);
        QVERIFY(!encoder.ok());
        QCOMPARE(encoder.error().kind, ErrorKind::BadInput);
        const QString message = QString::fromStdString(encoder.error().message);
        QVERIFY2(message.contains(QStringLiteral("missing columns 'income', 'purpose'")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("the file's columns are: 'customer_id', 'age', "
                                                 "'grade', 'class'")),
                 qPrintable(message));

        const std::vector<std::string> noTarget{"age", "income", "purpose", "grade"};
        QVERIFY(!RowEncoder::bind(m_schema, noTarget, '.', true).ok());
        auto scoring = RowEncoder::bind(m_schema, noTarget, '.', false);
        QVERIFY(scoring.ok());
        QVERIFY(!scoring->hasTarget());
        QVERIFY(!scoring->hasId());
    }

    void rowRejects_data() {
        QTest::addColumn<QString>("age");
        QTest::addColumn<QString>("income");
        QTest::addColumn<QString>("purpose");
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("reason");

        QTest::newRow("text in a number") << "abc"
                                          << "100"
                                          << "car"
                                          << "age"
                                          << "'abc' is not a number";
        QTest::newRow("out of range") << "1e39"
                                      << "100"
                                      << "car"
                                      << "age"
                                      << "value out of range";
        QTest::newRow("infinity") << "inf"
                                  << "100"
                                  << "car"
                                  << "age"
                                  << "value out of range";
        QTest::newRow("missing, none in training")
            << "NA"
            << "100"
            << "car"
            << "age"
            << "missing value in column age (none in the training data)";
        QTest::newRow("unknown level")
            << "40"
            << "100"
            << "boat"
            << "purpose"
            << "unknown level 'boat' for column purpose (levels: 'business', 'car', "
               "'education', 'furniture')";
        QTest::newRow("decimal comma in a dot file") << "40"
                                                     << "1,5"
                                                     << "car"
                                                     << "income"
                                                     << "'1,5' is not a number";
    }

    void rowRejects() {
        QFETCH(QString, age);
        QFETCH(QString, income);
        QFETCH(QString, purpose);
        QFETCH(QString, column);
        QFETCH(QString, reason);
        auto encoder = RowEncoder::bind(m_schema, kHeader, '.', true);
        QVERIFY(encoder.ok());
        const std::vector<std::string> row{"C1",
                                           "1",
                                           age.toStdString(),
                                           income.toStdString(),
                                           purpose.toStdString(),
                                           "A1",
                                           "DE",
                                           "2019-01-01",
                                           "x",
                                           "M",
                                           "N",
                                           "1"};
        std::vector<float> out(encoder->featureCount());
        RejectedRow reject;
        QVERIFY(!encoder->encode(views(row), out.data(), reject));
        QCOMPARE(QString::fromStdString(reject.column), column);
        QCOMPARE(QString::fromStdString(reject.reason), reason);
    }

    void missingValues() {
        auto encoder = RowEncoder::bind(m_schema, kHeader, '.', true);
        QVERIFY(encoder.ok());
        std::vector<std::string> row{"C1", "1", "33", "",  "car", "A2",
                                     "DE", "d", "c",  "M", "N",   "1"};
        std::vector<float> out(encoder->featureCount());
        RejectedRow reject;
        // income had missing values in training, so a gap is allowed and becomes NaN.
        QVERIFY(encoder->encode(views(row), out.data(), reject));
        QVERIFY(std::isnan(out[1]));

        row[11] = "null";
        float label = 0.0f;
        QVERIFY(!encoder->encodeTarget(views(row), label, reject));
        QCOMPARE(reject.column, std::string("class"));
        QCOMPARE(reject.reason, std::string("missing target value"));

        row.pop_back();
        QVERIFY(!encoder->encode(views(row), out.data(), reject));
        QCOMPARE(reject.reason, std::string("expected 12 fields, found 11"));
    }

    void categoricalMatching() {
        Schema schema;
        ColumnSpec sex;
        sex.name = "sex";
        sex.type = ColumnType::Categorical;
        sex.levels = {"1", "2"};
        schema.columns = {sex};
        auto encoder = RowEncoder::bind(schema, {"sex"}, '.', false);
        QVERIFY(encoder.ok());
        float out = -1.0f;
        RejectedRow reject;
        // A level written as another number form still finds its code; spaces are ignored.
        QVERIFY(encoder->encode({" 2.0 "}, &out, reject));
        QCOMPARE(out, 1.0f);
        QVERIFY(encoder->encode({"1"}, &out, reject));
        QCOMPARE(out, 0.0f);
        QVERIFY(!encoder->encode({"3"}, &out, reject));
        QCOMPARE(reject.reason, std::string("unknown level '3' for column sex (levels: '1', '2')"));
    }

    void encodeTableWithProblems() {
        auto table = readTable(test::fixturePath("csv/score_problems.csv"));
        QVERIFY(table.ok());
        auto data = encodeTable(*table, m_schema, true);
        QVERIFY2(data.ok(), data.ok() ? "" : data.error().message.c_str());

        QCOMPARE(data->featureNames,
                 (std::vector<std::string>{"age", "income", "purpose", "grade"}));
        QCOMPARE(data->categorical, (std::vector<bool>{false, false, true, true}));
        QCOMPARE(data->levelCounts, (std::vector<int>{0, 0, 4, 4}));
        QCOMPARE(data->rows, std::size_t{3});
        QCOMPARE(data->cols, std::size_t{4});
        QCOMPARE(data->values.size(), std::size_t{12});
        QCOMPARE(data->lines, (std::vector<std::int64_t>{2, 6, 11}));
        QCOMPARE(data->ids, (std::vector<std::string>{"S01", "S05", "S10"}));
        QCOMPARE(data->labels, (std::vector<float>{1.0f, 0.0f, 0.0f}));
        QCOMPARE(data->protectedValues.size(), std::size_t{1});
        QCOMPARE(data->protectedValues.at("sex"), (std::vector<std::string>{"F", "F", "M"}));
        QCOMPARE(data->at(0, 0), 45.0f);
        QVERIFY(std::isnan(data->at(1, 1)));
        QCOMPARE(data->at(2, 0), 29.0f);
        QCOMPARE(data->at(2, 2), 0.0f);  // " business " trimmed

        // Every row is accounted for: used or rejected, with the table's own rejects merged in
        // line order.
        QCOMPARE(data->rows + data->rejects.size(), table->rowsRead);
        struct Expected {
            std::int64_t line;
            const char* column;
            const char* reason;
        };
        const std::vector<Expected> expected{
            {3, "age", "'abc' is not a number"},
            {4, "purpose", "unknown level 'boat' for column purpose"},
            {5, "age", "missing value in column age (none in the training data)"},
            {7, "", "expected 12 fields, found 10"},
            {8, "age", "value out of range"},
            {9, "class", "missing target value"},
            {10, "income", "'1,5' is not a number"},
        };
        QCOMPARE(data->rejects.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const RejectedRow& r = data->rejects[i];
            QCOMPARE(r.line, expected[i].line);
            QCOMPARE(r.column, std::string(expected[i].column));
            QVERIFY2(r.reason.starts_with(expected[i].reason), r.reason.c_str());
            QVERIFY(!r.raw.empty());
        }
        QCOMPARE(data->rejects[0].raw,
                 std::string("S02,2,abc,1591.09,furniture,B3,DE,2019-02-02,bad age,M,Bob X,1"));
        // Re-joined fields are quoted where a reader would otherwise split or trim them.
        QCOMPARE(data->rejects[6].raw.substr(0, 19), std::string("S09,9,\" 38 \",\"1,5\","));

        QTemporaryDir dir;
        const std::string rejectsPath = dir.filePath(QStringLiteral("rejects.csv")).toStdString();
        QVERIFY(writeRejects(rejectsPath, data->rejects).ok());
        auto written = readTable(rejectsPath);
        QVERIFY(written.ok());
        QCOMPARE(written->rows(), data->rejects.size());
        QCOMPARE(written->columns[3][6], data->rejects[6].raw);
    }

    void scoringWithoutTarget() {
        auto table = readTable(test::fixturePath("csv/score_problems.csv"));
        QVERIFY(table.ok());
        auto data = encodeTable(*table, m_schema, false);
        QVERIFY(data.ok());
        // The row without a target value is fine when no target is needed.
        QCOMPARE(data->lines, (std::vector<std::int64_t>{2, 6, 9, 11}));
        QVERIFY(data->labels.empty());
    }

    void decimalCommaFile() {
        auto table = readTable(test::fixturePath("csv/semicolon_decimal_comma.csv"));
        QVERIFY(table.ok());
        auto schema = inferSchema(*table, {});
        QVERIFY(schema.ok());
        QCOMPARE(toString(schema->find("income")->type), std::string("numeric"));
        QCOMPARE(toString(schema->find("region")->type), std::string("categorical"));
        auto data = encodeTable(*table, *schema, false);
        QVERIFY(data.ok());
        QCOMPARE(data->rows, std::size_t{3});
        QCOMPARE(data->at(0, 1), 1200.5f);
        QCOMPARE(data->at(1, 2), 1.5f);
        QCOMPARE(data->at(2, 1), -12.5f);
        QCOMPARE(data->at(2, 2), 2.0f);
        QCOMPARE(data->at(2, 3), 0.0f);  // north
    }

    void allRowsRejected() {
        QTemporaryDir dir;
        const std::string path = test::writeFile(
            dir, "bad.csv", std::string("age,income,purpose,grade,class\nx,1,car,A1,1\n"));
        auto table = readTable(path);
        QVERIFY(table.ok());
        auto data = encodeTable(*table, m_schema, true);
        QVERIFY(!data.ok());
        const QString message = QString::fromStdString(data.error().message);
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("line 2 (column age): 'x' is not a number")),
                 qPrintable(message));
    }

    // The batch fast path (encodePlainLine) gives, bit for bit, what splitting the line and
    // encode() give, and declines (for encode() to decide) whatever it does not handle itself.
    void plainLineEqualsSplitAndEncode() {
        struct Case {
            char delimiter;
            char decimal;
            std::string line;
            bool fast;  // expected to take the fast path
        };
        const std::vector<std::string> header{"customer_id", "age", "income", "purpose", "grade"};
        const std::vector<Case> cases{
            {',', '.', "C1,41,1500.5,car,A10", true},
            {',', '.', "C1,041,00012,car,A10", true},
            {',', '.', "C1,41,-0,car,A10", true},  // -0 keeps its sign both ways
            {',', '.', "C1,41,0.1,car,A10", true},
            {',', '.', "C1,41,123456789012345,car,A10", true},    // 15 digits
            {',', '.', "C1,41,12345678.9012345,car,A10", true},   // 15 digits
            {',', '.', "C1,41,1234567890123456,car,A10", false},  // 16: the general parser
            {',', '.', "C1,41,0.0000000000000001,car,A10", false},
            {',', '.', "C1,41,1e3,car,A10", false},
            {',', '.', "C1,41,+5,car,A10", false},
            {',', '.', "C1,41,.5,car,A10", false},
            {',', '.', "C1,41,5.,car,A10", false},
            {',', '.', "C1,41, 5,car,A10", false},
            {',', '.', "C1,41,5,car ,A10", false},
            {',', '.', "C1,41,NA,car,A10", false},
            {',', '.', "C1,41,,car,A10", false},
            {',', '.', "C1,41.0,5,car,A10", true},    // a whole number written with a fraction
            {',', '.', "C1,41.5,5,car,A10", false},   // age holds whole numbers: refused
            {',', '.', "C1,-3,5,car,A10", false},     // below the valid range: refused
            {',', '.', "C1,41,5,boat,A10", false},    // unknown level: refused
            {',', '.', "C1,41,5,car", false},         // a field short
            {',', '.', "C1,41,5,car,A10,x", false},   // a field over
            {',', '.', "  C 1 ,41,5,car,A10", true},  // the id is trimmed, as id() does
            {',', '.', "", false},
            {';', ',', "C1;41;1500,5;car;A10", true},
            {';', ',', "C1;41;1500.5;car;A10", false},  // '.' is not this file's separator
            {';', ',', "C1;41;-12,25;car;A10", false},  // income >= 0
        };
        for (const Case& c : cases) {
            auto encoder = RowEncoder::bind(m_schema, header, c.decimal, false);
            QVERIFY(encoder.ok());
            const QByteArray what = QByteArray::fromStdString(c.line);
            std::vector<float> fast(encoder->featureCount(), -7.0f);
            std::string_view fastId;
            const bool took = encoder->encodePlainLine(c.line, c.delimiter, fast.data(), fastId);
            QVERIFY2(took == c.fast, what.constData());
            if (!took) continue;
            CsvRecord record;
            QVERIFY(parsePlainRecord(c.line, c.delimiter, record));
            std::vector<float> general(encoder->featureCount(), -9.0f);
            RejectedRow reject;
            QVERIFY2(encoder->encode(record.fields, general.data(), reject), what.constData());
            QVERIFY2(std::memcmp(fast.data(), general.data(), fast.size() * sizeof(float)) == 0,
                     what.constData());
            QCOMPARE(fastId, encoder->id(record.fields));
        }

        // Random decimals of 1 to 17 digits: whenever the fast path takes one, its float is
        // the general parser's, bit for bit; and it takes every one of up to 15 digits.
        auto encoder = RowEncoder::bind(m_schema, header, '.', false);
        QVERIFY(encoder.ok());
        std::uint64_t state = 20261206;
        const auto next = [&] {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            return static_cast<unsigned>(state >> 33);
        };
        int taken = 0;
        for (int i = 0; i < 20000; ++i) {
            const int digits = 1 + static_cast<int>(next() % 17);
            std::string number;
            for (int d = 0; d < digits; ++d)
                number += static_cast<char>('0' + next() % 10);
            if (digits > 1 && next() % 4 != 0)
                number.insert(1 + next() % static_cast<unsigned>(digits - 1), 1, '.');
            const std::string line = "C1,30," + number + ",car,A1";
            std::vector<float> fast(encoder->featureCount()), general(encoder->featureCount());
            std::string_view id;
            const bool took = encoder->encodePlainLine(line, ',', fast.data(), id);
            QVERIFY2(took == (digits <= 15), line.c_str());
            if (!took) continue;
            ++taken;
            CsvRecord record;
            QVERIFY(parsePlainRecord(line, ',', record));
            RejectedRow reject;
            QVERIFY2(encoder->encode(record.fields, general.data(), reject), line.c_str());
            QVERIFY2(std::memcmp(fast.data(), general.data(), fast.size() * sizeof(float)) == 0,
                     line.c_str());
        }
        QVERIFY(taken > 15000);
    }

    void subset() {
        auto table = readTable(test::fixturePath("csv/applicants.csv"));
        QVERIFY(table.ok());
        auto data = encodeTable(*table, m_schema, true);
        QVERIFY(data.ok());
        QCOMPARE(data->rows, std::size_t{30});
        QVERIFY(data->rejects.empty());
        const EncodedData part = data->subset({5, 0, 29});
        QCOMPARE(part.rows, std::size_t{3});
        QCOMPARE(part.cols, data->cols);
        QCOMPARE(part.featureNames, data->featureNames);
        QCOMPARE(part.levelCounts, data->levelCounts);
        QCOMPARE(part.lines, (std::vector<std::int64_t>{7, 2, 31}));
        QCOMPARE(part.ids, (std::vector<std::string>{"C006", "C001", "C030"}));
        QCOMPARE(part.labels,
                 (std::vector<float>{data->labels[5], data->labels[0], data->labels[29]}));
        QCOMPARE(part.protectedValues.at("sex"),
                 (std::vector<std::string>{data->protectedValues.at("sex")[5],
                                           data->protectedValues.at("sex")[0],
                                           data->protectedValues.at("sex")[29]}));
        for (std::size_t c = 0; c < part.cols; ++c) {
            QCOMPARE(part.at(0, c), data->at(5, c));
            QCOMPARE(part.at(2, c), data->at(29, c));
        }
        QVERIFY(part.rejects.empty());
    }
};

QTEST_GUILESS_MAIN(TestEncoding)
#include "tst_encoding.moc"
