// Schema (JSON, look-ups) and schema inference on real files.

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include "TestSupport.h"
#include "data/EncodedData.h"
#include "data/Schema.h"
#include "data/SchemaInference.h"
#include "data/Table.h"

using namespace cwb;

Q_DECLARE_METATYPE(cwb::ColumnType)
Q_DECLARE_METATYPE(cwb::ColumnRole)

namespace {

const std::string kApplicants = test::fixturePath("csv/applicants.csv");

InferenceOptions applicantOptions() {
    InferenceOptions options;
    options.target = "class";
    options.badValue = "2";
    options.protectedColumns = {"sex"};
    options.piiColumns = {"name"};
    return options;
}

Schema inferApplicants() {
    auto table = readTable(kApplicants);
    if (!table) qFatal("%s", table.error().message.c_str());
    auto schema = inferSchema(*table, applicantOptions());
    if (!schema) qFatal("%s", schema.error().message.c_str());
    return schema.value();
}

void compareColumns(const ColumnSpec& a, const ColumnSpec& b) {
    QCOMPARE(a.name, b.name);
    QCOMPARE(toString(a.type), toString(b.type));
    QCOMPARE(toString(a.role), toString(b.role));
    QCOMPARE(a.label, b.label);
    QCOMPARE(a.levels, b.levels);
    QCOMPARE(a.levelLabels, b.levelLabels);
    QCOMPARE(a.allowMissing, b.allowMissing);
    QCOMPARE(a.min, b.min);
    QCOMPARE(a.max, b.max);
    QCOMPARE(a.missingRate, b.missingRate);
    QCOMPARE(a.distinctCount, b.distinctCount);
}

}  // namespace

class TestSchema : public QObject {
    Q_OBJECT

private slots:
    void enumWords_data() {
        QTest::addColumn<ColumnType>("type");
        QTest::addColumn<QString>("word");
        QTest::newRow("numeric") << ColumnType::Numeric << "numeric";
        QTest::newRow("categorical") << ColumnType::Categorical << "categorical";
        QTest::newRow("identifier") << ColumnType::Identifier << "identifier";
        QTest::newRow("date") << ColumnType::Date << "date";
        QTest::newRow("text") << ColumnType::Text << "text";
        QTest::newRow("constant") << ColumnType::Constant << "constant";
    }

    void enumWords() {
        QFETCH(ColumnType, type);
        QFETCH(QString, word);
        QCOMPARE(QString::fromStdString(toString(type)), word);
        QVERIFY(columnTypeFromString(word.toStdString()) == type);
        QVERIFY(columnTypeFromString(word.toUpper().toStdString()) == type);
    }

    void roleWords_data() {
        QTest::addColumn<ColumnRole>("role");
        QTest::addColumn<QString>("word");
        QTest::newRow("feature") << ColumnRole::Feature << "feature";
        QTest::newRow("target") << ColumnRole::Target << "target";
        QTest::newRow("id") << ColumnRole::Id << "id";
        QTest::newRow("protected") << ColumnRole::Protected << "protected";
        QTest::newRow("excluded") << ColumnRole::Excluded << "excluded";
        QTest::newRow("pii") << ColumnRole::Pii << "pii";
    }

    void roleWords() {
        QFETCH(ColumnRole, role);
        QFETCH(QString, word);
        QCOMPARE(QString::fromStdString(toString(role)), word);
        QVERIFY(columnRoleFromString(word.toStdString()) == role);
    }

    void unknownWords() {
        QVERIFY(!columnTypeFromString("numerik").has_value());
        QVERIFY(!columnRoleFromString("label").has_value());
    }

    void inferredColumns_data() {
        QTest::addColumn<QString>("column");
        QTest::addColumn<ColumnType>("type");
        QTest::addColumn<ColumnRole>("role");
        QTest::addColumn<bool>("allowMissing");

        QTest::newRow("unique codes")
            << "customer_id" << ColumnType::Identifier << ColumnRole::Id << false;
        // Only the first identifier becomes the id; the row numbers are kept out of the model.
        QTest::newRow("row numbers")
            << "row_no" << ColumnType::Identifier << ColumnRole::Excluded << false;
        QTest::newRow("numeric") << "age" << ColumnType::Numeric << ColumnRole::Feature << false;
        QTest::newRow("numeric with gaps")
            << "income" << ColumnType::Numeric << ColumnRole::Feature << true;
        QTest::newRow("categorical")
            << "purpose" << ColumnType::Categorical << ColumnRole::Feature << false;
        QTest::newRow("constant") << "country" << ColumnType::Constant << ColumnRole::Excluded
                                  << false;
        QTest::newRow("date") << "opened" << ColumnType::Date << ColumnRole::Excluded << false;
        QTest::newRow("free text")
            << "comment" << ColumnType::Text << ColumnRole::Excluded << false;
        QTest::newRow("protected")
            << "sex" << ColumnType::Categorical << ColumnRole::Protected << false;
        QTest::newRow("pii") << "name" << ColumnType::Text << ColumnRole::Pii << false;
        QTest::newRow("target") << "class" << ColumnType::Numeric << ColumnRole::Target << false;
    }

    void inferredColumns() {
        QFETCH(QString, column);
        QFETCH(ColumnType, type);
        QFETCH(ColumnRole, role);
        QFETCH(bool, allowMissing);
        const Schema schema = inferApplicants();
        const ColumnSpec* spec = schema.find(column.toStdString());
        QVERIFY(spec);
        QCOMPARE(toString(spec->type), toString(type));
        QCOMPARE(toString(spec->role), toString(role));
        QCOMPARE(spec->allowMissing, allowMissing);
    }

    void inferredDetails() {
        const Schema schema = inferApplicants();
        QCOMPARE(schema.target, std::string("class"));
        QCOMPARE(schema.badValue, std::string("2"));
        QCOMPARE(schema.featureNames(),
                 (std::vector<std::string>{"age", "income", "purpose", "grade"}));
        QVERIFY(schema.idColumn());
        QCOMPARE(schema.idColumn()->name, std::string("customer_id"));

        const ColumnSpec& grade = *schema.find("grade");
        // Natural order: A2 before A10.
        QCOMPARE(grade.levels, (std::vector<std::string>{"A1", "A2", "A10", "B3"}));
        QCOMPARE(grade.levelCode("A10"), 2);
        QCOMPARE(grade.levelCode("C9"), -1);
        QCOMPARE(schema.find("purpose")->levels,
                 (std::vector<std::string>{"business", "car", "education", "furniture"}));

        const ColumnSpec& income = *schema.find("income");
        QCOMPARE(income.missingRate, 2.0 / 30.0);
        QCOMPARE(income.distinctCount, std::size_t{28});
        QVERIFY(income.min >= 800.0 && income.max <= 9100.0 && income.min < income.max);
        QCOMPARE(schema.find("row_no")->min, 1.0);
        QCOMPARE(schema.find("row_no")->max, 30.0);
        QCOMPARE(schema.find("country")->distinctCount, std::size_t{1});
    }

    void lookups() {
        const Schema schema = inferApplicants();
        QCOMPARE(schema.indexOf("customer_id"), 0);
        QCOMPARE(schema.indexOf("class"), 11);
        QCOMPARE(schema.indexOf("nope"), -1);
        QVERIFY(schema.find("nope") == nullptr);
        Schema copy = schema;
        copy.find("age")->role = ColumnRole::Excluded;
        QCOMPARE(copy.featureNames(), (std::vector<std::string>{"income", "purpose", "grade"}));
        copy.find("customer_id")->role = ColumnRole::Excluded;
        QVERIFY(copy.idColumn() == nullptr);
    }

    void taiwanData() {
        auto table = readTable(test::sharedPath("data/taiwan/UCI_Credit_Card.csv"));
        QVERIFY2(table.ok(), table.ok() ? "" : table.error().message.c_str());
        InferenceOptions options;
        options.target = "Y";
        options.badValue = "1";
        auto schema = inferSchema(*table, options);
        QVERIFY2(schema.ok(), schema.ok() ? "" : schema.error().message.c_str());
        QCOMPARE(schema->columns.size(), std::size_t{25});
        QCOMPARE(toString(schema->find("ID")->type), toString(ColumnType::Identifier));
        QCOMPARE(toString(schema->find("ID")->role), toString(ColumnRole::Id));
        QCOMPARE(toString(schema->find("Y")->role), toString(ColumnRole::Target));
        QCOMPARE(toString(schema->find("X2")->type), toString(ColumnType::Numeric));
        QCOMPARE(toString(schema->find("X2")->role), toString(ColumnRole::Feature));
        QCOMPARE(schema->find("X2")->min, 1.0);
        QCOMPARE(schema->find("X2")->max, 2.0);
        QCOMPARE(schema->find("X1")->min, 10000.0);
        QCOMPARE(schema->find("X1")->max, 1000000.0);
        QCOMPARE(schema->features().size(), std::size_t{23});
        QCOMPARE(schema->featureNames().front(), std::string("X1"));
        QCOMPARE(schema->featureNames().back(), std::string("X23"));
        for (const ColumnSpec* spec : schema->features())
            QVERIFY(!spec->allowMissing);
    }

    void inferenceErrors_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("bad");
        QTest::addColumn<QString>("excluded");
        QTest::addColumn<QString>("expected");

        QTest::newRow("absent column")
            << "class"
            << "2"
            << "incme"
            << "no column 'incme' in '" + QString::fromStdString(kApplicants) +
                   "'; columns are: 'customer_id', 'row_no'";
        QTest::newRow("absent target") << "default"
                                       << "1"
                                       << ""
                                       << "no column 'default' in";
        QTest::newRow("no bad rows")
            << "class"
            << "3"
            << ""
            << "target 'class' in '" + QString::fromStdString(kApplicants) +
                   "' has no rows with the bad value '3' (its values include '1', '2')";
        QTest::newRow("only bad rows") << "country"
                                       << "DE"
                                       << ""
                                       << "has no rows other than the bad value 'DE'";
        QTest::newRow("target also excluded") << "class"
                                              << "2"
                                              << "class"
                                              << "cannot also be";
    }

    void inferenceErrors() {
        QFETCH(QString, target);
        QFETCH(QString, bad);
        QFETCH(QString, excluded);
        QFETCH(QString, expected);
        auto table = readTable(kApplicants);
        QVERIFY(table.ok());
        InferenceOptions options;
        options.target = target.toStdString();
        options.badValue = bad.toStdString();
        if (!excluded.isEmpty()) options.excluded = {excluded.toStdString()};
        auto schema = inferSchema(*table, options);
        QVERIFY(!schema.ok());
        QCOMPARE(schema.error().kind, ErrorKind::BadInput);
        const QString message = QString::fromStdString(schema.error().message);
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void userRolesWin() {
        auto table = readTable(kApplicants);
        QVERIFY(table.ok());
        InferenceOptions options;
        options.idColumns = {"row_no"};
        options.excluded = {"age"};
        auto schema = inferSchema(*table, options);
        QVERIFY(schema.ok());
        QCOMPARE(schema->idColumn()->name, std::string("row_no"));
        // With the id chosen by the user, the detected identifier is not a second id.
        QCOMPARE(toString(schema->find("customer_id")->role), toString(ColumnRole::Excluded));
        QCOMPARE(toString(schema->find("age")->role), toString(ColumnRole::Excluded));
        QCOMPARE(toString(schema->find("age")->type), toString(ColumnType::Numeric));
        // No target named: the class column is an ordinary feature.
        QCOMPARE(toString(schema->find("class")->role), toString(ColumnRole::Feature));
    }

    void smallFilesKeepUniqueNumbers() {
        QTemporaryDir dir;
        const std::string path = test::writeFile(
            dir, "small.csv", "amount,loan_id,y\n1200,7,1\n560,3,0\n990,12,0\n1500,4,1\n");
        auto table = readTable(path);
        QVERIFY(table.ok());
        auto schema = inferSchema(*table, {});
        QVERIFY(schema.ok());
        // All different but few rows and no id-like name: still an amount.
        QCOMPARE(toString(schema->find("amount")->type), toString(ColumnType::Numeric));
        QCOMPARE(toString(schema->find("loan_id")->type), toString(ColumnType::Identifier));
        QCOMPARE(toString(schema->find("loan_id")->role), toString(ColumnRole::Id));
    }

    void badValues_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("bad");
        QTest::addColumn<bool>("isBad");
        QTest::newRow("same text") << "2"
                                   << "2" << true;
        QTest::newRow("spaces") << " bad "
                                << "bad" << true;
        QTest::newRow("number forms") << "2.0"
                                      << "2" << true;
        QTest::newRow("other number") << "1"
                                      << "2" << false;
        QTest::newRow("case matters") << "Bad"
                                      << "bad" << false;
        QTest::newRow("text and number") << "yes"
                                         << "1" << false;
    }

    void badValues() {
        QFETCH(QString, field);
        QFETCH(QString, bad);
        QFETCH(bool, isBad);
        QCOMPARE(isBadValue(field.toStdString(), bad.toStdString()), isBad);
    }

    void jsonRoundTrip() {
        Schema schema = inferApplicants();
        ColumnSpec& purpose = *schema.find("purpose");
        purpose.label = "Purpose of the loan";
        purpose.levelLabels = {{"car", "New or used car"}, {"business", "Business"}};
        const nlohmann::json json = schema.toJson();
        QCOMPARE(json["columns"][4]["type"].get<std::string>(), std::string("categorical"));
        QCOMPARE(json["columns"][0]["role"].get<std::string>(), std::string("id"));
        auto back = Schema::fromJson(json);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        QCOMPARE(back->target, schema.target);
        QCOMPARE(back->badValue, schema.badValue);
        QCOMPARE(back->columns.size(), schema.columns.size());
        for (std::size_t i = 0; i < schema.columns.size(); ++i) {
            compareColumns(back->columns[i], schema.columns[i]);
        }

        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("schema.json")).toStdString();
        QVERIFY(schema.save(path).ok());
        auto loaded = Schema::load(path);
        QVERIFY(loaded.ok());
        QVERIFY(loaded->toJson() == json);
    }

    void invalidJson_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        const QString col = QStringLiteral(R"({"name":"a","type":"numeric","role":"feature"})");
        QTest::newRow("unknown type")
            << R"({"columns":[{"name":"a","type":"money","role":"feature"}]})"
            << "column 1 ('a'): unknown type 'money' (expected one of: numeric, categorical";
        QTest::newRow("unknown role")
            << R"({"columns":[{"name":"a","type":"numeric","role":"input"}]})"
            << "unknown role 'input'";
        QTest::newRow("duplicate names") << "{\"columns\":[" + col + "," + col + "]}"
                                         << "names column 'a' more than once";
        QTest::newRow("misspelt key")
            << R"({"columns":[{"name":"a","type":"numeric","role":"feature","alow_missing":true}]})"
            << "unknown key \"alow_missing\"";
        QTest::newRow("target not a column") << "{\"target\":\"y\",\"columns\":[" + col + "]}"
                                             << "target 'y' is not one of its columns";
        QTest::newRow("no columns") << R"({"target":"y"})"
                                    << "no \"columns\" list";
        QTest::newRow("duplicate level")
            << R"({"columns":[{"name":"a","type":"categorical","role":"feature","levels":["x","x"]}]})"
            << "level 'x' is listed twice";
        QTest::newRow("foreign format") << R"({"format":"other","columns":[]})"
                                        << "not a schema";
    }

    void invalidJson() {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        auto schema = Schema::fromJson(nlohmann::json::parse(json.toStdString()));
        QVERIFY(!schema.ok());
        QCOMPARE(schema.error().kind, ErrorKind::BadInput);
        const QString message = QString::fromStdString(schema.error().message);
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void handWrittenSchema() {
        // Numbers where text is meant, and only the required keys.
        auto schema = Schema::fromJson(nlohmann::json::parse(
            R"({"target":"y","bad_value":1,"columns":[
                {"name":"x","type":"Categorical","role":"feature","levels":[1,2,3]},
                {"name":"y","type":"numeric","role":"target"}]})"));
        QVERIFY2(schema.ok(), schema.ok() ? "" : schema.error().message.c_str());
        QCOMPARE(schema->badValue, std::string("1"));
        QCOMPARE(schema->columns[0].levels, (std::vector<std::string>{"1", "2", "3"}));
        QCOMPARE(schema->featureNames(), std::vector<std::string>{"x"});
    }

    void loadErrorsNameTheFile() {
        QTemporaryDir dir;
        const std::string broken = test::writeFile(dir, "broken.json", "{\"columns\": [");
        auto a = Schema::load(broken);
        QVERIFY(!a.ok());
        QVERIFY(QString::fromStdString(a.error().message).contains(QString::fromStdString(broken)));
        const std::string wrong = test::writeFile(
            dir, "wrong.json", R"({"columns":[{"name":"a","type":"numeric","role":"x"}]})");
        auto b = Schema::load(wrong);
        QVERIFY(!b.ok());
        const QString message = QString::fromStdString(b.error().message);
        QVERIFY(message.contains(QString::fromStdString(wrong)));
        QVERIFY(message.contains(QStringLiteral("unknown role 'x'")));
        auto c = Schema::load(dir.filePath(QStringLiteral("absent.json")).toStdString());
        QVERIFY(!c.ok());
        QVERIFY(QString::fromStdString(c.error().message).contains(QStringLiteral("absent.json")));
    }
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
