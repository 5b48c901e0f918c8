#include "ui/performance/PerformanceView.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

#include "report/ValidationReport.h"
#include "ui/common/AppSettings.h"
#include "ui/common/JobRunner.h"
#include "ui/performance/FairnessPanel.h"
#include "ui/performance/PerformanceFigures.h"
#include "ui/performance/ReportPanels.h"
#include "ui/reports/ReportPreviewDialog.h"
#include "ui/widgets/JobControls.h"
#include "ui/widgets/ReportTableModel.h"

namespace cwb::ui {

PerformanceView::PerformanceView(QWidget* parent) : QWidget(parent) {
    m_job = new JobRunner(this);
    buildUi();
    connect(m_job, &JobRunner::progress, this, [this](double, const QString& text) {
        if (!text.isEmpty()) m_status->setText(tr("Evaluating: %1").arg(text));
    });
    setBusy(false);
}

PerformanceView::~PerformanceView() {
    m_job->cancel();
}

void PerformanceView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    auto* fileRow = new QHBoxLayout;
    auto* fileLabel = new QLabel(tr("&Data file:"), this);
    m_path = new QLineEdit(this);
    m_path->setPlaceholderText(tr("A CSV file with the outcome column, e.g. the training data"));
    fileLabel->setBuddy(m_path);
    m_choose =
        makeChooseButton(tr("Choose..."), tr("Choose a labelled CSV file (Ctrl+Shift+O)"), this);
    auto* targetLabel = new QLabel(tr("&Target:"), this);
    m_target = new QLineEdit(this);
    m_target->setMaximumWidth(140);
    targetLabel->setBuddy(m_target);
    auto* badLabel = new QLabel(tr("&Bad value:"), this);
    m_badValue = new QLineEdit(this);
    m_badValue->setMaximumWidth(70);
    badLabel->setBuddy(m_badValue);
    m_run =
        makeRunButton(tr("Evaluate"), tr("Score the file and compute every figure (Ctrl+R)"), this);
    m_cancel = makeCancelButton(tr("Stop the evaluation (Esc)"), this);
    fileRow->addWidget(fileLabel);
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_choose);
    fileRow->addWidget(targetLabel);
    fileRow->addWidget(m_target);
    fileRow->addWidget(badLabel);
    fileRow->addWidget(m_badValue);
    fileRow->addWidget(m_run);
    fileRow->addWidget(m_cancel);
    m_export = new QPushButton(tr("E&xport report..."), this);
    m_export->setObjectName("exportReport");
    m_export->setToolTip(
        tr("Model validation report on this file, previewed before saving as "
           "PDF or Excel"));
    fileRow->addWidget(m_export);
    layout->addLayout(fileRow);

    const JobProgressRow progressRow = makeJobProgressRow(m_job, this, 3);
    m_progress = progressRow.bar;
    m_progress->setMaximumHeight(12);
    m_status = progressRow.status;
    m_status->setText(tr("Choose a labelled file and press Evaluate."));
    layout->addLayout(progressRow.layout);
    m_inSample = new QLabel(this);
    m_inSample->setObjectName("developmentSampleWarning");
    m_inSample->setWordWrap(true);
    m_inSample->setText(QStringLiteral("<b>%1</b> %2")
                            .arg(tr("Optimistic figures."),
                                 tr("This is the file the model was trained on (same SHA-256 "
                                    "fingerprint): its figures are in-sample. Evaluate on data "
                                    "the model has not seen to judge it.")));
    m_inSample->setStyleSheet(QStringLiteral("QLabel { color: #8a4b00; }"));
    m_inSample->setVisible(false);
    layout->addWidget(m_inSample);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_panels.tables["metrics"] = new TablePanel(QStringLiteral("metrics"), left);
    // Four metrics in sight, the rest scroll: the view fits a 1280x720 screen.
    m_panels.tables["metrics"]->setMinimumHeight(200);
    leftLayout->addWidget(m_panels.tables["metrics"], 3);

    auto* cutoffBox = new QGroupBox(tr("Cutoff"), left);
    auto* cutoffLayout = new QFormLayout(cutoffBox);
    auto* cutoffRow = new QHBoxLayout;
    m_cutoffSlider = new QSlider(Qt::Horizontal, cutoffBox);
    m_cutoffSlider->setToolTip(tr("Approve at or above this score (rounded points)"));
    m_cutoffSpin = new QSpinBox(cutoffBox);
    m_cutoffSpin->setRange(0, 2000);
    m_cutoffSpin->setSuffix(tr(" points"));
    m_cutoffSpin->setAccessibleName(tr("Cutoff score"));
    cutoffRow->addWidget(m_cutoffSlider, 1);
    cutoffRow->addWidget(m_cutoffSpin);
    auto* cutoffLabel = new QLabel(tr("&Approve from:"), cutoffBox);
    cutoffLabel->setBuddy(m_cutoffSpin);
    cutoffLayout->addRow(cutoffLabel, cutoffRow);
    m_approval = new QLabel(QStringLiteral("–"), cutoffBox);
    m_approval->setObjectName("approvalRate");
    m_badRate = new QLabel(QStringLiteral("–"), cutoffBox);
    m_badRate->setObjectName("badRate");
    m_policy = new QLabel(cutoffBox);
    m_policy->setWordWrap(true);
    cutoffLayout->addRow(tr("Approval rate:"), m_approval);
    cutoffLayout->addRow(tr("Bad rate of the approved:"), m_badRate);
    cutoffLayout->addRow(m_policy);
    leftLayout->addWidget(cutoffBox);
    m_panels.tables["confusion"] = new TablePanel(QStringLiteral("confusion-matrix"), left);
    leftLayout->addWidget(m_panels.tables["confusion"], 2);
    splitter->addWidget(left);

    m_tabs = new QTabWidget(splitter);
    m_tabs->setObjectName("performanceTabs");
    const std::pair<const char*, QString> charts[] = {{"roc", tr("ROC")},
                                                      {"ks", tr("KS")},
                                                      {"precision-recall", tr("Precision-recall")},
                                                      {"calibration", tr("Calibration")},
                                                      {"distribution", tr("Score distributions")},
                                                      {"gains", tr("Gains")},
                                                      {"lift", tr("Lift")}};
    for (const auto& [key, title] : charts) {
        auto* panel = new ChartPanel(QString::fromLatin1(key), m_tabs);
        m_panels.charts[QString::fromLatin1(key)] = panel;
        m_tabs->addTab(panel, title);
    }
    const std::pair<const char*, QString> tables[] = {
        {"gains", tr("Gains table")},
        {"calibration", tr("Calibration table")},
        {"importance", tr("Importance")},
        {"information-value", tr("Information value")}};
    for (const auto& [key, title] : tables) {
        auto* panel = new TablePanel(QString::fromLatin1(key), m_tabs);
        m_panels.tables[QString::fromLatin1(key)] = panel;
        m_tabs->addTab(panel, title);
    }
    m_fairness = new FairnessPanel(
        [this] {
            return FairnessSource{m_bundle, dataFile(), m_target->text(), m_badValue->text()};
        },
        m_tabs);
    m_tabs->addTab(m_fairness, tr("Fairness"));
    m_panels.forwardExports(this, [this](const QString& message) { emit statusMessage(message); });
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    // Wide enough for the side-by-side metric columns; the charts take the rest.
    splitter->setSizes({560, 800});
    layout->addWidget(splitter, 1);

    connect(m_choose, &QPushButton::clicked, this, &PerformanceView::chooseFile);
    connect(m_run, &QPushButton::clicked, this, &PerformanceView::evaluate);
    connect(m_cancel, &QPushButton::clicked, this, &PerformanceView::cancel);
    connect(m_export, &QPushButton::clicked, this, &PerformanceView::exportReport);
    connect(m_path, &QLineEdit::returnPressed, this, &PerformanceView::evaluate);
    connect(m_cutoffSlider, &QSlider::valueChanged, this, &PerformanceView::setCutoff);
    connect(m_cutoffSpin, &QSpinBox::valueChanged, this, &PerformanceView::setCutoff);
    connect(m_path, &QLineEdit::textChanged, this, [this] { setBusy(isRunning()); });
}

void PerformanceView::setModel(std::shared_ptr<const ModelBundle> bundle) {
    m_job->cancel();
    m_bundle = std::move(bundle);
    m_report.reset();
    if (m_bundle) {
        m_target->setText(QString::fromStdString(m_bundle->schema.target));
        m_badValue->setText(QString::fromStdString(m_bundle->schema.badValue));
    }
    showReport();
    setBusy(isRunning());
}

void PerformanceView::setDataFile(const QString& path) {
    m_path->setText(path);
}

QString PerformanceView::dataFile() const {
    return m_path->text().trimmed();
}

void PerformanceView::setTarget(const QString& target, const QString& badValue) {
    m_target->setText(target);
    m_badValue->setText(badValue);
}

void PerformanceView::chooseFile() {
    const QString path =
        chooseFileNearRecent(this, tr("Choose a labelled file"), QStringLiteral("labelled"),
                             tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (path.isEmpty()) return;
    setDataFile(path);
    evaluate();
}

bool PerformanceView::evaluate() {
    if (!m_bundle || dataFile().isEmpty() || isRunning()) return false;
    auto bundle = m_bundle;
    const std::string path = dataFile().toStdString();
    const std::string target = m_target->text().trimmed().toStdString();
    const std::string bad = m_badValue->text().trimmed().toStdString();
    const bool started = startForResult<PerformanceReport>(
        m_job, this,
        [=](ProgressToken& token, std::optional<PerformanceReport>& result) -> QString {
            auto report = buildPerformanceReport(*bundle, path, target, bad, &token);
            if (!report) return QString::fromStdString(report.error().message);
            result = std::move(*report);
            return {};
        },
        [this](bool canceled, const QString& error,
               const std::shared_ptr<std::optional<PerformanceReport>>& result) {
            onFinished(canceled, error, result);
        });
    if (!started) return false;
    addRecentFile("labelled", dataFile());
    m_progress->setValue(0);
    m_status->setText(tr("Evaluating %1...").arg(QFileInfo(dataFile()).fileName()));
    setBusy(true);
    return true;
}

ReportPreviewDialog* PerformanceView::exportReport() {
    if (!m_bundle || dataFile().isEmpty()) {
        m_status->setText(tr("Choose a model and a labelled file to export a report."));
        return nullptr;
    }
    ValidationRequest request;
    request.bundlePath = m_modelPath.toStdString();
    request.dataPath = dataFile().toStdString();
    request.target = m_target->text().trimmed().toStdString();
    request.badValue = m_badValue->text().trimmed().toStdString();
    auto bundle = m_bundle;
    auto* dialog = new ReportPreviewDialog(
        tr("Model validation report"), QStringLiteral("validation-report"),
        [bundle, request](ProgressToken& token) -> Result<ReportDocument> {
            auto report = buildValidationReport(bundle, request, &token);
            if (!report) return report.error();
            return validationDocument(*report);
        },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->start();
    return dialog;
}

void PerformanceView::cancel() {
    m_job->cancel();
}

bool PerformanceView::isRunning() const {
    return m_job->isRunning();
}

void PerformanceView::onFinished(bool canceled, const QString& error,
                                 const std::shared_ptr<std::optional<PerformanceReport>>& result) {
    setBusy(false);
    QString message;
    const bool ok = !canceled && error.isEmpty() && result->has_value();
    showJobEnd(m_progress, ok);
    if (canceled) {
        message = tr("Evaluation cancelled; the figures shown are unchanged.");
    } else if (!ok) {
        message = tr("Cannot evaluate: %1").arg(error);
    } else {
        m_report = std::move(*result);
        message = tr("%1: %2 rows used, %3 rejected (of %4 read).")
                      .arg(QFileInfo(QString::fromStdString(m_report->dataPath)).fileName())
                      .arg(m_report->rows)
                      .arg(m_report->rowsRejected)
                      .arg(m_report->rowsRead);
        showReport();
    }
    m_status->setText(message);
    emit statusMessage(message);
    emit evaluated(ok, canceled, message);
}

void PerformanceView::showReport() {
    m_inSample->setVisible(m_report && m_report->developmentSample);
    if (!m_report || !m_bundle) {
        m_panels.clear();
        m_approval->setText(QStringLiteral("–"));
        m_badRate->setText(QStringLiteral("–"));
        m_policy->clear();
        return;
    }
    const PerformanceReport& r = *m_report;
    fillMetrics(*m_panels.tables["metrics"]->model(), r, *m_bundle);
    fillGains(*m_panels.tables["gains"]->model(), r);
    fillCalibration(*m_panels.tables["calibration"]->model(), r);
    fillImportance(*m_panels.tables["importance"]->model(), r);
    fillInformationValue(*m_panels.tables["information-value"]->model(), r);
    m_panels.charts["roc"]->setData(rocChart({{QString::fromStdString(m_bundle->name), &r}}));
    m_panels.charts["precision-recall"]->setData(
        precisionRecallChart({{QString::fromStdString(m_bundle->name), &r}}));
    m_panels.charts["calibration"]->setData(calibrationChart(r));
    m_panels.charts["gains"]->setData(gainsChart({{QString::fromStdString(m_bundle->name), &r}}));
    m_panels.charts["lift"]->setData(liftChart(r));
    m_policy->setText(tr("The model's policy declines below %1 and approves from %2 "
                         "(refer in between); the cutoff starts at the decline boundary.")
                          .arg(m_bundle->policy.declineBelow)
                          .arg(m_bundle->policy.approveFrom));
    {
        const QSignalBlocker a(m_cutoffSlider), b(m_cutoffSpin);
        const int lo = static_cast<int>(std::floor(r.cutoffs.minScore())) - 1;
        const int hi = static_cast<int>(std::ceil(r.cutoffs.maxScore())) + 1;
        m_cutoffSlider->setRange(lo, hi);
        m_cutoffSpin->setRange(lo, hi);
        const int start = static_cast<int>(std::lround(r.defaultCutoff));
        m_cutoffSlider->setValue(start);
        m_cutoffSpin->setValue(start);
    }
    refreshCutoff();
}

void PerformanceView::setCutoff(int cutoff) {
    {
        const QSignalBlocker a(m_cutoffSlider), b(m_cutoffSpin);
        m_cutoffSlider->setValue(cutoff);
        m_cutoffSpin->setValue(cutoff);
    }
    refreshCutoff();
}

int PerformanceView::cutoff() const {
    return m_cutoffSpin->value();
}

CutoffOutcome PerformanceView::outcome() const {
    return m_report ? m_report->cutoffs.at(cutoff()) : CutoffOutcome{};
}

QString PerformanceView::approvalRateText() const {
    return m_approval->text();
}

QString PerformanceView::badRateText() const {
    return m_badRate->text();
}

QString PerformanceView::statusText() const {
    return m_status->text();
}

void PerformanceView::refreshCutoff() {
    if (!m_report) return;
    const CutoffOutcome o = outcome();
    m_approval->setText(
        tr("%1 (%2 of %3)")
            .arg(ReportTableModel::percent(o.approvalRate()).text)
            .arg(QLocale().toString(static_cast<qulonglong>(o.approved)))
            .arg(QLocale().toString(static_cast<qulonglong>(o.approved + o.declined))));
    m_badRate->setText(tr("%1 (%2 bads approved)")
                           .arg(ReportTableModel::percent(o.badRate()).text)
                           .arg(QLocale().toString(static_cast<qulonglong>(o.approvedBads))));
    fillConfusion(*m_panels.tables["confusion"]->model(), o);
    m_panels.charts["ks"]->setData(ksChart(*m_report, cutoff()));
    m_panels.charts["distribution"]->setData(distributionChart(*m_report, cutoff()));
}

ChartPanel* PerformanceView::chart(const QString& name) const {
    return m_panels.chart(name);
}

TablePanel* PerformanceView::table(const QString& name) const {
    return m_panels.table(name);
}

QStringList PerformanceView::chartNames() const {
    return m_panels.chartNames();
}

QStringList PerformanceView::tableNames() const {
    return m_panels.tableNames();
}

void PerformanceView::showTab(const QString& name) {
    m_panels.showTab(m_tabs, name);
}

void PerformanceView::setBusy(bool busy) {
    enableJobControls(busy, m_bundle && !dataFile().isEmpty(), m_run, m_cancel,
                      {m_choose, m_path, m_target, m_badValue});
}

}  // namespace cwb::ui
