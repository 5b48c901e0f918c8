// Data diagnostics on a table built in the test: each kind of problem in its own column, and
// clean columns that must stay quiet.
#include <QTest>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "eval/Diagnostics.h"

using cwb::ColumnRole;
using cwb::ColumnType;
using cwb::DataWarning;

namespace {

constexpr std::size_t kRows = 200;

struct Fixture {
    cwb::Table table;
    cwb::Schema schema;
    cwb::EncodedData data;
};

void addColumn(Fixture& f, const std::string& name, ColumnType type, ColumnRole role,
               std::vector<std::string> cells) {
    f.table.header.push_back(name);
    f.table.columns.push_back(std::move(cells));
    cwb::ColumnSpec spec;
    spec.name = name;
    spec.type = type;
    spec.role = role;
    f.schema.columns.push_back(spec);
}

void addFeature(Fixture& f, const std::string& name, bool categorical,
                const std::vector<float>& values) {
    f.data.featureNames.push_back(name);
    f.data.categorical.push_back(categorical);
    f.data.levelCounts.push_back(categorical ? 2 : 0);
    f.data.cols += 1;
    // Rebuild the row-major block with the new column appended.
    std::vector<float> block;
    for (std::size_t r = 0; r < kRows; ++r) {
        for (std::size_t c = 0; c + 1 < f.data.cols; ++c) {
            block.push_back(f.data.values[r * (f.data.cols - 1) + c]);
        }
        block.push_back(values[r]);
    }
    f.data.values = std::move(block);
}

Fixture makeFixture() {
    Fixture f;
    std::mt19937 rng(4242);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<std::string> target, leak, constant, customer, account, income, age, flag;
    std::vector<float> leakCodes, constantValues, incomeValues, ageValues, flagValues, labels;
    for (std::size_t r = 0; r < kRows; ++r) {
        const bool bad = uniform(rng) < 0.3;
        labels.push_back(bad ? 1.0f : 0.0f);
        target.push_back(bad ? "1" : "0");
        // Recorded after the outcome: the collections status copies the target.
        leak.push_back(bad ? "in_collections" : "current");
        leakCodes.push_back(bad ? 1.0f : 0.0f);
        constant.push_back("5");
        constantValues.push_back(5.0f);
        customer.push_back("C" + std::to_string(10000 + r));
        account.push_back(std::to_string(900000 + r));
        // 40% missing (rows with r % 5 < 2), otherwise a plausible income.
        const bool missing = r % 5 < 2;
        const int incomeValue = 2000 + static_cast<int>(uniform(rng) * 3000);
        income.push_back(missing ? "NA" : std::to_string(incomeValue));
        incomeValues.push_back(missing ? std::numeric_limits<float>::quiet_NaN()
                                       : static_cast<float>(incomeValue));
        // Ages repeat a lot, and relate only weakly to risk: a clean characteristic.
        const int ageValue = 20 + static_cast<int>(uniform(rng) * 50);
        age.push_back(std::to_string(ageValue));
        ageValues.push_back(static_cast<float>(ageValue));
        // 1 of 200 rows differs: 99.5% share of the top value.
        flag.push_back(r == 17 ? "1" : "0");
        flagValues.push_back(r == 17 ? 1.0f : 0.0f);
    }
    addColumn(f, "account", ColumnType::Identifier, ColumnRole::Id, account);
    addColumn(f, "customer_ref", ColumnType::Text, ColumnRole::Feature, customer);
    addColumn(f, "age", ColumnType::Numeric, ColumnRole::Feature, age);
    addColumn(f, "income", ColumnType::Numeric, ColumnRole::Feature, income);
    addColumn(f, "status", ColumnType::Categorical, ColumnRole::Feature, leak);
    addColumn(f, "branch", ColumnType::Numeric, ColumnRole::Feature, constant);
    addColumn(f, "flag", ColumnType::Categorical, ColumnRole::Feature, flag);
    addColumn(f, "default", ColumnType::Categorical, ColumnRole::Target, target);
    f.schema.target = "default";
    for (std::size_t r = 0; r < kRows; ++r) {
        f.table.lines.push_back(static_cast<int>(r) + 2);
    }
    f.table.rowsRead = kRows;

    f.data.rows = kRows;
    f.data.labels = labels;
    addFeature(f, "age", false, ageValues);
    addFeature(f, "income", false, incomeValues);
    addFeature(f, "status", true, leakCodes);
    addFeature(f, "branch", false, constantValues);
    addFeature(f, "flag", true, flagValues);
    return f;
}

std::vector<DataWarning> warningsFor(const std::vector<DataWarning>& all,
                                     const std::string& column) {
    std::vector<DataWarning> out;
    for (const auto& w : all) {
        if (w.column == column) out.push_back(w);
    }
    return out;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

class TestDiagnostics : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_warnings = cwb::diagnose(m_f.table, m_f.schema, m_f.data); }
    void eachProblemIsNamed_data();
    void eachProblemIsNamed();
    void cleanColumnsGetNoWarning_data();
    void cleanColumnsGetNoWarning();
    void withoutLabelsThereIsNoLeakageCheck();

private:
    Fixture m_f = makeFixture();
    std::vector<DataWarning> m_warnings;
};

void TestDiagnostics::eachProblemIsNamed_data() {
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("figure");  // the number the message must state
    QTest::newRow("leakage") << "status"
                             << "leakage"
                             << "AUC 1.00";
    QTest::newRow("constant") << "branch"
                              << "constant"
                              << "'5'";
    QTest::newRow("id") << "customer_ref"
                        << "id_like"
                        << "100.0%";
    QTest::newRow("missing") << "income"
                             << "high_missing"
                             << "40.0%";
    QTest::newRow("near constant") << "flag"
                                   << "near_constant"
                                   << "99.5%";
}

void TestDiagnostics::eachProblemIsNamed() {
    QFETCH(QString, column);
    QFETCH(QString, kind);
    QFETCH(QString, figure);
    const auto found = warningsFor(m_warnings, column.toStdString());
    QCOMPARE(found.size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(found[0].kind), kind);
    const std::string& message = found[0].message;
    QVERIFY2(contains(message, "'" + column.toStdString() + "'"), message.c_str());
    QVERIFY2(contains(message, figure.toStdString()), message.c_str());
    if (kind == "leakage") QVERIFY(contains(message, "target leakage"));
}

void TestDiagnostics::cleanColumnsGetNoWarning_data() {
    QTest::addColumn<QString>("column");
    QTest::newRow("numeric feature") << "age";
    QTest::newRow("declared id") << "account";
    QTest::newRow("target") << "default";
}

void TestDiagnostics::cleanColumnsGetNoWarning() {
    QFETCH(QString, column);
    const auto found = warningsFor(m_warnings, column.toStdString());
    QVERIFY2(found.empty(), found.empty() ? "" : found.front().message.c_str());
}

void TestDiagnostics::withoutLabelsThereIsNoLeakageCheck() {
    Fixture f = makeFixture();
    f.data.labels.clear();
    const auto warnings = cwb::diagnose(f.table, f.schema, f.data);
    QVERIFY(warningsFor(warnings, "status").empty());
    QCOMPARE(warningsFor(warnings, "branch").size(), std::size_t{1});
}

QTEST_APPLESS_MAIN(TestDiagnostics)
#include "tst_diagnostics.moc"
