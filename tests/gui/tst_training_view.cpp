// The training view driven as an analyst would: pick the German credit sample, set the target,
// change types and roles, train with the same settings as `cwb train` and get the same
// cross-validated AUC, cancel a run, save the bundle. Also checks the view's keyboard access.

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "../common/GuiTestSupport.h"
#include "model/AutoSearch.h"
#include "scoring/ModelBundle.h"
#include "ui/scorecard/ScorecardEditor.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/ModelHeader.h"
#include "ui/training/SchemaTableModel.h"
#include "ui/training/SearchTable.h"
#include "ui/training/TrainingView.h"

using namespace cwb;
using namespace cwb::ui;

namespace {

const QString kGerman = cwb::test::sourceFile(QStringLiteral("sample_data/german_credit.csv"));

bool waitPreview(TrainingView* view, const std::function<void()>& action) {
    QSignalSpy ready(view, &TrainingView::previewReady);
    action();
    return ready.wait(30000) && ready.first().first().toBool();
}

// Waits for previewReady whatever its outcome.
bool waitAnyPreview(TrainingView* view, const std::function<void()>& action) {
    QSignalSpy ready(view, &TrainingView::previewReady);
    action();
    return ready.wait(30000);
}

// Loads the German sample with target class, bad 2 (chosen: its values 1 and 2 are ambiguous).
bool loadGerman(TrainingView* view) {
    return waitAnyPreview(view, [&] { view->setDataFile(kGerman); }) &&
           waitPreview(view, [&] { view->setTarget("class", "2"); });
}

// The candidates table row of an algorithm, or -1.
int candidateRow(QTableWidget* table, const std::string& algorithm) {
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->data(Qt::UserRole).toString().toStdString() == algorithm) return r;
    return -1;
}

using test::mnemonicOf;

}  // namespace

class TestTrainingView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void previewShowsSchemaIvAndDiagnostics() {
        MainWindow window;
        TrainingView* view = window.trainingView();
        QAbstractItemModelTester tester(view->schemaModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Issue 17: the target is guessed from its name, but its values 1 and 2 do not say
        // which is bad (German: 2). No silent default: the analyst is asked, nothing trains.
        QVERIFY(!waitPreview(view, [&] { view->setDataFile(kGerman); }));
        QVERIFY(!view->preview());
        QVERIFY2(view->statusText().contains("means bad") && view->statusText().contains("1") &&
                     view->statusText().contains("2"),
                 qPrintable(view->statusText()));
        auto* bad = window.findChild<QLineEdit*>("badValue");
        QVERIFY(bad);
        QVERIFY(bad->text().isEmpty());
        QVERIFY(!view->train());
        QVERIFY(waitPreview(view, [&] { view->setTarget("class", "2"); }));
        QCOMPARE(view->preview()->schema.target, std::string("class"));
        QCOMPARE(view->preview()->schema.badValue, std::string("2"));
        // Attributes that look protected get that role as a suggestion, and it is said.
        for (const char* column : {"personal_status_sex", "age_years", "foreign_worker"})
            QVERIFY2(view->preview()->schema.find(column)->role == ColumnRole::Protected, column);
        QVERIFY(view->preview()->schema.find("telephone")->role == ColumnRole::Feature);
        QVERIFY(view->preview()->schema.find("housing")->role == ColumnRole::Feature);
        const TrainingPreview& p = *view->preview();
        QCOMPARE(p.rowsUsed, std::size_t{1000});
        SchemaTableModel* model = view->schemaModel();
        QCOMPARE(model->rowCount(), 22);
        const int checking = model->rowOf("checking_status");
        QCOMPARE(model->index(checking, SchemaTableModel::Type).data().toString(),
                 QString("categorical"));
        const double iv = model->index(checking, SchemaTableModel::Iv)
                              .data(SchemaTableModel::ValueRole)
                              .toDouble();
        QCOMPARE(iv, p.informationValue.at("checking_status"));
        QVERIFY(iv > 0.3);
        const int id = model->rowOf("applicant_id");
        QCOMPARE(model->index(id, SchemaTableModel::Role).data().toString(), QString("id"));
        // The diagnostics name the ID-like column.
        auto* diagnostics = window.findChild<QListWidget*>("diagnostics");
        QVERIFY(diagnostics->count() >= 1);
    }

    void rolesAndTypesCanBeChanged() {
        MainWindow window;
        TrainingView* view = window.trainingView();
        QVERIFY(loadGerman(view));
        SchemaTableModel* model = view->schemaModel();
        // As the combo box delegate does it: set the cell's text.
        const int rate = model->rowOf("installment_rate");
        QVERIFY(waitPreview(view, [&] {
            QVERIFY(model->setData(model->index(rate, SchemaTableModel::Type), "categorical"));
        }));
        QVERIFY(view->preview()->schema.find("installment_rate")->type == ColumnType::Categorical);
        // age_years starts protected (suggested); the analyst can overrule and restore that.
        const int age = model->rowOf("age_years");
        QVERIFY(waitPreview(view, [&] {
            QVERIFY(model->setData(model->index(age, SchemaTableModel::Role), "feature"));
        }));
        QVERIFY(view->preview()->schema.find("age_years")->role == ColumnRole::Feature);
        QVERIFY(view->preview()->informationValue.count("age_years"));
        QVERIFY(waitPreview(view, [&] {
            QVERIFY(model->setData(model->index(age, SchemaTableModel::Role), "protected"));
        }));
        QVERIFY(view->preview()->schema.find("age_years")->role == ColumnRole::Protected);
        QVERIFY(!view->preview()->informationValue.count("age_years"));
        // The target is not edited in the table.
        const int target = model->rowOf("class");
        QVERIFY(!(model->flags(model->index(target, SchemaTableModel::Role)) & Qt::ItemIsEditable));
        // A choice that cannot hold is refused with a message, and nothing can be trained.
        QSignalSpy ready(view, &TrainingView::previewReady);
        view->setColumnType("purpose", ColumnType::Numeric);
        QVERIFY(ready.wait(30000));
        QVERIFY(!ready.first().first().toBool());
        QVERIFY(view->statusText().contains("purpose"));
        QVERIFY(!view->train());
        // A bad value that never occurs is named.
        QVERIFY(!waitPreview(view, [&] { view->setTarget("class", "7"); }));
        QVERIFY(view->statusText().contains("'7'"));
    }

    // A 0/1 target needs no question: 1 is bad.
    void plainBadValueIsSuggested() {
        MainWindow window;
        TrainingView* view = window.trainingView();
        QTemporaryDir dir;
        QFile file(dir.filePath("plain.csv"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("amount,gender,default\n");
        for (int i = 0; i < 60; ++i)
            file.write(QByteArray::number(100 + i * 7) + (i % 2 ? ",F," : ",M,") +
                       (i % 3 == 0 ? "1" : "0") + "\n");
        file.close();
        QVERIFY(waitPreview(view, [&] { view->setDataFile(file.fileName()); }));
        QCOMPARE(view->preview()->schema.target, std::string("default"));
        QCOMPARE(view->preview()->schema.badValue, std::string("1"));
        QVERIFY(view->preview()->schema.find("gender")->role == ColumnRole::Protected);
        QCOMPARE(view->suggestedProtected(), std::vector<std::string>{"gender"});
    }

    void unusableFilesAreRefusedClearly() {
        MainWindow window;
        TrainingView* view = window.trainingView();
        QTemporaryDir dir;
        const QString missing = dir.filePath("nowhere.csv");
        QVERIFY(!waitPreview(view, [&] { view->setDataFile(missing); }));
        QVERIFY2(view->statusText().contains("nowhere.csv"), qPrintable(view->statusText()));
        QVERIFY(!view->train());
        // One class only: nothing to learn, and the message says which value was expected.
        QFile one(dir.filePath("one_class.csv"));
        QVERIFY(one.open(QIODevice::WriteOnly));
        one.write("amount,class\n1,1\n2,1\n3,1\n");
        one.close();
        QVERIFY(!waitPreview(view, [&] { view->setDataFile(one.fileName()); }));
        QVERIFY2(view->statusText().contains("class"), qPrintable(view->statusText()));
        QVERIFY(!view->train());
    }

    void trainsTheSameCvAucAsTheCommandLine() {
        QTemporaryDir dir;
        const QString cliModel = dir.filePath("cli.cwbm");
        const test::CliRun cli =
            test::runCli({"train", "--data", kGerman, "--target", "class", "--bad", "2",
                          "--algorithm", "auto", "--cv", "5", "--seed", "42", "--protected",
                          "personal_status_sex,age_years,foreign_worker", "--out", cliModel,
                          "--json", "--quiet"});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const nlohmann::json expected = cli.json();
        QVERIFY(expected.contains("cv_auc"));

        MainWindow window;
        TrainingView* view = window.trainingView();
        QVERIFY(loadGerman(view));
        view->setAlgorithm(Algorithm::Auto);
        view->setFolds(5);
        view->setSeed(42);
        QSignalSpy done(view, &TrainingView::trainingFinished);
        QVERIFY(view->train());
        QVERIFY(view->isRunning());
        QVERIFY(done.wait(240000));
        QVERIFY2(done.first().first().toBool(), qPrintable(done.first().at(2).toString()));

        // What the table shows, side by side, for every candidate.
        QTableWidget* table = view->candidatesTable();
        QCOMPARE(table->rowCount(), static_cast<int>(expected["candidates"].size()));
        for (const auto& c : expected["candidates"]) {
            const int row = candidateRow(table, c["algorithm"].get<std::string>());
            QVERIFY(row >= 0);
            const double shown = table->item(row, 1)->data(Qt::UserRole).toDouble();
            QCOMPARE(shown, c["cv_auc"].get<double>());
            QCOMPARE(table->item(row, 1)->text(),
                     QString::number(c["cv_auc"].get<double>(), 'f', 4));
        }
        const std::string chosen = expected["algorithm"].get<std::string>();
        QCOMPARE(view->report()->bundle.model->algorithm(), chosen);
        const int chosenRow = candidateRow(table, chosen);
        QVERIFY(table->item(chosenRow, 0)->text().contains("chosen"));
        // The result of auto is the nested search's own row, measured on folds it never chose on.
        const int autoRow = candidateRow(table, "auto");
        QVERIFY(autoRow >= 0);
        QVERIFY(table->item(autoRow, 0)->text().contains("nested search"));
        const double guiAuc = table->item(autoRow, 1)->data(Qt::UserRole).toDouble();
        qInfo("cross-validated AUC: GUI %.17g, cwb %.17g (auto, final model %s)", guiAuc,
              expected["cv_auc"].get<double>(), chosen.c_str());
        QCOMPARE(guiAuc, expected["cv_auc"].get<double>());

        // What the search tried: every configuration's inner AUC per outer fold and on all
        // rows, the chosen ones marked, as `cwb train --json` reports them.
        const nlohmann::json& search = expected["search"];
        QTableWidget* tried = view->searchTable();
        QVERIFY(tried->isVisibleTo(view));
        const int configs = static_cast<int>(search["configurations"].size());
        QCOMPARE(tried->rowCount(), configs + 2);
        QCOMPARE(tried->columnCount(), 5 + 2);
        for (int c = 0; c < configs; ++c) {
            QVERIFY(tried->item(c, 0)->text().contains(QString::fromStdString(
                search["configurations"][std::size_t(c)]["label"].get<std::string>())));
            for (int f = 0; f < 5; ++f) {
                const auto& fold = search["outer_folds"][std::size_t(f)];
                QCOMPARE(tried->item(c, f + 1)->data(Qt::UserRole).toDouble(),
                         fold["inner_auc"][std::size_t(c)].get<double>());
                QCOMPARE(tried->item(c, f + 1)->font().bold(), fold["chosen"].get<int>() == c + 1);
            }
            QCOMPARE(tried->item(c, 6)->font().bold(),
                     search["final"]["chosen"].get<int>() == c + 1);
        }
        for (int f = 0; f < 5; ++f)
            QCOMPARE(tried->item(configs, f + 1)->data(Qt::UserRole).toDouble(),
                     search["outer_folds"][std::size_t(f)]["test_auc"].get<double>());
        // The derived ratios each scope proposed, by name as cwb lists them (age_years is
        // protected here, so duration and credit amount are the only operands).
        const auto ratioNames = [](const nlohmann::json& scope) {
            QStringList names;
            for (const auto& r : scope["ratios"])
                names << QString::fromStdString(r.get<std::string>());
            return names;
        };
        QVERIFY(tried->item(configs + 1, 0)->text().contains("Derived ratios"));
        for (int f = 0; f < 5; ++f)
            QCOMPARE(tried->item(configs + 1, f + 1)->data(Qt::UserRole).toStringList(),
                     ratioNames(search["outer_folds"][std::size_t(f)]));
        QCOMPARE(tried->item(configs + 1, 6)->data(Qt::UserRole).toStringList(),
                 ratioNames(search["final"]));
        QVERIFY(!ratioNames(search["final"]).isEmpty());

        // Saved, it is a bundle the engine loads, with the same figures; it becomes active.
        const QString path = dir.filePath("gui.cwbm");
        QSignalSpy saved(view, &TrainingView::saved);
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        QVERIFY(view->saveModel(path));
        QVERIFY(saved.wait(30000));
        QVERIFY(saved.first().first().toBool());
        auto gui = loadBundle(path.toStdString());
        auto fromCli = loadBundle(cliModel.toStdString());
        QVERIFY(gui && fromCli);
        QCOMPARE(gui->metrics["cross_validation"], fromCli->metrics["cross_validation"]);
        QVERIFY(gui->model->serialize() == fromCli->model->serialize());
        QVERIFY(opened.wait(30000));
        QCOMPARE(window.modelPath(), path);
    }

    void monotoneConstraintsReachTheModel() {
        MainWindow window;
        TrainingView* view = window.trainingView();
        QVERIFY(loadGerman(view));
        SchemaTableModel* model = view->schemaModel();
        const int duration = model->rowOf("duration_months");
        QVERIFY(
            model->setData(model->index(duration, SchemaTableModel::Monotone), "-1 risk falls"));
        QCOMPARE(model->monotoneOverrides().at("duration_months"), -1);
        view->setAlgorithm(Algorithm::Xgboost);
        view->setFolds(2);
        QSignalSpy done(view, &TrainingView::trainingFinished);
        QVERIFY(view->train());
        QVERIFY(done.wait(240000));
        QVERIFY(done.first().first().toBool());
        const auto& bundle = view->report()->bundle;
        const auto names = bundle.schema.featureNames();
        const auto at = std::find(names.begin(), names.end(), "duration_months") - names.begin();
        QCOMPARE(bundle.metrics["monotone"][static_cast<std::size_t>(at)].get<int>(), -1);
    }

    // auto proposes derived ratios unless the box is cleared (cwb train --no-ratios); the box
    // only applies to auto.
    void ratiosCanBeTurnedOff() {
        MainWindow window;
        TrainingView* view = window.trainingView();
        QVERIFY(loadGerman(view));
        auto* ratios = view->findChild<QCheckBox*>("derivedRatios");
        QVERIFY(ratios);
        QVERIFY(ratios->isChecked());
        view->setAlgorithm(Algorithm::Xgboost);
        QVERIFY(!ratios->isEnabled());
        view->setAlgorithm(Algorithm::Auto);
        QVERIFY(ratios->isEnabled());
        ratios->setChecked(false);
        view->setFolds(2);
        QSignalSpy done(view, &TrainingView::trainingFinished);
        QVERIFY(view->train());
        QVERIFY(done.wait(240000));
        QVERIFY2(done.first().first().toBool(), qPrintable(done.first().at(2).toString()));
        const SearchReport* search = view->report()->search.get();
        QVERIFY(search);
        for (const SearchScope& scope : search->outer)
            QVERIFY(scope.ratios.empty());
        QVERIFY(search->final.ratios.empty());
        QVERIFY(!view->report()->bundle.metrics.contains("ratios"));
        QCOMPARE(view->searchTable()->item(view->searchTable()->rowCount() - 1, 1)->text(),
                 QString("none"));
    }

    void cancelKeepsNothing() {
        MainWindow window;
        TrainingView* view = window.trainingView();
        QVERIFY(loadGerman(view));
        view->setAlgorithm(Algorithm::Auto);
        view->setFolds(10);
        QSignalSpy done(view, &TrainingView::trainingFinished);
        QVERIFY(view->train());
        view->cancel();
        QVERIFY(done.wait(240000));
        QCOMPARE(done.first().at(1).toBool(), true);
        QVERIFY(!view->report());
        QVERIFY(view->statusText().contains("cancelled"));
        auto* save = window.findChild<QPushButton*>("saveTrainedModel");
        QVERIFY(!save->isEnabled());
    }

    void everyControlIsKeyboardReachable() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (QWidget* view : {static_cast<QWidget*>(window.trainingView()),
                              static_cast<QWidget*>(window.scorecardEditor())}) {
            window.showView(view);
            QMap<QChar, QString> letters;
            QStringList problems;
            const auto letter = [&](const QString& text) {
                const QChar c = mnemonicOf(text);
                if (c.isNull()) return false;
                if (letters.contains(c))
                    problems << QStringLiteral("Alt+%1: '%2' and '%3'").arg(c, letters[c], text);
                letters[c] = text;
                return true;
            };
            for (QAction* menu : window.menuBar()->actions())
                letter(menu->text());
            for (QWidget* scope : {view, static_cast<QWidget*>(window.modelHeader())}) {
                for (QLabel* l : scope->findChildren<QLabel*>())
                    if (l->isVisibleTo(&window) && l->buddy()) letter(l->text());
                for (QAbstractButton* b : scope->findChildren<QAbstractButton*>()) {
                    if (!b->isVisibleTo(&window) || b->text().isEmpty()) continue;
                    if (!letter(b->text()) && b->shortcut().isEmpty() &&
                        b->focusPolicy() == Qt::NoFocus)
                        problems << QStringLiteral("'%1' has no key").arg(b->text());
                }
            }
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join("; ")));
        }
    }
};

QTEST_MAIN(TestTrainingView)
#include "tst_training_view.moc"
