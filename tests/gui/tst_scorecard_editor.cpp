// The scorecard editor driven as an analyst would: train a scorecard in the training view,
// open it in the editor, merge two bins, see points, IV and AUC change, save, and find in the
// saved bundle exactly the points the editor showed. Also undo, split and refused edits.

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "../common/TestPaths.h"
#include "model/Scorecard.h"
#include "scoring/ModelBundle.h"
#include "ui/scorecard/BinTableModel.h"
#include "ui/scorecard/ScorecardEditor.h"
#include "ui/shell/MainWindow.h"
#include "ui/training/TrainingView.h"

using namespace cwb;
using namespace cwb::ui;

namespace {

const QString kGerman = cwb::test::sourceFile(QStringLiteral("sample_data/german_credit.csv"));
const QString kFeature = QStringLiteral("duration_months");

struct Shown {
    std::vector<double> points;
    QStringList texts;
};

Shown shownPoints(BinTableModel* model) {
    Shown s;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex index = model->index(r, BinTableModel::Points);
        s.points.push_back(index.data(BinTableModel::ValueRole).toDouble());
        s.texts << index.data().toString();
    }
    return s;
}

// Trains a scorecard on the German sample in the training view and opens it in the editor.
bool openTrainedScorecard(MainWindow& window) {
    TrainingView* view = window.trainingView();
    QSignalSpy preview(view, &TrainingView::previewReady);
    view->setDataFile(kGerman);
    if (!preview.wait(30000)) return false;
    preview.clear();
    view->setTarget("class", "2");
    if (!preview.wait(30000) || !preview.first().first().toBool()) return false;
    view->setAlgorithm(Algorithm::Scorecard);
    view->setFolds(3);
    QSignalSpy done(view, &TrainingView::trainingFinished);
    if (!view->train() || !done.wait(240000) || !done.first().first().toBool()) return false;
    QSignalSpy ready(window.scorecardEditor(), &ScorecardEditor::ready);
    auto* edit = window.findChild<QPushButton*>("editScorecard");
    if (!edit || !edit->isEnabled()) return false;
    edit->click();
    return ready.wait(30000) && ready.first().first().toBool() &&
           window.currentView() == window.scorecardEditor();
}

bool waitEdit(ScorecardEditor* editor, const std::function<bool()>& action, QString* message) {
    QSignalSpy edited(editor, &ScorecardEditor::edited);
    if (!action() || !edited.wait(30000)) return false;
    if (message) *message = edited.first().at(1).toString();
    return edited.first().first().toBool();
}

}  // namespace

class TestScorecardEditor : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void mergedBinsAreSavedAsShown() {
        MainWindow window;
        QVERIFY(openTrainedScorecard(window));
        ScorecardEditor* editor = window.scorecardEditor();
        BinTableModel* bins = editor->binModel();
        QAbstractItemModelTester tester(bins,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        editor->selectCharacteristic(kFeature);
        QCOMPARE(editor->currentCharacteristic(), kFeature);
        const int before = bins->rowCount();
        QVERIFY(before >= 3);
        const Shown trained = shownPoints(bins);
        const double trainedAuc = editor->state()->developmentAuc;
        const auto j = static_cast<std::size_t>(bins->feature());
        QVERIFY(editor->state()->model->coefficients()[j] != 0.0);
        const double trainedIv = editor->state()->model->bins()[j].informationValue;

        // Select the first two bins and merge them, as with the mouse and Ctrl+M.
        auto* table = window.findChild<QTableView*>("binTable");
        table->selectionModel()->select(
            QItemSelection(bins->index(0, 0), bins->index(1, BinTableModel::ColumnCount - 1)),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QVERIFY(waitEdit(
            editor, [&] { return editor->mergeSelected(); }, nullptr));
        QCOMPARE(bins->rowCount(), before - 1);
        const Shown merged = shownPoints(bins);
        // The merged bin's count is the sum of the two.
        const auto& trainedBins = editor->trainedState()->model->bins()[j].bins;
        QCOMPARE(bins->index(0, BinTableModel::Count).data(BinTableModel::ValueRole).toDouble(),
                 trainedBins[0].goods + trainedBins[0].bads + trainedBins[1].goods +
                     trainedBins[1].bads);
        QVERIFY(merged.points[0] != trained.points[0] && merged.points[0] != trained.points[1]);
        QVERIFY(editor->state()->developmentAuc != trainedAuc);
        QVERIFY(editor->state()->model->bins()[j].informationValue < trainedIv);
        QVERIFY(editor->summaryText().contains("1 edit"));

        // Saved and read back by the engine: the points are the ones shown.
        QTemporaryDir dir;
        const QString path = dir.filePath("edited.cwbm");
        QSignalSpy saved(editor, &ScorecardEditor::saved);
        QVERIFY(editor->saveModel(path));
        QVERIFY(saved.wait(30000));
        QVERIFY2(saved.first().first().toBool(), qPrintable(saved.first().at(2).toString()));
        auto bundle = loadBundle(path.toStdString());
        QVERIFY2(bundle, bundle ? "" : bundle.error().message.c_str());
        const auto* scorecard = dynamic_cast<const ScorecardModel*>(bundle->model.get());
        QVERIFY(scorecard);
        const auto points =
            scorecard->binPoints(bundle->scaling.offset(), bundle->scaling.factor());
        QCOMPARE(points[j], merged.points);
        QStringList savedTexts;
        for (double p : points[j])
            savedTexts << BinTableModel::pointsText(p);
        QCOMPARE(savedTexts, merged.texts);
        QVERIFY(points[j] != trained.points);
        QCOMPARE(bundle->metrics["development"]["auc"].get<double>(),
                 editor->state()->developmentAuc);
        QCOMPARE(bundle->training["scorecard_edits"].size(), std::size_t{1});
        // A score from the saved bundle uses the edited bins: the merged bin's WoE.
        QCOMPARE(scorecard->bins()[j].bins.size(), static_cast<std::size_t>(before - 1));
    }

    void undoSplitAndRefusedEdits() {
        MainWindow window;
        QVERIFY(openTrainedScorecard(window));
        ScorecardEditor* editor = window.scorecardEditor();
        BinTableModel* bins = editor->binModel();
        editor->selectCharacteristic(kFeature);
        const int before = bins->rowCount();
        const Shown trained = shownPoints(bins);

        QVERIFY(waitEdit(
            editor, [&] { return editor->mergeBins(0, 1); }, nullptr));
        editor->undo();
        QCOMPARE(bins->rowCount(), before);
        QCOMPARE(shownPoints(bins).points, trained.points);
        editor->redo();
        QCOMPARE(bins->rowCount(), before - 1);
        editor->reset();
        QCOMPARE(bins->rowCount(), before);

        // Split the first bin (up to its upper edge) in the middle of its values.
        const Bin* first = bins->bin(0);
        QVERIFY(first && std::isinf(first->lower));
        const double cut = first->upper - 1.0;
        QVERIFY(waitEdit(
            editor, [&] { return editor->splitBinAt(0, cut); }, nullptr));
        QCOMPARE(bins->rowCount(), before + 1);
        QCOMPARE(bins->bin(1)->lower, cut);

        // Numeric bins that are not neighbours are refused; the scorecard stays as it was.
        const Shown current = shownPoints(bins);
        QString message;
        QVERIFY(!waitEdit(
            editor, [&] { return editor->mergeBins(0, 2); }, &message));
        QVERIFY2(message.contains("neighbouring"), qPrintable(message));
        QVERIFY(editor->statusText().contains("neighbouring"));
        QCOMPARE(shownPoints(bins).points, current.points);

        // A categorical characteristic: move a level out of a bin with several.
        editor->selectCharacteristic("purpose");
        int several = -1;
        for (int r = 0; r < bins->rowCount() && several < 0; ++r)
            if (bins->bin(r)->levels.size() >= 2) several = r;
        QVERIFY(several >= 0);
        const int rows = bins->rowCount();
        const int level = bins->bin(several)->levels.front();
        QVERIFY(waitEdit(
            editor, [&] { return editor->splitOffLevel(several, level); }, nullptr));
        QCOMPARE(bins->rowCount(), rows + 1);
        // Bins show the level texts, not codes.
        QVERIFY(!bins->index(several + 1, BinTableModel::Label).data().toString().at(0).isDigit());
    }

    void editsTheActiveScorecardWithItsTrainingFile() {
        const QString shipped = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
        auto loaded = loadBundle(shipped.toStdString());
        QVERIFY(loaded);
        if (loaded->model->algorithm() != "scorecard") QSKIP("the shipped model is no scorecard");
        const auto bundle = std::make_shared<const ModelBundle>(std::move(loaded.value()));
        MainWindow window;
        QVERIFY(window.openModel(shipped, true));
        ScorecardEditor* editor = window.scorecardEditor();
        QVERIFY(window.findChild<QPushButton*>("editActiveModel")->isEnabled());

        // Bins are never recounted on another sample.
        QSignalSpy refused(editor, &ScorecardEditor::ready);
        editor->setSourceFromFile(
            bundle, cwb::test::sourceFile(QStringLiteral("sample_data/batch_german.csv")));
        QVERIFY(refused.wait(30000));
        QVERIFY(!refused.first().first().toBool());
        QVERIFY2(refused.first().at(1).toString().contains("SHA-256"),
                 qPrintable(refused.first().at(1).toString()));
        QVERIFY(!editor->state());

        QSignalSpy ready(editor, &ScorecardEditor::ready);
        editor->setSourceFromFile(bundle, kGerman);
        QVERIFY(ready.wait(30000));
        QVERIFY2(ready.first().first().toBool(), qPrintable(ready.first().at(1).toString()));
        QCOMPARE(editor->state()->developmentAuc,
                 bundle->metrics["development"]["auc"].get<double>());
    }
};

QTEST_MAIN(TestScorecardEditor)
#include "tst_scorecard_editor.moc"
