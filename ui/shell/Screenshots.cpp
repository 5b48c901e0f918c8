#include "ui/shell/Screenshots.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include "data/CsvReader.h"
#include "data/EncodedData.h"
#include "pipeline/TrainPipeline.h"
#include "store/Store.h"
#include "ui/applicant/ApplicantView.h"
#include "ui/audit/AuditView.h"
#include "ui/batch/BatchView.h"
#include "ui/common/GuiMetrics.h"
#include "ui/compare/CompareView.h"
#include "ui/explanation/ExplanationView.h"
#include "ui/performance/PerformanceView.h"
#include "ui/registry/RegistryView.h"
#include "ui/scorecard/ScorecardEditor.h"
#include "ui/shell/MainWindow.h"
#include "ui/store/StoreSession.h"
#include "ui/training/TrainingView.h"

namespace cwb::ui {

namespace {

// Runs the event loop until `signal` of `sender` fires or the timeout passes.
template <class Sender, class Signal>
bool waitFor(Sender* sender, Signal signal, int timeoutMs) {
    QEventLoop loop;
    bool fired = false;
    QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return fired;
}

bool save(MainWindow& window, QWidget* view, const QString& path) {
    window.showView(view);
    // Let layouts and charts settle at the final size before grabbing.
    for (int i = 0; i < 3; ++i)
        QApplication::processEvents();
    return window.grab().save(path);
}

// training.png: auto training on the German sample, candidates side by side; scorecard.png: a
// scorecard trained there, with the first two duration bins merged in the editor.
QString renderTrainingScreenshots(MainWindow& window, const QDir& samples, const QDir& out) {
    TrainingView* training = window.trainingView();
    window.showView(training);
    training->setDataFile(samples.filePath("german_credit.csv"));
    // German's target has the values 1 and 2: the view asks which is bad before any preview.
    if (!waitFor(training, &TrainingView::previewReady, 30000))
        return QStringLiteral("cannot read the training sample: %1").arg(training->statusText());
    // As the shipped model's recipe: protected attributes are kept out of the model. Only the
    // last of these previews reports; the earlier ones are superseded.
    training->setTarget(QStringLiteral("class"), QStringLiteral("2"));
    for (const char* column : {"personal_status_sex", "age_years", "foreign_worker"})
        training->setColumnRole(QString::fromLatin1(column), ColumnRole::Protected);
    if (!waitFor(training, &TrainingView::previewReady, 30000) || !training->preview())
        return QStringLiteral("cannot set the target: %1").arg(training->statusText());
    const auto trainWith = [&](Algorithm algorithm) {
        training->setAlgorithm(algorithm);
        return training->train() && waitFor(training, &TrainingView::trainingFinished, 300000) &&
               training->report();
    };
    if (!trainWith(Algorithm::Auto))
        return QStringLiteral("cannot train: %1").arg(training->statusText());
    if (!save(window, training, out.filePath("training.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("training.png"));

    if (!trainWith(Algorithm::Scorecard))
        return QStringLiteral("cannot train a scorecard: %1").arg(training->statusText());
    ScorecardEditor* editor = window.scorecardEditor();
    emit training->editScorecardRequested(training->report());
    if (!waitFor(editor, &ScorecardEditor::ready, 30000) || !editor->state())
        return QStringLiteral("cannot edit the scorecard: %1").arg(editor->statusText());
    editor->selectCharacteristic(QStringLiteral("duration_months"));
    if (!editor->mergeBins(0, 1) || !waitFor(editor, &ScorecardEditor::edited, 30000))
        return QStringLiteral("cannot merge bins: %1").arg(editor->statusText());
    if (!save(window, editor, out.filePath("scorecard.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("scorecard.png"));
    return {};
}

// performance.png: the active model on the German sample with the cutoff moved up; compare.png:
// that model against boosted trees trained here on the same file, ROC curves overlaid.
QString renderPerformanceScreenshots(MainWindow& window, const QDir& samples, const QDir& out) {
    PerformanceView* performance = window.performanceView();
    window.showView(performance);
    performance->setDataFile(samples.filePath("german_credit.csv"));
    if (!performance->evaluate() || !waitFor(performance, &PerformanceView::evaluated, 120000) ||
        !performance->report())
        return QStringLiteral("cannot evaluate the sample: %1").arg(performance->statusText());
    performance->setCutoff(performance->cutoff() + 20);
    performance->showTab(QStringLiteral("ks"));
    if (!save(window, performance, out.filePath("performance.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("performance.png"));

    QTemporaryDir work;
    TrainJob job;
    job.dataPath = samples.filePath("german_credit.csv").toStdString();
    job.target = "class";
    job.badValue = "2";
    job.request.algorithm = Algorithm::Xgboost;
    job.request.folds = 2;
    job.protectedColumns = {"personal_status_sex", "age_years", "foreign_worker"};
    job.name = "german_trees";
    auto trained = runTraining(job, nullptr);
    const QString modelB = work.filePath("german_trees.cwbm");
    if (!trained || !saveBundle(trained->bundle, modelB.toStdString()))
        return QStringLiteral("cannot train the second model for compare.png");
    CompareView* compare = window.compareView();
    window.showView(compare);
    compare->setModelBFile(modelB);
    compare->setDataFile(samples.filePath("german_credit.csv"));
    if (!compare->compare() || !waitFor(compare, &CompareView::compared, 120000) ||
        !compare->comparison())
        return QStringLiteral("cannot compare: %1").arg(compare->statusText());
    if (!save(window, compare, out.filePath("compare.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("compare.png"));
    return {};
}

// audit.png: a store made for the picture (an admin who is also compliance officer, a loan
// officer, an analyst), with a failed login, the sample applicant recorded twice and overridden
// once, shown in the Audit view after Verify chain. The store lives in a temporary folder.
QString renderAuditScreenshot(MainWindow& window, const QDir& out) {
    using store::Role;
    QTemporaryDir dir;
    if (!dir.isValid()) return QStringLiteral("cannot make a temporary folder for the store");
    const QString path = dir.filePath(QStringLiteral("workbench.sqlite"));
    // Not secrets: a throw-away store that exists only while the picture is taken.
    const store::SecretString adminPassword("ada-screenshot"), officerPassword("olga-screenshot"),
        analystPassword("sam-screenshot"), wrong("not-the-password");
    {
        auto created = store::Store::create(path.toStdString(), "ada", &adminPassword,
                                            {Role::Admin, Role::Compliance});
        if (!created) return QString::fromStdString(created.error().message);
        auto admin = (*created)->users().authenticate("ada", &adminPassword);
        if (!admin) return QString::fromStdString(admin.error().message);
        if (auto r = (*created)->users().add(*admin, "olga", {Role::LoanOfficer}, officerPassword);
            !r)
            return QString::fromStdString(r.error().message);
        if (auto r = (*created)->users().add(*admin, "sam", {Role::Analyst}, analystPassword); !r)
            return QString::fromStdString(r.error().message);
    }
    StoreSession* session = window.storeSession();
    const auto fail = [&](const QString& what, const Error& error) {
        session->close();
        return what + QStringLiteral(": ") + QString::fromStdString(error.message);
    };
    if (auto r = session->open(path); !r)
        return fail(QStringLiteral("cannot open the store"), r.error());
    (void)session->signIn(QStringLiteral("sam"), &wrong);  // a failed login, audited
    ApplicantView* applicant = window.applicantView();
    if (auto r = session->signIn(QStringLiteral("sam"), &analystPassword); !r)
        return fail(QStringLiteral("cannot sign in"), r.error());
    if (auto r = applicant->recordDecision(); !r)
        return fail(QStringLiteral("cannot record the decision"), r.error());
    if (auto r = session->signIn(QStringLiteral("olga"), &officerPassword); !r)
        return fail(QStringLiteral("cannot sign in"), r.error());
    if (auto r = applicant->recordDecision(); !r)
        return fail(QStringLiteral("cannot record the decision"), r.error());
    auto reasons = session->store()->settings().overrideReasons();
    if (!reasons || reasons->empty())
        return fail(QStringLiteral("no override reasons"),
                    reasons ? Error::failure("empty list") : reasons.error());
    const QString to = applicant->result()->decision == Decision::Approve
                           ? QStringLiteral("refer")
                           : QStringLiteral("approve");
    if (auto r = applicant->overrideDecision(to, QString::fromStdString(reasons->front()),
                                             QStringLiteral("Income confirmed by the employer"));
        !r)
        return fail(QStringLiteral("cannot override"), r.error());
    if (auto r = session->signIn(QStringLiteral("ada"), &adminPassword); !r)
        return fail(QStringLiteral("cannot sign in"), r.error());
    AuditView* audit = window.auditView();
    window.showView(audit);
    if (auto r = audit->refresh(); !r)
        return fail(QStringLiteral("cannot read the trail"), r.error());
    if (auto r = audit->verifyChain(); !r || !r->intact)
        return fail(QStringLiteral("the chain does not verify"),
                    r ? Error::failure(r->problem) : r.error());
    const bool saved = save(window, audit, out.filePath("audit.png"));
    session->close();
    if (!saved) return QStringLiteral("cannot write %1").arg(out.filePath("audit.png"));
    return {};
}

// registry.png: a throw-away store with a data scientist and a compliance officer; the shipped
// model registered, validated on the German sample (its fairness checks fail), approved with a
// justification by the other person and promoted champion.
QString renderRegistryScreenshot(MainWindow& window, const QDir& samples, const QDir& out) {
    using store::Role;
    QTemporaryDir dir;
    if (!dir.isValid()) return QStringLiteral("cannot make a temporary folder for the store");
    const QString path = dir.filePath(QStringLiteral("workbench.sqlite"));
    // Not secrets: a throw-away store that exists only while the picture is taken.
    const store::SecretString adminPassword("ada-screenshot"), scientistPassword("dan-screenshot"),
        compliancePassword("cora-screenshot");
    {
        auto created =
            store::Store::create(path.toStdString(), "ada", &adminPassword, {Role::Admin});
        if (!created) return QString::fromStdString(created.error().message);
        auto admin = (*created)->users().authenticate("ada", &adminPassword);
        if (!admin) return QString::fromStdString(admin.error().message);
        if (auto r =
                (*created)->users().add(*admin, "dan", {Role::DataScientist}, scientistPassword);
            !r)
            return QString::fromStdString(r.error().message);
        if (auto r =
                (*created)->users().add(*admin, "cora", {Role::Compliance}, compliancePassword);
            !r)
            return QString::fromStdString(r.error().message);
    }
    StoreSession* session = window.storeSession();
    const auto fail = [&](const QString& what, const QString& why) {
        session->close();
        return what + QStringLiteral(": ") + why;
    };
    const auto words = [](const Error& e) { return QString::fromStdString(e.message); };
    if (auto r = session->open(path); !r)
        return fail(QStringLiteral("cannot open the store"), words(r.error()));
    RegistryView* registry = window.registryView();
    window.showView(registry);
    if (auto r = session->signIn(QStringLiteral("dan"), &scientistPassword); !r)
        return fail(QStringLiteral("cannot sign in"), words(r.error()));
    if (auto r = registry->registerOpenModel(QStringLiteral("german")); !r)
        return fail(QStringLiteral("cannot register"), words(r.error()));
    if (!registry->startValidation(samples.filePath("german_credit.csv"), QStringLiteral("class"),
                                   QStringLiteral("2"), {}) ||
        !waitFor(registry, &RegistryView::validationFinished, 120000) ||
        registry->shown()["validation"].is_null())
        return fail(QStringLiteral("cannot validate"), registry->statusText());
    if (auto r = session->signIn(QStringLiteral("cora"), &compliancePassword); !r)
        return fail(QStringLiteral("cannot sign in"), words(r.error()));
    registry->selectVersion(QStringLiteral("german"), 1);
    if (auto r = registry->approve(compliancePassword,
                                   QStringLiteral("Age and foreign-worker disparity reviewed by "
                                                  "the credit risk committee"));
        !r)
        return fail(QStringLiteral("cannot approve"), words(r.error()));
    if (auto r = registry->promote(QStringLiteral("champion")); !r)
        return fail(QStringLiteral("cannot promote"), words(r.error()));
    const bool saved = save(window, registry, out.filePath("registry.png"));
    session->close();
    if (!saved) return QStringLiteral("cannot write %1").arg(out.filePath("registry.png"));
    return {};
}

// The screenshots show the German sample data. A model for other data cannot score it, and every
// view would then wait out its timeout for a result that never comes (over a minute with a
// 300-tree Taiwan model): refuse such a model at once, saying why.
QString checkSamplesFit(const ModelBundle& bundle, const QString& modelPath, const QDir& samples) {
    for (const char* name : {"applicants.csv", "batch_german.csv", "german_credit.csv"}) {
        auto reader = CsvReader::open(samples.filePath(QString::fromLatin1(name)).toStdString());
        if (!reader) return QString::fromStdString(reader.error().message);
        auto encoder = RowEncoder::bind(bundle.schema, (*reader)->header(),
                                        (*reader)->dialect().decimalSeparator, false);
        if (!encoder)
            return QStringLiteral(
                       "the screenshots show the German sample data, which the model '%1' "
                       "cannot score (%2): %3")
                .arg(modelPath, QString::fromLatin1(name),
                     QString::fromStdString(encoder.error().message).left(300));
    }
    return {};
}

}  // namespace

QString renderScreenshots(const QString& dir, const QString& modelPath, const QString& sampleDir,
                          const QSize& size) {
    if (!QDir().mkpath(dir)) return QStringLiteral("cannot create '%1'").arg(dir);
    // Keep the user's settings (recent files, geometry) out of it.
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());

    MainWindow window;
    // No metrics from a rendering run: CWB_PUSHGATEWAY_URL would otherwise get a GUI group
    // that is never deleted (and raises CwbNoRecentPush).
    window.monitoring()->reconfigure(MonitorConfig{});
    if (!window.openModel(modelPath, true) || !window.model())
        return QStringLiteral("cannot open the model '%1'").arg(modelPath);
    if (QString error = checkSamplesFit(*window.model(), modelPath, QDir(sampleDir));
        !error.isEmpty())
        return error;
    window.setAttribute(Qt::WA_DontShowOnScreen);
    window.resize(size);
    window.show();
    QApplication::processEvents();

    const QDir samples(sampleDir);
    ApplicantView* applicant = window.applicantView();
    applicant->loadFromFile(samples.filePath("applicants.csv"), 1);
    if (!waitFor(applicant, &ApplicantView::loaded, 30000) || !applicant->result())
        return QStringLiteral("cannot score the sample applicant from %1").arg(sampleDir);
    const QDir out(dir);
    if (!save(window, applicant, out.filePath("applicant.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("applicant.png"));

    window.explainCurrentApplicant();
    if (!save(window, window.explanationView(), out.filePath("explanation.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("explanation.png"));
    if (QString error = renderAuditScreenshot(window, out); !error.isEmpty()) return error;
    if (QString error = renderRegistryScreenshot(window, samples, out); !error.isEmpty())
        return error;

    BatchView* batch = window.batchView();
    batch->setInputFile(samples.filePath("batch_german.csv"));
    if (!waitFor(batch, &BatchView::previewReady, 30000) || !batch->run() ||
        !waitFor(batch, &BatchView::resultsReady, 300000))
        return QStringLiteral("cannot score the sample batch: %1").arg(batch->statusText());
    if (!save(window, batch, out.filePath("batch.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("batch.png"));
    batch->showSummary();
    if (!save(window, batch, out.filePath("batch-summary.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("batch-summary.png"));
    if (QString error = renderPerformanceScreenshots(window, samples, out); !error.isEmpty())
        return error;

    if (QString error = renderTrainingScreenshots(window, samples, out); !error.isEmpty())
        return error;
    return {};
}

}  // namespace cwb::ui
