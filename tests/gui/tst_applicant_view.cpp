// The applicant view driven as a user would: fill the form generated from the shipped model's
// schema, watch the score follow, load an applicant from a file row, clear. The PD must equal
// the one `cwb explain --record` prints for the same applicant.

#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QtTest>

#include "../common/TestPaths.h"
#include "ui/applicant/ApplicantForm.h"
#include "ui/applicant/ApplicantView.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/ModelHeader.h"
#include "ui/widgets/ScorePanel.h"

using namespace cwb;
using namespace cwb::ui;

namespace {

const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kApplicants = cwb::test::sourceFile(QStringLiteral("sample_data/applicants.csv"));

// Applicant N0001 of sample_data/applicants.csv, model characteristics only.
const std::map<QString, QString> kApplicant = {
    {"checking_status", "< 0 DM"},
    {"duration_months", "13"},
    {"credit_history", "critical account / credits elsewhere"},
    {"purpose", "furniture/equipment"},
    {"credit_amount", "1170"},
    {"savings", "< 100 DM"},
    {"employment_since", "1 to < 4 years"},
    {"installment_rate", "2"},
    {"other_debtors", "none"},
    {"residence_since", "3"},
    {"property", "savings agreement / life insurance"},
    {"other_installment_plans", "none"},
    {"housing", "own"},
    {"existing_credits", "2"},
    {"job", "skilled employee / official"},
    {"dependents", "1"},
    {"telephone", "none"},
};

// Types into a line edit or picks a combo entry by keyboard, as a user would.
void enter(ApplicantForm* form, const QString& column, const QString& value) {
    QWidget* editor = form->editor(column);
    QVERIFY2(editor, qPrintable(column));
    if (auto* edit = qobject_cast<QLineEdit*>(editor)) {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Delete);
        QTest::keyClicks(edit, value);
    } else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        const int index = combo->findData(value);
        QVERIFY2(index >= 0, qPrintable(column + ": " + value));
        combo->setFocus();
        // Home, then Down to the entry: the keyboard path through a closed combo box.
        QTest::keyClick(combo, Qt::Key_Home);
        for (int i = combo->currentIndex(); i < index; ++i)
            QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(combo->currentIndex(), index);
    }
}

QJsonObject cliExplain(const QString& recordJson) {
    QProcess cwb;
    cwb.start(cwb::test::cliExecutable(),
              {"explain", "--model", kModel, "--record", recordJson, "--json"});
    if (!cwb.waitForFinished(60000) || cwb.exitCode() != 0) {
        qWarning() << cwb.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(cwb.readAllStandardOutput()).object();
}

}  // namespace

class TestApplicantView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void headerShowsModel() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        const QString header = window.modelHeader()->summaryText();
        QVERIFY2(header.contains("german_credit"), qPrintable(header));
        QVERIFY2(header.contains("scorecard"), qPrintable(header));
        QVERIFY2(header.contains("AUC 0.78"), qPrintable(header));
    }

    void refusesForeignFile() {
        MainWindow window;
        QVERIFY(!window.openModel(kApplicants, true));
        QVERIFY(!window.model());
    }

    void formFollowsSchema() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        ApplicantForm* form = window.applicantView()->form();
        QVERIFY(qobject_cast<QLineEdit*>(form->editor("duration_months")));
        auto* combo = qobject_cast<QComboBox*>(form->editor("checking_status"));
        QVERIFY(combo);
        QCOMPARE(combo->count(), 4);
        // Protected characteristics are not model inputs and must not be asked for.
        QVERIFY(!form->editor("age_years"));
        QVERIFY(!form->editor("personal_status_sex"));
        // Issue 17: the six characteristics the scorecard left out are shown as not used and
        // never asked for.
        const QStringList unused = {"other_debtors", "residence_since", "existing_credits",
                                    "job",           "dependents",      "telephone"};
        for (const QString& column : unused) {
            QVERIFY2(form->editor(column), qPrintable(column));
            QVERIFY2(!form->editor(column)->isEnabled(), qPrintable(column));
            QVERIFY(!form->isUsed(column));
        }
        QVERIFY(form->editor("checking_status")->isEnabled());
        QCOMPARE(form->incompleteFields().size(), 11);
        for (const QString& field : form->incompleteFields())
            QVERIFY2(!field.contains("Telephone", Qt::CaseInsensitive), qPrintable(field));
        QVERIFY(!window.applicantView()->result());
    }

    // Issue 17: typing a space while searching a drop-down opened the list and swallowed the
    // keystrokes that followed.
    void dropDownSearchTakesSpaces() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        window.show();
        auto* combo = qobject_cast<QComboBox*>(window.applicantView()->form()->editor("purpose"));
        QVERIFY(combo);
        window.showView(window.applicantView());
        combo->setFocus();
        QTest::keyClicks(combo, "car (u");
        QCOMPARE(combo->currentData().toString(), QString("car (used)"));
        QVERIFY(!combo->view()->isVisible());
        auto* history =
            qobject_cast<QComboBox*>(window.applicantView()->form()->editor("credit_history"));
        history->setFocus();
        QTest::keyClicks(history, "no credits");
        QCOMPARE(history->currentData().toString(), QString("no credits / all paid back duly"));
        QVERIFY(!history->view()->isVisible());
        // A space on its own, after a pause, still opens the list.
        QTest::qWait(QApplication::keyboardInputInterval() + 100);
        QTest::keyClick(history, Qt::Key_Space);
        QTRY_VERIFY(history->view()->isVisible());
        history->hidePopup();
    }

    void typedApplicantMatchesCli() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        ApplicantView* view = window.applicantView();
        QSignalSpy scored(view, &ApplicantView::scored);
        // Only the characteristics the model uses are asked for; the CLI below gets all 17
        // and must give the same score.
        for (const auto& [column, value] : kApplicant) {
            if (!view->form()->isUsed(column)) continue;
            enter(view->form(), column, value);
            if (QTest::currentTestFailed()) return;
        }
        QVERIFY(scored.count() >= 11);
        QVERIFY2(view->result(), qPrintable(view->panel()->messageText()));

        QJsonObject record;
        for (const auto& [column, value] : kApplicant)
            record[column] = value;
        const QJsonObject cli =
            cliExplain(QString::fromUtf8(QJsonDocument(record).toJson(QJsonDocument::Compact)));
        QVERIFY(!cli.isEmpty());
        QCOMPARE(view->result()->pd, cli["pd"].toDouble());
        QCOMPARE(static_cast<double>(view->result()->score), cli["score"].toDouble());
        QCOMPARE(view->panel()->scoreText(), QString::number(cli["score"].toInt()));
        QCOMPARE(view->panel()->decisionText().toLower(), cli["decision"].toString());
        QVERIFY(view->panel()->pdText().contains(
            QString::number(cli["pd"].toDouble() * 100.0, 'f', 2)));
        // Reasons: same characteristics, same order, with their texts.
        const auto reasons = cli["reasons"].toArray();
        QTableWidget* table = view->panel()->reasonsTable();
        QCOMPARE(table->rowCount(), reasons.size());
        for (int i = 0; i < reasons.size(); ++i) {
            QCOMPARE(table->item(i, 0)->toolTip(), reasons[i].toObject()["feature"].toString());
            QCOMPARE(table->item(i, 1)->text(), reasons[i].toObject()["text"].toString());
        }
    }

    void scoreFollowsEdits() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        ApplicantView* view = window.applicantView();
        QSignalSpy loaded(view, &ApplicantView::loaded);
        view->loadFromFile(kApplicants, 1);
        QVERIFY(loaded.wait(10000));
        QVERIFY(loaded.at(0).at(0).toBool());
        QVERIFY(view->applicantName().contains("N0001"));
        QVERIFY(view->result());
        const long before = view->result()->score;
        enter(view->form(), "duration_months", "60");
        QVERIFY(view->result());
        QVERIFY2(view->result()->score != before, "a longer term must change the score");
        // A required field emptied: no score, and the panel names what is missing.
        auto* edit = qobject_cast<QLineEdit*>(view->form()->editor("credit_amount"));
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Delete);
        QVERIFY(!view->result());
        QVERIFY(view->panel()->messageText().contains("Credit amount"));
        // Letters are refused by the validator.
        QTest::keyClicks(edit, "abc");
        QVERIFY(edit->text().isEmpty());
        view->clear();
        QCOMPARE(view->form()->incompleteFields().size(), 11);
        QVERIFY(!view->result());
    }

    // Issue 17: a value that cannot be is refused, and the refusal shows at the field itself
    // (its error label, tooltip and frame), as does every other field error.
    void impossibleValueIsRefusedAtItsField() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        ApplicantView* view = window.applicantView();
        ApplicantForm* form = view->form();
        QSignalSpy loaded(view, &ApplicantView::loaded);
        view->loadFromFile(kApplicants, 1);
        QVERIFY(loaded.wait(10000));
        QVERIFY(view->result());
        QVERIFY(form->fieldError("duration_months").isEmpty());

        enter(form, "duration_months", "-5");
        QVERIFY2(!view->result(), "a duration of -5 months must not be scored");
        const QString error = form->fieldError("duration_months");
        QCOMPARE(error, QStringLiteral("value -5 is outside the valid range of duration_months: "
                                       ">= 0, whole numbers"));
        QWidget* duration = form->editor("duration_months");
        QVERIFY(duration->property("fieldError").toBool());
        QVERIFY(duration->toolTip().startsWith(error));
        auto* label = form->findChild<QLabel*>("duration_months_error");
        QVERIFY(label && !label->isHidden());
        QCOMPARE(label->text(), error);
        // Only that field is marked.
        QVERIFY(form->fieldError("credit_amount").isEmpty());
        QVERIFY(!form->editor("credit_amount")->property("fieldError").toBool());

        enter(form, "duration_months", "24");
        QVERIFY(view->result());
        QVERIFY(form->fieldError("duration_months").isEmpty());
        QVERIFY(!duration->property("fieldError").toBool());
        QVERIFY(label->isHidden());

        // A required field emptied: "required" at the field, not only in the side panel.
        auto* amount = qobject_cast<QLineEdit*>(form->editor("credit_amount"));
        amount->selectAll();
        QTest::keyClick(amount, Qt::Key_Delete);
        QVERIFY(!view->result());
        QCOMPARE(form->fieldError("credit_amount"), QStringLiteral("required"));
        QTest::keyClicks(amount, "1170");
        QVERIFY(view->result());

        // A level the model never saw: the scorer's refusal is shown at that field.
        ApplicantValues values = form->values();
        values["checking_status"] = "overdrawn";
        form->setValues(values);
        QVERIFY(!view->result());
        QVERIFY2(form->fieldError("checking_status").contains("unknown level 'overdrawn'"),
                 qPrintable(form->fieldError("checking_status")));
        QVERIFY(form->editor("checking_status")->property("fieldError").toBool());
        QVERIFY(form->fieldError("duration_months").isEmpty());
    }

    void fileRowMatchesCli() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        ApplicantView* view = window.applicantView();
        QSignalSpy loaded(view, &ApplicantView::loaded);
        view->loadFromFile(kApplicants, 7);
        QVERIFY(loaded.wait(10000));
        QVERIFY(view->result());
        QProcess cwb;
        cwb.start(cwb::test::cliExecutable(),
                  {"explain", "--model", kModel, "--in", kApplicants, "--row", "7", "--json"});
        QVERIFY(cwb.waitForFinished(60000));
        const QJsonObject cli = QJsonDocument::fromJson(cwb.readAllStandardOutput()).object();
        QCOMPARE(view->result()->pd, cli["pd"].toDouble());
    }

    void missingRowIsAClearError() {
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        ApplicantView* view = window.applicantView();
        QSignalSpy loaded(view, &ApplicantView::loaded);
        // The warning box is modal; close it as a user would.
        QTimer::singleShot(200, [] {
            if (QWidget* box = QApplication::activeModalWidget()) box->close();
        });
        view->loadFromFile(kApplicants, 999);
        QVERIFY(loaded.wait(10000));
        QVERIFY(!loaded.at(0).at(0).toBool());
        QVERIFY2(loaded.at(0).at(1).toString().contains("999"),
                 qPrintable(loaded.at(0).at(1).toString()));
    }
};

QTEST_MAIN(TestApplicantView)
#include "tst_applicant_view.moc"
