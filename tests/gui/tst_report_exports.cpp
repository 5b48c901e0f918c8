// The report exports of the Explanation, Compare and Audit views and the Fairness tab's bands
// (issue 13, the GUI half), driven offscreen. Each report is built on a worker, previewed and
// saved; the saved PDF is read back with pdftotext and held to the command line: the same
// notice text as `cwb report adverse-action --row`, the same AUC and KS as `cwb evaluate`, the
// same entry count and chain result as `cwb report audit`, the same groups as `cwb fairness`.
// With a store, notices are masked by the signed-in user's role and every saved export is in
// the audit trail.

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QPdfDocument>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <utility>

#include <nlohmann/json.hpp>

#include "../common/TestPaths.h"
#include "../core/CliRunner.h"
#include "data/DataRow.h"
#include "scoring/ModelBundle.h"
#include "store/Store.h"
#include "ui/audit/AuditView.h"
#include "ui/compare/CompareView.h"
#include "ui/explanation/ExplanationView.h"
#include "ui/performance/FairnessPanel.h"
#include "ui/performance/ReportPanels.h"
#include "ui/reports/ReportPreviewDialog.h"
#include "ui/store/StoreSession.h"
#include "ui/widgets/ReportTableModel.h"

using namespace cwb;
using namespace cwb::ui;
using store::Role;

namespace {

const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kData = cwb::test::sourceFile(QStringLiteral("sample_data/german_credit.csv"));
const QString kApplicants = cwb::test::sourceFile(QStringLiteral("sample_data/applicants.csv"));
constexpr long kDeclinedRow = 2;  // N0002: declined by the shipped model (score 489)
constexpr long kApprovedRow = 3;  // N0003: approved (score 554)

const char* const kAdminPw = "ada-password-1";
const char* const kAnalystPw = "sam-password-1";
const char* const kCompliancePw = "cora-password-1";

QString pdfText(const QString& pdf) {
    const auto run = test::runProgram("pdftotext", {"-layout", pdf, "-"});
    return run.exitCode == 0 ? QString::fromUtf8(run.out) : QString();
}

// Waits for the preview; empty on success, else the dialog's message.
QString waitReady(ReportPreviewDialog* dialog) {
    QSignalSpy ready(dialog, &ReportPreviewDialog::ready);
    if (!ready.wait(180000)) return QStringLiteral("no result within 180 s");
    return ready.at(0).at(0).toBool() ? QString() : ready.at(0).at(1).toString();
}

// Waits for the preview, then saves it as PDF; empty on success, else what failed.
QString saveWhenReady(ReportPreviewDialog* dialog, const QString& pdf) {
    QString error = waitReady(dialog);
    if (error.isEmpty() && !dialog->savePdfTo(pdf, &error) && error.isEmpty())
        error = QStringLiteral("cannot save %1").arg(pdf);
    return error;
}

// `cwb` with a clean environment (no store, user or password from the caller's).
test::CliRun runCwb(const QStringList& args, const QString& password = {}) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys())
        if (key.startsWith("CWB_")) env.remove(key);
    if (!password.isEmpty()) env.insert("CWB_PASSWORD", password);
    return test::runProgram(cwb::test::cliExecutable(), args, env);
}

int countEvents(store::Store& s, const std::string& event) {
    store::AuditFilter f;
    f.event = event;
    auto e = s.audit().entries(f);
    return e ? static_cast<int>(e->size()) : -1;
}

}  // namespace

class ReportExportsTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::shared_ptr<const ModelBundle> m_bundle;
    QString m_storePath;

    // A store with ada (admin), sam (analyst: no personal data) and cora (compliance), and the
    // lender's details set by ada.
    void makeStore() {
        m_storePath = m_dir.filePath("workbench.sqlite");
        const store::SecretString admin(kAdminPw);
        auto s = store::Store::create(m_storePath.toStdString(), "ada", &admin, {Role::Admin});
        QVERIFY2(s.ok(), s ? "" : s.error().message.c_str());
        auto ada = (*s)->users().authenticate("ada", &admin);
        QVERIFY(ada.ok());
        QVERIFY((*s)->users().add(*ada, "sam", {Role::Analyst}, store::SecretString(kAnalystPw)));
        QVERIFY((*s)->users().add(*ada, "cora", {Role::Compliance},
                                  store::SecretString(kCompliancePw)));
        QVERIFY((*s)->settings().set(*ada, "lender_name", "Example Savings Bank"));
        QVERIFY((*s)->settings().set(*ada, "lender_address", "1 Main Street\nSpringfield"));
        QVERIFY((*s)->settings().set(*ada, "lender_contact", "0800 123 456, credit@example.com"));
    }

    void explain(ExplanationView& view, long row) {
        auto values = readDataRow(kApplicants.toStdString(), row);
        QVERIFY(values.ok());
        const QString id = QString::fromStdString(values->values.at("applicant_id"));
        view.setModel(m_bundle, 4);
        view.setApplicant(values->values, QStringLiteral("Applicant %1").arg(id), id);
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        auto loaded = loadBundle(kModel.toStdString());
        QVERIFY(loaded.ok());
        m_bundle = std::make_shared<const ModelBundle>(std::move(*loaded));
        makeStore();
    }

    // Without a store: the notice reads exactly as the command line's for the same row (lender
    // placeholders, the shipped statement of rights), and is only offered when not approved.
    void adverseActionNoticeEqualsTheCommandLine() {
        ExplanationView view;
        explain(view, kApprovedRow);
        QVERIFY(!view.noticeButton()->isEnabled());
        QVERIFY(view.adverseActionNotice() == nullptr);
        explain(view, kDeclinedRow);
        QVERIFY(view.noticeButton()->isEnabled());
        QCOMPARE(view.noticeButton()->text(), QStringLiteral("Adverse a&ction notice..."));
        ReportPreviewDialog* dialog = view.adverseActionNotice();
        QVERIFY(dialog);
        const QString pdf = m_dir.filePath("notice-gui.pdf");
        QString saveError = saveWhenReady(dialog, pdf);
        QVERIFY2(saveError.isEmpty(), qPrintable(saveError));
        QCOMPARE(dialog->pageCount(), 1);
        // A letter has no tables: no workbook.
        QVERIFY(!dialog->saveXlsxTo(m_dir.filePath("notice.xlsx"), &saveError));
        QVERIFY(!QFile::exists(m_dir.filePath("notice.xlsx")));
        dialog->close();

        const QString cliPdf = m_dir.filePath("notice-cli.pdf");
        const auto run =
            runCwb({"report", "adverse-action", "--model", kModel, "--in", kApplicants, "--row",
                    QString::number(kDeclinedRow), "--out", cliPdf, "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString gui = pdfText(pdf);
        QVERIFY(gui.contains("N0002"));
        QVERIFY(gui.contains("Your application has been declined."));
        QVERIFY(gui.contains("489 points"));
        QVERIFY(gui.contains("[Lender name]"));
        QCOMPARE(gui, pdfText(cliPdf));
        // The page renders (pdftoppm) as one image.
        QCOMPARE(
            test::runProgram("pdftoppm", {"-r", "40", "-png", pdf, m_dir.filePath("n")}).exitCode,
            0);
        QVERIFY(QFile::exists(m_dir.filePath("n-1.png")));
    }

    // The lender's own statement of rights (the settings' template file): filled in as
    // `cwb report adverse-action --template` fills it; a file over 64 KiB is refused.
    void adverseActionNoticeWithTheLendersTemplate() {
        const QString rights = m_dir.filePath("rights.txt");
        QFile f(rights);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Write to {lender_name} quoting {applicant_id} by {date}.\n\nSecond paragraph.");
        f.close();
        ExplanationView view;
        view.setRightsTemplate(rights);
        explain(view, kDeclinedRow);
        ReportPreviewDialog* dialog = view.adverseActionNotice();
        QVERIFY(dialog);
        const QString pdf = m_dir.filePath("notice-template.pdf");
        QString saveError = saveWhenReady(dialog, pdf);
        QVERIFY2(saveError.isEmpty(), qPrintable(saveError));
        dialog->close();
        const QString text = pdfText(pdf);
        QVERIFY2(text.contains("quoting N0002"), qPrintable(text));
        QVERIFY(text.contains("Second paragraph."));
        QVERIFY(!text.contains("neutral default text"));
        const QString cliPdf = m_dir.filePath("notice-template-cli.pdf");
        const auto run = runCwb({"report", "adverse-action", "--model", kModel, "--in", kApplicants,
                                 "--row", QString::number(kDeclinedRow), "--template", rights,
                                 "--out", cliPdf, "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(text, pdfText(cliPdf));

        const QString big = m_dir.filePath("big.txt");
        QFile b(big);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(QByteArray(65 * 1024, 'x'));
        b.close();
        view.setRightsTemplate(big);
        QSignalSpy status(&view, &ExplanationView::statusMessage);
        QVERIFY(view.adverseActionNotice() == nullptr);
        QVERIFY(status.last().at(0).toString().contains("64 KiB"));
    }

    // With a store: the lender's details come from it, an analyst (no right to personal data)
    // gets the store's pseudonym instead of the id, as `cwb report adverse-action --store`
    // prints it, and the saved notice is in the audit trail. A store open with nobody signed in
    // makes no notice.
    void adverseActionNoticeMaskedByRoleAndAudited() {
        StoreSession session;
        QVERIFY(session.open(m_storePath));
        ExplanationView view;
        view.setStoreSession(&session);
        explain(view, kDeclinedRow);
        QSignalSpy status(&view, &ExplanationView::statusMessage);
        QVERIFY(view.adverseActionNotice() == nullptr);
        QVERIFY(status.last().at(0).toString().contains("Sign in"));

        const store::SecretString pw(kAnalystPw);
        QVERIFY(session.signIn("sam", &pw));
        const int before = countEvents(*session.store(), "report_exported");
        ReportPreviewDialog* dialog = view.adverseActionNotice();
        QVERIFY(dialog);
        const QString pdf = m_dir.filePath("notice-masked.pdf");
        QString saveError = saveWhenReady(dialog, pdf);
        QVERIFY2(saveError.isEmpty(), qPrintable(saveError));
        QCOMPARE(countEvents(*session.store(), "report_exported"), before + 1);
        // Signed out meanwhile: the copy is written but cannot be recorded, and says so.
        session.signOut();
        const QString unrecorded = m_dir.filePath("notice-unrecorded.pdf");
        QVERIFY(!dialog->savePdfTo(unrecorded, &saveError));
        QVERIFY2(saveError.contains("audit trail"), qPrintable(saveError));
        QVERIFY(QFile::exists(unrecorded));
        QVERIFY(session.signIn("sam", &pw));
        dialog->close();
        store::AuditFilter f;
        f.event = "report_exported";
        auto entries = session.store()->audit().entries(f);
        QVERIFY(entries.ok());
        const auto details = nlohmann::json::parse(entries->back().details);
        QCOMPARE(entries->back().user, std::string("sam"));
        QCOMPARE(details["report"].get<std::string>(), std::string("adverse-action"));
        QCOMPARE(details["ids_masked"].get<bool>(), true);
        QCOMPARE(details["format"].get<std::string>(), std::string("pdf"));

        const QString text = pdfText(pdf);
        const QString pseudonym = QString::fromStdString(session.store()->pseudonymizer()("N0002"));
        QVERIFY2(text.contains(pseudonym), qPrintable(text));
        QVERIFY(!text.contains("N0002"));
        QVERIFY(text.contains("Example Savings Bank"));
        QVERIFY(text.contains("Springfield"));
        session.close();  // the command line writes to the same file next

        const QString cliPdf = m_dir.filePath("notice-masked-cli.pdf");
        const auto run = runCwb({"report", "adverse-action", "--model", kModel, "--in", kApplicants,
                                 "--row", QString::number(kDeclinedRow), "--out", cliPdf, "--store",
                                 m_storePath, "--user", "sam", "--quiet"},
                                kAnalystPw);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(text, pdfText(cliPdf));
    }

    // The comparison document: both models' figures side by side, equal to `cwb evaluate` of
    // each model on the same file (every row is scored by both), saved as PDF and Excel.
    void comparisonReportMatchesEvaluate() {
        const QString modelB = m_dir.filePath("trees.cwbm");
        const auto train = runCwb({"train", "--data", kData, "--target", "class", "--bad", "2",
                                   "--algorithm", "xgboost", "--cv", "2", "--seed", "7", "--name",
                                   "german_trees", "--out", modelB, "--quiet"});
        QVERIFY2(train.exitCode == 0, train.err.constData());
        CompareView view;
        auto* button = view.findChild<QPushButton*>("exportReport");
        QVERIFY(button && !button->isEnabled());
        QVERIFY(view.exportReport() == nullptr);
        view.setModel(m_bundle);
        view.setModelBFile(modelB);
        view.setDataFile(kData);
        QSignalSpy compared(&view, &CompareView::compared);
        QVERIFY(view.compare());
        QVERIFY(compared.wait(180000));
        QVERIFY2(compared.at(0).at(0).toBool(), qPrintable(compared.at(0).at(2).toString()));
        QVERIFY(button->isEnabled());
        view.setCutoffs(500, 510);
        ReportPreviewDialog* dialog = view.exportReport();
        QVERIFY(dialog);
        const QString pdf = m_dir.filePath("comparison.pdf");
        const QString xlsx = m_dir.filePath("comparison.xlsx");
        QString saveError = saveWhenReady(dialog, pdf);
        QVERIFY2(saveError.isEmpty(), qPrintable(saveError));
        QVERIFY2(dialog->saveXlsxTo(xlsx, &saveError), qPrintable(saveError));
        QVERIFY(QFile(xlsx).size() > 3000);
        dialog->close();

        const QString text = pdfText(pdf);
        for (const char* section :
             {"Model comparison report", "Models and data", "Discrimination and accuracy",
              "Decisions at the cutoffs", "Swap set", "german_trees", "ROC curves"})
            QVERIFY2(text.contains(section), section);
        const auto evalA = runCwb({"evaluate", "--model", kModel, "--data", kData, "--json"});
        const auto evalB = runCwb({"evaluate", "--model", modelB, "--data", kData, "--json"});
        QCOMPARE(evalA.exitCode, 0);
        QCOMPARE(evalB.exitCode, 0);
        // The AUC and KS lines of the measures table: A then B, as printed (4 decimals).
        const auto line = [&](const char* measure) {
            for (const QString& l : text.split('\n'))
                if (l.trimmed().startsWith(measure)) return l.simplified();
            return QString();
        };
        const auto fixed = [](double v) { return QString::number(v, 'f', 4); };
        const nlohmann::json a = evalA.json(), b = evalB.json();
        const std::pair<const char*, const char*> measures[] = {{"AUC", "auc"}, {"KS", "ks"}};
        for (const auto& [label, key] : measures) {
            const double va = a.at(key).get<double>(), vb = b.at(key).get<double>();
            const QString expected =
                QStringLiteral("%1 %2 %3").arg(QString::fromLatin1(label), fixed(va), fixed(vb));
            QVERIFY2(line(label).startsWith(expected), qPrintable(line(label) + " vs " + expected));
        }
        // The swap counts are the view's at the same cutoffs.
        const SwapSet* swaps = view.swaps();
        QVERIFY(swaps);
        const QString outLine = line("Approved by A only");
        QVERIFY2(outLine.contains(QString::number(swaps->onlyA)), qPrintable(outLine));
        QCOMPARE(
            test::runProgram("pdftoppm", {"-r", "40", "-png", pdf, m_dir.filePath("c")}).exitCode,
            0);
    }

    // The audit extract of the filtered entries with the chain's verification, built on a
    // worker with a connection of its own: the entry count and chain result are those of
    // `cwb report audit`; an analyst is refused; saving it is audited.
    void auditExtractFromTheAuditView() {
        StoreSession session;
        QVERIFY(session.open(m_storePath));
        AuditView view;
        view.setStoreSession(&session);
        auto* button = view.findChild<QPushButton*>("exportReport");
        QVERIFY(button);
        QCOMPARE(button->text(), QStringLiteral("Export re&port..."));
        const store::SecretString analyst(kAnalystPw);
        QVERIFY(session.signIn("sam", &analyst));
        QVERIFY(view.exportReport() == nullptr);
        QVERIFY(view.statusText().contains("compliance"));

        const store::SecretString compliance(kCompliancePw);
        QVERIFY(session.signIn("cora", &compliance));
        view.setFilter(QString(), QStringLiteral("user_added"));
        ReportPreviewDialog* dialog = view.exportReport();
        QVERIFY(dialog);
        const QString pdf = m_dir.filePath("audit.pdf");
        QString saveError = saveWhenReady(dialog, pdf);
        QVERIFY2(saveError.isEmpty(), qPrintable(saveError));
        dialog->close();
        store::AuditFilter f;
        f.event = "report_exported";
        f.user = "cora";
        auto entries = session.store()->audit().entries(f);
        QVERIFY(entries.ok() && entries->size() == 1);
        const auto details = nlohmann::json::parse(entries->back().details);
        QCOMPARE(details["report"].get<std::string>(), std::string("audit"));
        QCOMPARE(details["entries"].get<int>(), 2);  // sam and cora were added
        QCOMPARE(details["chain_intact"].get<bool>(), true);
        session.close();

        const QString cliPdf = m_dir.filePath("audit-cli.pdf");
        const auto run = runCwb({"report", "audit", "--store", m_storePath, "--user", "cora",
                                 "--event", "user_added", "--out", cliPdf, "--json"},
                                kCompliancePw);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json()["entries"].get<int>(), 2);
        QCOMPARE(run.json()["chain"]["intact"].get<bool>(), true);
        const QString text = pdfText(pdf);
        QVERIFY2(text.contains("Audit") && text.contains("intact"), qPrintable(text.left(600)));
        QVERIFY(text.contains("user_added"));
    }

    // Configurable bands for numeric protected attributes: the groups and counts of
    // `cwb fairness --bands`; a bad edge list is refused with a message, nothing run.
    void fairnessBandsAreConfigurable() {
        FairnessPanel panel([this] {
            return FairnessSource{m_bundle, kData, QString(), QString()};
        });
        panel.setColumns("age_years");
        panel.setBandEdges("40 30");
        QSignalSpy analysed(&panel, &FairnessPanel::analysed);
        QVERIFY(!panel.analyse());
        QVERIFY(panel.statusText().contains("ascending"));
        panel.setBandEdges("30, 50");
        QVERIFY(panel.analyse());
        QVERIFY(analysed.wait(120000));
        QVERIFY2(analysed.last().at(0).toBool(), qPrintable(analysed.last().at(1).toString()));
        const auto run = runCwb({"fairness", "--model", kModel, "--data", kData, "--protected",
                                 "age_years", "--bands", "30,50", "--json", "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const nlohmann::json fairness = run.json();
        const auto& groups = fairness["attributes"][0]["groups"];
        QCOMPARE(groups.size(), std::size_t(3));
        ReportTableModel* model = panel.table()->model();
        QCOMPARE(model->rowCount(), 3);
        for (int r = 0; r < 3; ++r) {
            QCOMPARE(model->index(r, 1).data().toString(),
                     QString::fromStdString(groups[r]["group"].get<std::string>()));
            QCOMPARE(model->index(r, 2).data(ReportTableModel::ValueRole).toULongLong(),
                     groups[r]["count"].get<qulonglong>());
            QCOMPARE(model->index(r, 3).data(ReportTableModel::ValueRole).toDouble(),
                     groups[r]["approval_rate"].get<double>());
        }
    }
};

QTEST_MAIN(ReportExportsTest)
#include "tst_report_exports.moc"
