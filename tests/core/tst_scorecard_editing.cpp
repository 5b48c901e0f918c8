// Hand edits of scorecard bins: merge and split recompute counts, WoE, IV, the refitted points
// and the development AUC. The small data set below is worked out by hand:
//
//   x:     1 2 3 | 4 5 6 7 | 8 9 10 11 12        bins [-inf,4) [4,8) [8,inf)
//   bad:   1 1 0 | 1 0 0 0 | 1 0  0  0  0        goods 1 3 4, bads 2 1 1 (G = 8, B = 4)
//
// WoE = ln(%good / %bad) (decision 5). Merging bins 2 and 3 gives goods 7, bads 2:
// WoE ln(1.75) and ln(0.25), IV = 0.375 ln 1.75 + 0.375 ln 4. With one characteristic and two
// bins the logistic regression is saturated, so (without a penalty) it reproduces each bin's
// log-odds exactly: coefficient -1, intercept ln(B/G), and each bin's points are
// offset + factor * ln(goods/bads) of that bin.
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

#include "TestSupport.h"
#include "data/Table.h"
#include "features/BinEditing.h"
#include "model/ScorecardEditing.h"
#include "pipeline/ScorecardRevision.h"
#include "pipeline/TrainPipeline.h"
#include "pipeline/TrainingSetup.h"

using namespace cwb;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

EncodedData handData() {
    EncodedData d;
    d.featureNames = {"x", "grade"};
    d.categorical = {false, true};
    d.levelCounts = {0, 3};
    d.rows = 12;
    d.cols = 2;
    const int bad[12] = {1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0};
    // grade: a (code 0) for rows 1-4, b (1) for 5-8, c (2) for 9-12.
    for (int r = 0; r < 12; ++r) {
        d.values.push_back(static_cast<float>(r + 1));
        d.values.push_back(static_cast<float>(r / 4));
        d.labels.push_back(static_cast<float>(bad[r]));
    }
    return d;
}

Bin numericBin(double lower, double upper) {
    Bin b;
    b.lower = lower;
    b.upper = upper;
    return b;
}

CharacteristicBins threeBins(const EncodedData& data) {
    CharacteristicBins c;
    c.feature = "x";
    c.bins = {numericBin(-kInf, 4), numericBin(4, 8), numericBin(8, kInf)};
    recomputeStatistics(c, data, 0);
    return c;
}

CharacteristicBins gradeBins(const EncodedData& data) {
    CharacteristicBins c;
    c.feature = "grade";
    c.categorical = true;
    Bin ab, cc;
    ab.levels = {0, 1};
    cc.levels = {2};
    c.bins = {ab, cc};
    recomputeStatistics(c, data, 1);
    return c;
}

const std::vector<std::string> kLevels = {"a", "b", "c"};

std::string germanCsv() {
    return test::sourcePath("sample_data/german_credit.csv");
}

TrainReport trainGermanScorecard() {
    TrainJob job;
    job.dataPath = germanCsv();
    job.target = "class";
    job.badValue = "2";
    job.request.algorithm = Algorithm::Scorecard;
    job.request.folds = 3;
    auto report = runTraining(job, nullptr);
    if (!report) qFatal("training failed: %s", report.error().message.c_str());
    return std::move(report.value());
}

}  // namespace

class ScorecardEditingTest : public QObject {
    Q_OBJECT
private slots:
    void mergeRecomputesWoeAndIvByHand() {
        const EncodedData data = handData();
        const CharacteristicBins before = threeBins(data);
        QCOMPARE(before.bins[1].goods, 3.0);
        QCOMPARE(before.bins[1].bads, 1.0);
        auto merged = mergeBins(before, 1, 2, data, 0);
        QVERIFY2(merged, merged ? "" : merged.error().message.c_str());
        QCOMPARE(merged->bins.size(), std::size_t{2});
        QCOMPARE(merged->bins[1].goods, 7.0);
        QCOMPARE(merged->bins[1].bads, 2.0);
        QCOMPARE(merged->bins[1].lower, 4.0);
        QCOMPARE(merged->bins[1].upper, kInf);
        QCOMPARE(merged->bins[1].label, std::string("[4, +inf)"));
        QVERIFY(std::abs(merged->bins[0].woe - std::log(0.25)) < 1e-12);
        QVERIFY(std::abs(merged->bins[1].woe - std::log(1.75)) < 1e-12);
        const double iv = 0.375 * std::log(1.75) + 0.375 * std::log(4.0);
        QVERIFY(std::abs(merged->informationValue - iv) < 1e-12);
        // The input is untouched.
        QCOMPARE(before.bins.size(), std::size_t{3});
    }

    void splitAtACutPointByHand() {
        const EncodedData data = handData();
        auto merged = mergeBins(threeBins(data), 1, 2, data, 0);
        QVERIFY(merged);
        auto split = splitBinAt(*merged, 1, 8.0, data, 0);
        QVERIFY2(split, split ? "" : split.error().message.c_str());
        QCOMPARE(split->bins.size(), std::size_t{3});
        QCOMPARE(split->bins[1].upper, 8.0);
        QCOMPARE(split->bins[2].lower, 8.0);
        QCOMPARE(split->bins[2].goods, 4.0);
        QCOMPARE(split->bins[2].bads, 1.0);
        QVERIFY(std::abs(split->bins[1].woe - std::log(1.5)) < 1e-12);
        QVERIFY(std::abs(split->bins[2].woe - std::log(2.0)) < 1e-12);
        const double iv = (0.125 - 0.5) * std::log(0.25) + (0.375 - 0.25) * std::log(1.5) +
                          (0.5 - 0.25) * std::log(2.0);
        QVERIFY(std::abs(split->informationValue - iv) < 1e-12);
    }

    void impossibleEditsAreRefusedClearly() {
        const EncodedData data = handData();
        const CharacteristicBins bins = threeBins(data);
        auto apart = mergeBins(bins, 0, 2, data, 0);
        QVERIFY(!apart);
        QVERIFY(QString::fromStdString(apart.error().message).contains("neighbouring"));
        QVERIFY(!mergeBins(bins, 1, 1, data, 0));
        QVERIFY(!mergeBins(bins, 0, 7, data, 0));
        auto outside = splitBinAt(bins, 0, 5.0, data, 0);
        QVERIFY(!outside);
        QVERIFY(QString::fromStdString(outside.error().message).contains("inside"));
        auto empty = splitBinAt(bins, 2, 100.0, data, 0);
        QVERIFY(!empty);
        QVERIFY(QString::fromStdString(empty.error().message).contains("without development"));
        QVERIFY(!splitOffLevel(bins, 0, 0, data, 0));  // numeric
        // The wrong data column is caught, not silently counted.
        QVERIFY(!mergeBins(bins, 0, 1, data, 1));

        CharacteristicBins withMissing = bins;
        Bin missing;
        missing.missing = true;
        withMissing.bins.push_back(missing);
        auto mergedMissing = mergeBins(withMissing, 2, 3, data, 0);
        QVERIFY(!mergedMissing);
        QVERIFY(QString::fromStdString(mergedMissing.error().message).contains("missing bin"));
    }

    void categoricalLevelsMoveAndJoin() {
        const EncodedData data = handData();
        const CharacteristicBins grade = gradeBins(data);
        auto split = splitOffLevel(grade, 0, 1, data, 1, kLevels);
        QVERIFY2(split, split ? "" : split.error().message.c_str());
        QCOMPARE(split->bins.size(), std::size_t{3});
        QCOMPARE(split->bins[0].label, std::string("a"));
        QCOMPARE(split->bins[1].label, std::string("b"));
        // grade a: rows 1-4 (3 bads, 1 good); b: rows 5-8 (1 bad, 3 goods).
        QCOMPARE(split->bins[0].bads, 3.0);
        QCOMPARE(split->bins[1].goods, 3.0);
        QVERIFY(std::abs(split->bins[0].woe - std::log((1.0 / 8) / (3.0 / 4))) < 1e-12);
        // Categorical bins need not be neighbours to merge.
        auto joined = mergeBins(*split, 0, 2, data, 1, kLevels);
        QVERIFY(joined);
        QCOMPARE(joined->bins[0].label, std::string("a, c"));
        QCOMPARE(joined->bins[0].goods, 5.0);
        QCOMPARE(joined->bins[0].bads, 3.0);
        QVERIFY(!splitOffLevel(*split, 1, 1, data, 1, kLevels));  // a single level
        QVERIFY(!splitOffLevel(grade, 1, 0, data, 1, kLevels));   // level not in the bin
        QVERIFY(!splitBinAt(grade, 0, 0.5, data, 1));             // categorical
    }

    void refitPointsAndAucByHand() {
        // Only x, so the two-bin fit is saturated (see the top of this file).
        auto full = handData();
        EncodedData data;
        data.featureNames = {"x"};
        data.categorical = {false};
        data.levelCounts = {0};
        data.rows = full.rows;
        data.cols = 1;
        data.labels = full.labels;
        for (std::size_t r = 0; r < full.rows; ++r)
            data.values.push_back(full.at(r, 0));
        auto trained =
            std::make_shared<ScorecardModel>(std::vector{threeBins(data)}, std::vector{-0.8}, 0.1);
        ScorecardSettings settings;
        settings.ridge = 0.0;
        trained->setSettings(settings);
        const double factor = 20.0 / std::log(2.0);
        const double offset = 600.0 - factor * std::log(50.0);
        auto editor = ScorecardEditSession::create(
            trained, std::make_shared<const EncodedData>(data), {}, offset, factor);
        QVERIFY(editor);
        // Three bins, negative coefficient: bads 2/1/1 against goods 1/3/4 in falling risk.
        QCOMPARE(editor->initial().developmentAuc, 22.5 / 32.0);
        QVERIFY(editor->initial().edits.empty());

        auto merged = editor->apply(editor->initial(), ScorecardEdit::merge("x", 1, 2),
                                    ProgressRange(nullptr, 0, 1));
        QVERIFY2(merged, merged ? "" : merged.error().message.c_str());
        const ScorecardModel& m = *merged->model;
        QVERIFY(std::abs(m.coefficients()[0] - (-1.0)) < 1e-6);
        QVERIFY(std::abs(m.intercept() - std::log(4.0 / 8.0)) < 1e-6);
        QVERIFY(std::abs(merged->points[0][0] - (offset + factor * std::log(1.0 / 2.0))) < 1e-4);
        QVERIFY(std::abs(merged->points[0][1] - (offset + factor * std::log(7.0 / 2.0))) < 1e-4);
        // Bads 2 (risky bin) and 2 (merged bin) against goods 1 and 7; ties count one half.
        QCOMPARE(merged->developmentAuc, 22.0 / 32.0);
        QCOMPARE(merged->edits.size(), std::size_t{1});
        QVERIFY(merged->edits[0].toJson()["edit"] == "merge");
        // The state it came from is unchanged, so undo is going back to it.
        QCOMPARE(editor->initial().model->bins()[0].bins.size(), std::size_t{3});

        auto split = editor->apply(*merged, ScorecardEdit::splitAt("x", 1, 8.0),
                                   ProgressRange(nullptr, 0, 1));
        QVERIFY(split);
        QCOMPARE(split->developmentAuc, 22.5 / 32.0);
        QVERIFY(split->model->coefficients()[0] < 0.0);
        QCOMPARE(split->edits.size(), std::size_t{2});

        auto bad = editor->apply(*merged, ScorecardEdit::merge("nope", 0, 1),
                                 ProgressRange(nullptr, 0, 1));
        QVERIFY(!bad);
    }

    void cancelStopsTheRefit() {
        auto full = handData();
        auto trained = std::make_shared<ScorecardModel>(
            std::vector{threeBins(full), gradeBins(full)}, std::vector{-0.8, -0.5}, 0.1);
        auto editor = ScorecardEditSession::create(
            trained, std::make_shared<const EncodedData>(full), {{}, kLevels}, 500.0, 28.0);
        QVERIFY(editor);
        ProgressToken token;
        token.cancel();
        auto result = editor->apply(editor->initial(), ScorecardEdit::merge("x", 0, 1),
                                    ProgressRange(&token, 0, 1));
        QVERIFY(!result);
        QCOMPARE(result.error().message, std::string("cancelled"));
    }

    void editedBundleSavesWhatTheEditorShows() {
        TrainReport report = trainGermanScorecard();
        QVERIFY(report.development);
        auto editor = editorForBundle(report.bundle, report.development);
        QVERIFY2(editor, editor ? "" : editor.error().message.c_str());
        const ScorecardState& start = editor->initial();
        // Points of the trained model as the bundle scores them.
        const auto* trained = dynamic_cast<const ScorecardModel*>(report.bundle.model.get());
        QVERIFY(trained);
        QCOMPARE(start.points, trained->binPoints(report.bundle.scaling.offset(),
                                                  report.bundle.scaling.factor()));
        QCOMPARE(start.developmentAuc, report.bundle.metrics["development"]["auc"].get<double>());

        const int j = editor->featureIndex("duration_months");
        QVERIFY(j >= 0);
        QVERIFY(trained->bins()[static_cast<std::size_t>(j)].bins.size() >= 3);
        auto edited = editor->apply(start, ScorecardEdit::merge("duration_months", 0, 1),
                                    ProgressRange(nullptr, 0, 1));
        QVERIFY2(edited, edited ? "" : edited.error().message.c_str());
        QVERIFY(edited->points != start.points);

        const ModelBundle bundle = bundleWithScorecard(report.bundle, *edited, *report.development);
        QTemporaryDir dir;
        const std::string path = dir.filePath("edited.cwbm").toStdString();
        QVERIFY(saveBundle(bundle, path));
        auto loaded = loadBundle(path);
        QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
        const auto* reloaded = dynamic_cast<const ScorecardModel*>(loaded->model.get());
        QVERIFY(reloaded);
        QCOMPARE(reloaded->binPoints(loaded->scaling.offset(), loaded->scaling.factor()),
                 edited->points);
        QCOMPARE(loaded->metrics["development"]["auc"].get<double>(), edited->developmentAuc);
        QCOMPARE(loaded->training["scorecard_edits"].size(), std::size_t{1});

        // The development data can be found again from the training file, and only from it.
        auto again = loadDevelopmentData(*loaded, germanCsv());
        QVERIFY2(again, again ? "" : again.error().message.c_str());
        QCOMPARE((*again)->values, report.development->values);
        auto other = loadDevelopmentData(*loaded, test::sourcePath("sample_data/batch_german.csv"));
        QVERIFY(!other);
        QVERIFY(QString::fromStdString(other.error().message).contains("SHA-256"));
    }

    void choicesChangeTheSchema() {
        auto table = readTable(germanCsv());
        QVERIFY(table);
        TrainingChoices choices;
        choices.target = "class";
        choices.badValue = "2";
        choices.types["installment_rate"] = ColumnType::Categorical;
        choices.roles["age_years"] = ColumnRole::Protected;
        auto schema = schemaWithChoices(*table, choices);
        QVERIFY2(schema, schema ? "" : schema.error().message.c_str());
        const ColumnSpec* rate = schema->find("installment_rate");
        QVERIFY(rate->type == ColumnType::Categorical);
        QCOMPARE(rate->levels, (std::vector<std::string>{"1", "2", "3", "4"}));
        QVERIFY(schema->find("age_years")->role == ColumnRole::Protected);
        QVERIFY(schema->find("applicant_id")->role == ColumnRole::Id);

        TrainingChoices notNumbers = choices;
        notNumbers.types["purpose"] = ColumnType::Numeric;
        auto refused = schemaWithChoices(*table, notNumbers);
        QVERIFY(!refused);
        QVERIFY(QString::fromStdString(refused.error().message).contains("purpose"));

        TrainingChoices idAsFeature = choices;
        idAsFeature.roles["applicant_id"] = ColumnRole::Feature;
        QVERIFY(!schemaWithChoices(*table, idAsFeature));

        auto preview = previewTraining(*table, choices, nullptr);
        QVERIFY(preview);
        QCOMPARE(preview->rowsUsed, std::size_t{1000});
        QVERIFY(preview->informationValue.at("checking_status") > 0.3);
        QVERIFY(!preview->informationValue.count("age_years"));
    }

    void shownSchemaTrainsLikeTheCommandLine() {
        // The GUI trains with the schema it shows; unchanged, that equals cwb train's inference.
        auto table = readTable(germanCsv());
        QVERIFY(table);
        TrainingChoices choices;
        choices.target = "class";
        choices.badValue = "2";
        auto schema = schemaWithChoices(*table, choices);
        QVERIFY(schema);
        TrainJob job;
        job.dataPath = germanCsv();
        job.target = "class";
        job.badValue = "2";
        job.request.algorithm = Algorithm::Scorecard;
        job.request.folds = 3;
        auto inferred = runTraining(job, nullptr);
        job.schema = *schema;
        auto shown = runTraining(job, nullptr);
        QVERIFY(inferred && shown);
        QCOMPARE(shown->candidates[0].foldAuc, inferred->candidates[0].foldAuc);
        QCOMPARE(shown->bundle.model->serialize(), inferred->bundle.model->serialize());
    }
};

QTEST_GUILESS_MAIN(ScorecardEditingTest)
#include "tst_scorecard_editing.moc"
