#pragma once
// Fixtures for the SQL export tests (tst_sql_export_sqlite, tst_sql_export_postgres): models
// trained with the real `cwb train`, scoring files holding the id and input columns of a model
// (with rows edited to be rejected or to carry missing values), the engine's results from the
// real `cwb score`, and the statement from the real `cwb export-sql`.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "CliRunner.h"
#include "SqlExportCompare.h"
#include "data/CsvReader.h"
#include "data/TextUtil.h"
#include "scoring/ModelBundle.h"

namespace cwb::test {

// One scoring case: a model and the file it scores, both in the engine and in SQL.
struct ScoringCase {
    QString name;
    std::string model;
    std::string source;  // the file the scoring data was made from
    std::string data;    // columns: the id, then the model's input columns in schema order
    std::string idColumn;
    std::map<std::int64_t, std::string> lineToId;  // the data file's line of each id
    bool scorecard = false;
    int reasons = 0;
    double pdTolerance = 0.0;
};

inline const ScoringCase* findCase(const std::vector<ScoringCase>& cases, const QString& name) {
    for (const auto& c : cases)
        if (c.name == name) return &c;
    return nullptr;
}

struct CellEdit {
    std::size_t row;  // 0-based data row
    std::string column;
    std::string value;
};

// Rows of the German sample made unusable in each way decision 3 names, or usable only after
// trimming; columns refer to the shipped model's inputs. withNaN adds a "nan" number, which
// SQLite cannot store (it becomes NULL) but PostgreSQL can. withTab pads a level with a tab,
// which the ANSI dialect does not trim (its TRIM takes one character: the space).
inline std::vector<CellEdit> germanEdits(bool withNaN, bool withTab = true) {
    std::vector<CellEdit> edits{
        {3, "duration_months", ""},                                   // missing number
        {7, "checking_status", "NA"},                                 // missing level (token)
        {11, "purpose", "it's a \"new\" \\ purpose; DROP"},           // unseen level, quotes
        {15, "credit_amount", "1e39"},                                // beyond float range
        {19, "credit_amount", "-inf"},                                // infinite
        {23, "savings", withTab ? "  < 100 DM\t " : "  < 100 DM  "},  // blanks around a level
        {27, "housing", "castle"},                                    // unseen, and
        {27, "duration_months", ""},                                  // the earlier column wins
        {31, "checking_status", ""},                                  // missing level (empty)
    };
    if (withNaN) edits.push_back({35, "credit_amount", "nan"});
    return edits;
}

// Copies `source` to `out` keeping the given columns (in that order), applying the edits and
// blanking `blankColumns` on every `blankEvery`-th row; records each row's line and id. Fails
// the current test when a column is missing.
inline void writeCsv(const std::string& source, const std::string& out,
                     const std::vector<std::string>& columns, const std::vector<CellEdit>& edits,
                     const std::string& idColumn, std::map<std::int64_t, std::string>* lineToId,
                     const std::vector<std::string>& blankColumns = {},
                     std::size_t blankEvery = 0) {
    auto reader = CsvReader::open(source);
    QVERIFY2(reader.ok(), reader.ok() ? "" : reader.error().message.c_str());
    std::map<std::string, std::size_t> index;
    for (std::size_t c = 0; c < (*reader)->header().size(); ++c)
        index[(*reader)->header()[c]] = c;
    for (const auto& column : columns)
        QVERIFY2(index.count(column), ("no column " + column + " in " + source).c_str());
    std::string text;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (c > 0) text += ',';
        text::appendCsvField(text, columns[c]);
    }
    text += '\n';
    CsvRecord record;
    std::int64_t line = 2;
    for (std::size_t row = 0;; ++row, ++line) {
        auto more = (*reader)->next(record);
        QVERIFY(more.ok());
        if (!*more) break;
        std::map<std::string, std::string> values;
        for (const auto& [name, c] : index)
            values[name] = std::string(record.fields.at(c));
        if (blankEvery > 0 && row % blankEvery == 1)
            for (const auto& column : blankColumns)
                values[column] = "";
        for (const CellEdit& edit : edits)
            if (edit.row == row) values[edit.column] = edit.value;
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (c > 0) text += ',';
            QVERIFY(values[columns[c]].find('\n') == std::string::npos);
            text::appendCsvField(text, values[columns[c]]);
        }
        text += '\n';
        if (lineToId) (*lineToId)[line] = values[idColumn];
    }
    std::ofstream(out, std::ios::binary) << text;
}

// The id and input columns of a bundle, in the order inputTableDdl declares them.
inline std::vector<std::string> tableColumns(const ModelBundle& bundle) {
    std::vector<std::string> columns;
    if (const ColumnSpec* id = bundle.schema.idColumn()) columns.push_back(id->name);
    for (const auto& name : bundle.schema.featureNames())
        columns.push_back(name);
    return columns;
}

inline void trainModel(const QStringList& arguments) {
    const CliRun run =
        runCli(QStringList{"train", "--quiet", "--cv", "2", "--seed", "7"} + arguments, 600000);
    QVERIFY2(run.exitCode == 0, run.err.constData());
}

// A scoring case over `source` (edited) for the model at modelPath.
inline ScoringCase makeCase(const QString& name, const std::string& modelPath,
                            const std::string& source, const std::string& dataPath,
                            const std::vector<CellEdit>& edits, double pdTolerance) {
    ScoringCase c;
    c.name = name;
    c.model = modelPath;
    c.source = source;
    c.data = dataPath;
    c.pdTolerance = pdTolerance;
    auto bundle = loadBundle(modelPath);
    if (!bundle) {
        QTest::qFail(bundle.error().message.c_str(), __FILE__, __LINE__);
        return c;
    }
    c.idColumn = bundle->schema.idColumn() ? bundle->schema.idColumn()->name : "";
    c.scorecard = bundle->model->algorithm() == "scorecard";
    c.reasons = c.scorecard ? 4 : 0;
    writeCsv(source, dataPath, tableColumns(*bundle), edits, c.idColumn, &c.lineToId);
    return c;
}

// The engine's results for a case, from the real cwb score.
inline EngineOutput scoreWithEngine(const ScoringCase& c, const QTemporaryDir& dir) {
    const std::string scores = dir.filePath(c.name + ".scores.csv").toStdString();
    const std::string rejects = dir.filePath(c.name + ".rejects.csv").toStdString();
    QFile::remove(QString::fromStdString(rejects));
    const CliRun run = runCli(
        {"score", "--quiet", "--model", QString::fromStdString(c.model), "--in",
         QString::fromStdString(c.data), "--out", QString::fromStdString(scores), "--rejects",
         QString::fromStdString(rejects), "--reasons", QString::number(c.reasons)});
    if (run.exitCode != 0) {
        QTest::qFail(run.err.constData(), __FILE__, __LINE__);
        return {};
    }
    return readEngineOutput(scores, rejects, c.idColumn, c.reasons);
}

// The statement from the real cwb export-sql (empty on failure, which fails the test).
inline std::string exportSql(const ScoringCase& c, const QString& dialect, const QString& table) {
    const CliRun run = runCli({"export-sql", "--quiet", "--model", QString::fromStdString(c.model),
                               "--dialect", dialect, "--table", table});
    if (run.exitCode != 0) {
        QTest::qFail(run.err.constData(), __FILE__, __LINE__);
        return {};
    }
    return run.out.toStdString();
}

// The engine's unrounded points from its pd, for telling rounding ties from real differences.
inline auto pointsFromPd(const std::string& modelPath) {
    auto bundle = loadBundle(modelPath);
    const ScoreScaling scaling = bundle ? bundle->scaling : ScoreScaling{};
    return [scaling](double pd) { return scaling.pointsFromPd(pd); };
}

// The models and their scoring files, trained and written into dir: the shipped German
// scorecard; a scorecard, an XGBoost model and a random forest trained on German data with
// missing values (so missing bins and default branches are used); an XGBoost model on the
// Taiwan data.
inline std::vector<ScoringCase> prepareCases(const QTemporaryDir& dir, bool withNaN) {
    std::vector<ScoringCase> cases;
    const std::string german = sourcePath("sample_data/german_credit.csv");
    const std::string holey = dir.filePath("german_holey.csv").toStdString();
    // Every 9th row misses savings (categorical) and credit_amount (numeric).
    {
        auto reader = CsvReader::open(german);
        if (!reader) return cases;
        writeCsv(german, holey, (*reader)->header(), {}, "applicant_id", nullptr,
                 {"savings", "credit_amount"}, 9);
    }
    const QStringList germanArgs{"--data",      QString::fromStdString(holey),
                                 "--target",    "class",
                                 "--bad",       "2",
                                 "--id",        "applicant_id",
                                 "--protected", "personal_status_sex,age_years,foreign_worker"};
    const QString germanXgb = dir.filePath("german_xgb.cwbm");
    const QString germanCard = dir.filePath("german_card.cwbm");
    const QString germanForest = dir.filePath("german_forest.cwbm");
    trainModel(germanArgs + QStringList{"--algorithm", "xgboost", "--out", germanXgb});
    trainModel(germanArgs + QStringList{"--algorithm", "scorecard", "--out", germanCard});
    trainModel(germanArgs + QStringList{"--algorithm", "forest", "--out", germanForest});
    const std::string taiwan = sharedPath("data/taiwan/UCI_Credit_Card.csv");
    const QString taiwanXgb = dir.filePath("taiwan_xgb.cwbm");
    trainModel({"--data", QString::fromStdString(taiwan), "--target", "Y", "--id", "ID",
                "--algorithm", "xgboost", "--out", taiwanXgb});
    if (QTest::currentTestFailed()) return cases;

    const auto edits = germanEdits(withNaN);
    const auto path = [&](const char* name) { return dir.filePath(name).toStdString(); };
    cases.push_back(makeCase("german_shipped", sourcePath("models/german_credit.cwbm"), german,
                             path("german_shipped.csv"), edits, 1e-9));
    cases.push_back(makeCase("german_scorecard_missing", germanCard.toStdString(), holey,
                             path("german_card.csv"), edits, 1e-9));
    cases.push_back(makeCase("german_xgboost", germanXgb.toStdString(), holey,
                             path("german_xgb.csv"), edits, 1e-6));
    cases.push_back(makeCase("german_forest", germanForest.toStdString(), holey,
                             path("german_forest.csv"), edits, 1e-6));
    cases.push_back(makeCase("taiwan_xgboost", taiwanXgb.toStdString(), taiwan,
                             path("taiwan_xgb.csv"),
                             {{5, "X1", ""}, {9, "X12", "1e39"}, {13, "X5", "-1e40"}}, 1e-6));
    return cases;
}

// Column names and levels a bundle may carry that would break naively quoted SQL.
inline const std::string kHostileNumber = "x\"; DROP TABLE sentinel; --";
inline const std::string kHostileLevels = "we`ird'; DROP TABLE sentinel; --";
inline const std::vector<std::string> kHostileLevelValues{"it's", "back\\slash", "\"dq\" `bq`",
                                                          "semi;colon", "\xC3\xBCn\xC3\xAF"};

// 600 applicants whose risk rises with the hostile numeric column and depends on the level:
// a training file for models with hostile names (deterministic, no randomness library).
inline std::string writeHostileData(const QTemporaryDir& dir) {
    std::string text = "id,";
    text::appendCsvField(text, kHostileNumber);
    text += ',';
    text::appendCsvField(text, kHostileLevels);
    text += ",amount,bad\n";
    std::uint32_t state = 12345;
    const auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return static_cast<double>(state >> 8) / static_cast<double>(1u << 24);
    };
    for (int i = 0; i < 600; ++i) {
        const double x = std::floor(next() * 1000.0) / 10.0;
        const std::size_t level = static_cast<std::size_t>(next() * 5.0) % 5;
        const double amount = std::floor(next() * 5000.0);
        const double risk = -2.5 + 0.04 * x + 0.6 * static_cast<double>(level) - amount / 10000.0;
        const bool bad = next() < 1.0 / (1.0 + std::exp(-risk));
        text += "H" + std::to_string(1000 + i) + ",";
        text += std::to_string(x) + ",";
        text::appendCsvField(text, kHostileLevelValues[level]);
        text += "," + std::to_string(amount) + "," + (bad ? "1" : "0") + "\n";
    }
    const std::string path = dir.filePath("hostile.csv").toStdString();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// A model with hostile names trained with `algorithm`, and a scoring file with rows rejected
// for an unseen level holding quotes and for a missing number.
inline ScoringCase prepareHostileCase(const QTemporaryDir& dir, const QString& algorithm) {
    const std::string data = writeHostileData(dir);
    const QString model = dir.filePath("hostile_" + algorithm + ".cwbm");
    trainModel({"--data", QString::fromStdString(data), "--target", "bad", "--id", "id",
                "--algorithm", algorithm, "--out", model});
    if (QTest::currentTestFailed()) return {};
    return makeCase(
        "hostile_" + algorithm, model.toStdString(), data,
        dir.filePath("hostile_" + algorithm + "_scoring.csv").toStdString(),
        {{4, kHostileLevels, "o'hare \\'; DROP TABLE sentinel; --"}, {8, kHostileNumber, ""}},
        algorithm == "scorecard" ? 1e-9 : 1e-6);
}

}  // namespace cwb::test
