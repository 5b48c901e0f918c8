// Issue 17: the leakage check on real credit files. Well-known strong predictors
// (checking_status in German, PAY_0 = X6 in Taiwan) are information, not target leakage; a
// column built from the target still is.

#include <QTest>

#include <algorithm>
#include <fstream>
#include <string>

#include "TestSupport.h"
#include "data/Table.h"
#include "pipeline/TrainingSetup.h"

using namespace cwb;
using namespace cwb::test;

namespace {

std::vector<std::string> leakageColumns(const TrainingPreview& preview) {
    std::vector<std::string> out;
    for (const auto& w : preview.warnings)
        if (w.kind == "leakage") out.push_back(w.column);
    return out;
}

}  // namespace

class TestLeakageRealData : public QObject {
    Q_OBJECT
private slots:
    void strongPredictorsAreNotLeakage_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("bad");
        QTest::addColumn<QString>("strongest");
        QTest::newRow("german") << QString::fromStdString(
                                       sourcePath("sample_data/german_credit.csv"))
                                << "class"
                                << "2"
                                << "checking_status";
        QTest::newRow("taiwan") << QString::fromStdString(
                                       sharedPath("data/taiwan/UCI_Credit_Card.csv"))
                                << "Y"
                                << "1"
                                << "X6";
    }
    void strongPredictorsAreNotLeakage() {
        QFETCH(QString, file);
        QFETCH(QString, target);
        QFETCH(QString, bad);
        QFETCH(QString, strongest);
        if (!QFile::exists(file)) QSKIP("reference data not present");
        auto table = readTable(file.toStdString());
        QVERIFY(table);
        TrainingChoices choices;
        choices.target = target.toStdString();
        choices.badValue = bad.toStdString();
        auto preview = previewTraining(*table, choices, nullptr);
        QVERIFY2(preview, preview ? "" : preview.error().message.c_str());
        // The strongest predictor is strong...
        QVERIFY(preview->informationValue.at(strongest.toStdString()) > 0.5);
        // ...and not called leakage, nor is anything else in these files.
        const auto leaks = leakageColumns(*preview);
        QVERIFY2(leaks.empty(), leaks.empty() ? "" : leaks.front().c_str());
    }

    void columnBuiltFromTheTargetIsLeakage() {
        // German with a "collections" column recorded after the outcome: the class, wrong in
        // one row of twenty.
        auto table = readTable(sourcePath("sample_data/german_credit.csv"));
        QVERIFY(table);
        const auto classColumn = static_cast<std::size_t>(
            std::find(table->header.begin(), table->header.end(), "class") - table->header.begin());
        QVERIFY(classColumn < table->header.size());
        std::vector<std::string> collections;
        for (std::size_t r = 0; r < table->columns[classColumn].size(); ++r) {
            const bool bad = table->columns[classColumn][r] == "2";
            collections.push_back((bad != (r % 20 == 7)) ? "in_collections" : "current");
        }
        table->header.push_back("collections");
        table->columns.push_back(collections);
        TrainingChoices choices;
        choices.target = "class";
        choices.badValue = "2";
        auto preview = previewTraining(*table, choices, nullptr);
        QVERIFY2(preview, preview ? "" : preview.error().message.c_str());
        const auto leaks = leakageColumns(*preview);
        QCOMPARE(leaks, std::vector<std::string>{"collections"});
        for (const auto& w : preview->warnings)
            if (w.kind == "leakage")
                QVERIFY2(w.message.find("target leakage") != std::string::npos, w.message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestLeakageRealData)
#include "tst_leakage_real_data.moc"
