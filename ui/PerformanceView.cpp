#include "ui/PerformanceView.h"

#include <QFileDialog>
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

#include "ui/AppSettings.h"
#include "ui/JobRunner.h"
#include "ui/PerformanceFigures.h"
#include "ui/ReportPanels.h"
#include "ui/ReportTableModel.h"

namespace cwb::ui {

namespace {

QString percentText(double share) {
    return QLocale().toString(100.0 * share, 'f', 1) + QStringLiteral(" %");
}

}  // namespace

PerformanceView::PerformanceView(QWidget* parent) : QWidget(parent) {
    m_job = new JobRunner(this);
    buildUi();
    connect(m_job, &JobRunner::progress, this, [this](double fraction, const QString& text) {
        m_progress->setValue(static_cast<int>(fraction * 1000));
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
    m_choose = new QPushButton(tr("Choose..."), this);
    m_choose->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_choose->setToolTip(tr("Choose a labelled CSV file (Ctrl+Shift+O)"));
    auto* targetLabel = new QLabel(tr("&Target:"), this);
    m_target = new QLineEdit(this);
    m_target->setMaximumWidth(140);
    targetLabel->setBuddy(m_target);
    auto* badLabel = new QLabel(tr("&Bad value:"), this);
    m_badValue = new QLineEdit(this);
    m_badValue->setMaximumWidth(70);
    badLabel->setBuddy(m_badValue);
    m_run = new QPushButton(tr("Evaluate"), this);
    m_run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_run->setToolTip(tr("Score the file and compute every figure (Ctrl+R)"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancel->setToolTip(tr("Stop the evaluation (Esc)"));
    fileRow->addWidget(fileLabel);
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_choose);
    fileRow->addWidget(targetLabel);
    fileRow->addWidget(m_target);
    fileRow->addWidget(badLabel);
    fileRow->addWidget(m_badValue);
    fileRow->addWidget(m_run);
    fileRow->addWidget(m_cancel);
    layout->addLayout(fileRow);

    auto* progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(12);
    m_status = new QLabel(tr("Choose a labelled file and press Evaluate."), this);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_status, 3);
    layout->addLayout(progressRow);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_tables["metrics"] = new TablePanel(QStringLiteral("metrics"), left);
    m_tables["metrics"]->setMinimumHeight(220);
    leftLayout->addWidget(m_tables["metrics"], 3);

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
    m_tables["confusion"] = new TablePanel(QStringLiteral("confusion-matrix"), left);
    leftLayout->addWidget(m_tables["confusion"], 2);
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
        m_charts[QString::fromLatin1(key)] = panel;
        m_tabs->addTab(panel, title);
        connect(panel, &ChartPanel::exported, this,
                [this](bool, const QString& message) { emit statusMessage(message); });
    }
    const std::pair<const char*, QString> tables[] = {
        {"gains", tr("Gains table")},
        {"calibration", tr("Calibration table")},
        {"importance", tr("Importance")},
        {"information-value", tr("Information value")}};
    for (const auto& [key, title] : tables) {
        auto* panel = new TablePanel(QString::fromLatin1(key), m_tabs);
        m_tables[QString::fromLatin1(key)] = panel;
        m_tabs->addTab(panel, title);
    }
    for (auto& [key, panel] : m_tables)
        connect(panel, &TablePanel::exported, this,
                [this](bool, const QString& message) { emit statusMessage(message); });
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    // Wide enough for the side-by-side metric columns; the charts take the rest.
    splitter->setSizes({560, 800});
    layout->addWidget(splitter, 1);

    connect(m_choose, &QPushButton::clicked, this, &PerformanceView::chooseFile);
    connect(m_run, &QPushButton::clicked, this, &PerformanceView::evaluate);
    connect(m_cancel, &QPushButton::clicked, this, &PerformanceView::cancel);
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
    const QStringList recent = recentFiles("labelled");
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Choose a labelled file"),
                                     recent.isEmpty() ? QString() : QFileInfo(recent[0]).path(),
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
    auto result = std::make_shared<std::optional<PerformanceReport>>();
    const bool started = m_job->start([=](ProgressToken& token) -> QString {
        auto report = buildPerformanceReport(*bundle, path, target, bad, &token);
        if (!report) return QString::fromStdString(report.error().message);
        *result = std::move(*report);
        return {};
    });
    if (!started) return false;
    // One connection per run: the result pointer belongs to this run only.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_job, &JobRunner::finished, this,
                          [this, result, connection](bool canceled, const QString& error) {
                              disconnect(*connection);
                              onFinished(canceled, error, result);
                          });
    addRecentFile("labelled", dataFile());
    m_progress->setValue(0);
    m_status->setText(tr("Evaluating %1...").arg(QFileInfo(dataFile()).fileName()));
    setBusy(true);
    return true;
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
    if (canceled) {
        message = tr("Evaluation cancelled; the figures shown are unchanged.");
        m_progress->setValue(0);
    } else if (!ok) {
        message = tr("Cannot evaluate: %1").arg(error);
        m_progress->setValue(0);
    } else {
        m_report = std::move(*result);
        m_progress->setValue(1000);
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
    if (!m_report || !m_bundle) {
        for (auto& [key, panel] : m_tables)
            panel->model()->setTable({}, {});
        for (auto& [key, panel] : m_charts)
            panel->setData({});
        m_approval->setText(QStringLiteral("–"));
        m_badRate->setText(QStringLiteral("–"));
        m_policy->clear();
        return;
    }
    const PerformanceReport& r = *m_report;
    fillMetrics(*m_tables["metrics"]->model(), r, *m_bundle);
    fillGains(*m_tables["gains"]->model(), r);
    fillCalibration(*m_tables["calibration"]->model(), r);
    fillImportance(*m_tables["importance"]->model(), r);
    fillInformationValue(*m_tables["information-value"]->model(), r);
    m_charts["roc"]->setData(rocChart({{QString::fromStdString(m_bundle->name), &r}}));
    m_charts["precision-recall"]->setData(
        precisionRecallChart({{QString::fromStdString(m_bundle->name), &r}}));
    m_charts["calibration"]->setData(calibrationChart(r));
    m_charts["gains"]->setData(gainsChart({{QString::fromStdString(m_bundle->name), &r}}));
    m_charts["lift"]->setData(liftChart(r));
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
            .arg(percentText(o.approvalRate()))
            .arg(QLocale().toString(static_cast<qulonglong>(o.approved)))
            .arg(QLocale().toString(static_cast<qulonglong>(o.approved + o.declined))));
    m_badRate->setText(tr("%1 (%2 bads approved)")
                           .arg(percentText(o.badRate()))
                           .arg(QLocale().toString(static_cast<qulonglong>(o.approvedBads))));
    fillConfusion(*m_tables["confusion"]->model(), o);
    m_charts["ks"]->setData(ksChart(*m_report, cutoff()));
    m_charts["distribution"]->setData(distributionChart(*m_report, cutoff()));
}

ChartPanel* PerformanceView::chart(const QString& name) const {
    const auto it = m_charts.find(name);
    return it == m_charts.end() ? nullptr : it->second;
}

TablePanel* PerformanceView::table(const QString& name) const {
    const auto it = m_tables.find(name);
    return it == m_tables.end() ? nullptr : it->second;
}

QStringList PerformanceView::chartNames() const {
    QStringList names;
    for (const auto& [key, panel] : m_charts)
        names << key;
    return names;
}

QStringList PerformanceView::tableNames() const {
    QStringList names;
    for (const auto& [key, panel] : m_tables)
        names << key;
    return names;
}

void PerformanceView::showTab(const QString& name) {
    if (ChartPanel* c = chart(name))
        m_tabs->setCurrentWidget(c);
    else if (TablePanel* t = table(name))
        m_tabs->setCurrentWidget(t);
}

void PerformanceView::setBusy(bool busy) {
    m_run->setEnabled(!busy && m_bundle && !dataFile().isEmpty());
    m_cancel->setEnabled(busy);
    m_choose->setEnabled(!busy);
    m_path->setEnabled(!busy);
    m_target->setEnabled(!busy);
    m_badValue->setEnabled(!busy);
}

}  // namespace cwb::ui
