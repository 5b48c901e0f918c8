#include "ui/compare/CompareView.h"

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
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <cmath>

#include "report/ComparisonDocument.h"
#include "ui/common/AppSettings.h"
#include "ui/common/JobRunner.h"
#include "ui/performance/PerformanceFigures.h"
#include "ui/performance/ReportPanels.h"
#include "ui/reports/ReportPreviewDialog.h"
#include "ui/widgets/JobControls.h"
#include "ui/widgets/ReportTableModel.h"

namespace cwb::ui {

namespace {

using M = ReportTableModel;

M::Row metricRow(const QString& name, double a, double b, int decimals, bool percent = false) {
    auto cell = [&](double v) { return percent ? M::percent(v, 1) : M::number(v, decimals); };
    return {M::text(name), cell(a), cell(b), cell(b - a)};
}

void fillComparedMetrics(ReportTableModel& model, const ModelComparison& c, const CutoffOutcome& a,
                         const CutoffOutcome& b) {
    std::vector<M::Row> rows;
    rows.push_back(metricRow(QStringLiteral("AUC"), c.a.auc, c.b.auc, 4));
    rows.push_back(metricRow(QStringLiteral("Gini"), c.a.gini, c.b.gini, 4));
    rows.push_back(metricRow(QStringLiteral("KS"), c.a.ks, c.b.ks, 4));
    rows.push_back(metricRow(QStringLiteral("Brier"), c.a.brier, c.b.brier, 4));
    rows.push_back(metricRow(QStringLiteral("Log loss"), c.a.logLoss, c.b.logLoss, 4));
    rows.push_back(metricRow(QStringLiteral("Approval rate at cutoff"), a.approvalRate(),
                             b.approvalRate(), 4, true));
    rows.push_back(
        metricRow(QStringLiteral("Bad rate of the approved"), a.badRate(), b.badRate(), 4, true));
    rows.push_back({M::text(QStringLiteral("Rows compared")), M::count(c.a.rows),
                    M::count(c.b.rows), M::text(QString())});
    model.setTable(
        {QObject::tr("Metric"), QObject::tr("A: %1").arg(QString::fromStdString(c.nameA)),
         QObject::tr("B: %1").arg(QString::fromStdString(c.nameB)), QObject::tr("B − A")},
        std::move(rows));
}

M::Row swapGroupRow(const QString& name, std::size_t rows, std::size_t bads) {
    return {M::text(name), M::count(rows), M::count(bads),
            M::percent(rows == 0 ? 0.0 : static_cast<double>(bads) / static_cast<double>(rows))};
}

void fillSwapSummary(ReportTableModel& model, const SwapSet& s) {
    std::vector<M::Row> rows;
    rows.push_back(
        swapGroupRow(QObject::tr("Approved by both"), s.bothApproved, s.bothApprovedBads));
    rows.push_back(
        swapGroupRow(QObject::tr("Approved by A only (swapped out by B)"), s.onlyA, s.onlyABads));
    rows.push_back(
        swapGroupRow(QObject::tr("Approved by B only (swapped in by B)"), s.onlyB, s.onlyBBads));
    rows.push_back(
        swapGroupRow(QObject::tr("Declined by both"), s.bothDeclined, s.bothDeclinedBads));
    model.setTable(
        {QObject::tr("Group"), QObject::tr("Rows"), QObject::tr("Bads"), QObject::tr("Bad rate")},
        std::move(rows));
}

void fillSwaps(ReportTableModel& model, const SwapSet& s) {
    std::vector<M::Row> rows;
    rows.reserve(s.swaps.size());
    for (const SwapRow& r : s.swaps)
        rows.push_back({M::count(static_cast<std::size_t>(r.line)),
                        M::text(QString::fromStdString(r.id)), M::number(r.scoreA, 0),
                        M::number(r.scoreB, 0),
                        M::text(r.approvedByA ? QObject::tr("A only") : QObject::tr("B only")),
                        M::text(r.bad ? QObject::tr("bad") : QObject::tr("good"))});
    model.setTable({QObject::tr("Line"), QObject::tr("Id"), QObject::tr("Score A"),
                    QObject::tr("Score B"), QObject::tr("Approved by"), QObject::tr("Outcome")},
                   std::move(rows));
}

}  // namespace

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
    m_job = new JobRunner(this);
    buildUi();
    connect(m_job, &JobRunner::progress, this, [this](double, const QString& text) {
        if (!text.isEmpty()) m_status->setText(tr("Comparing: %1").arg(text));
    });
    setBusy(false);
}

CompareView::~CompareView() {
    m_job->cancel();
}

void CompareView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_modelA = new QLabel(tr("no model"), this);
    form->addRow(tr("Model A (active):"), m_modelA);
    auto* bRow = new QHBoxLayout;
    m_modelB = new QLineEdit(this);
    m_modelB->setPlaceholderText(tr("Another model bundle (.cwbm) to compare with"));
    auto* chooseB = new QPushButton(tr("Choose model..."), this);
    chooseB->setToolTip(tr("Choose model B (Ctrl+Shift+B)"));
    chooseB->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    bRow->addWidget(m_modelB, 1);
    bRow->addWidget(chooseB);
    auto* bLabel = new QLabel(tr("Model &B:"), this);
    bLabel->setBuddy(m_modelB);
    form->addRow(bLabel, bRow);
    auto* dataRow = new QHBoxLayout;
    m_path = new QLineEdit(this);
    m_path->setPlaceholderText(tr("A labelled CSV file both models can score"));
    auto* chooseData =
        makeChooseButton(tr("Choose..."), tr("Choose the labelled file (Ctrl+Shift+O)"), this);
    m_run = makeRunButton(tr("Compare"), tr("Score the file with both models (Ctrl+R)"), this);
    m_cancel = makeCancelButton(tr("Stop the comparison (Esc)"), this);
    dataRow->addWidget(m_path, 1);
    dataRow->addWidget(chooseData);
    dataRow->addWidget(m_run);
    dataRow->addWidget(m_cancel);
    m_export = new QPushButton(tr("E&xport report..."), this);
    m_export->setObjectName("exportReport");
    m_export->setToolTip(
        tr("Comparison report at the cutoffs shown, previewed before saving as "
           "PDF or Excel"));
    dataRow->addWidget(m_export);
    auto* dataLabel = new QLabel(tr("&Data file:"), this);
    dataLabel->setBuddy(m_path);
    form->addRow(dataLabel, dataRow);
    layout->addLayout(form);

    const JobProgressRow progressRow = makeJobProgressRow(m_job, this, 3);
    m_progress = progressRow.bar;
    m_progress->setMaximumHeight(12);
    m_status = progressRow.status;
    m_status->setText(tr("Choose model B and a labelled file, then press Compare."));
    layout->addLayout(progressRow.layout);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_panels.tables["metrics"] = new TablePanel(QStringLiteral("comparison"), left);
    leftLayout->addWidget(m_panels.tables["metrics"], 3);
    auto* cutoffs = new QGroupBox(tr("Cutoffs (approve at or above)"), left);
    auto* cutoffLayout = new QFormLayout(cutoffs);
    m_cutoffA = new QSpinBox(cutoffs);
    m_cutoffB = new QSpinBox(cutoffs);
    for (QSpinBox* s : {m_cutoffA, m_cutoffB}) {
        s->setRange(0, 2000);
        s->setSuffix(tr(" points"));
        connect(s, &QSpinBox::valueChanged, this, [this] { refreshSwaps(); });
    }
    auto* aLabel = new QLabel(tr("Model A cut&off:"), cutoffs);
    aLabel->setBuddy(m_cutoffA);
    auto* bCutLabel = new QLabel(tr("Model B c&utoff:"), cutoffs);
    bCutLabel->setBuddy(m_cutoffB);
    cutoffLayout->addRow(aLabel, m_cutoffA);
    cutoffLayout->addRow(bCutLabel, m_cutoffB);
    m_swapSummary = new QLabel(cutoffs);
    m_swapSummary->setWordWrap(true);
    cutoffLayout->addRow(m_swapSummary);
    leftLayout->addWidget(cutoffs);
    m_panels.tables["swap-summary"] = new TablePanel(QStringLiteral("swap-summary"), left);
    leftLayout->addWidget(m_panels.tables["swap-summary"], 2);
    splitter->addWidget(left);

    m_tabs = new QTabWidget(splitter);
    const std::pair<const char*, QString> charts[] = {
        {"roc", tr("ROC")}, {"precision-recall", tr("Precision-recall")}, {"gains", tr("Gains")}};
    for (const auto& [key, title] : charts) {
        auto* panel = new ChartPanel(QStringLiteral("compare-") + QString::fromLatin1(key), m_tabs);
        m_panels.charts[QString::fromLatin1(key)] = panel;
        m_tabs->addTab(panel, title);
    }
    m_panels.tables["swaps"] = new TablePanel(QStringLiteral("swap-set"), m_tabs);
    m_tabs->addTab(m_panels.tables["swaps"], tr("Swap set"));
    m_panels.forwardExports(this, [this](const QString& message) { emit statusMessage(message); });
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    // Wide enough for the side-by-side metric columns; the charts take the rest.
    splitter->setSizes({560, 800});
    layout->addWidget(splitter, 1);

    connect(chooseB, &QPushButton::clicked, this, &CompareView::chooseModelB);
    connect(chooseData, &QPushButton::clicked, this, &CompareView::chooseData);
    connect(m_run, &QPushButton::clicked, this, &CompareView::compare);
    connect(m_cancel, &QPushButton::clicked, this, &CompareView::cancel);
    connect(m_export, &QPushButton::clicked, this, &CompareView::exportReport);
    for (QLineEdit* e : {m_modelB, m_path})
        connect(e, &QLineEdit::textChanged, this, [this] { setBusy(isRunning()); });
}

void CompareView::setModel(std::shared_ptr<const ModelBundle> bundle) {
    m_job->cancel();
    m_bundleA = std::move(bundle);
    m_modelA->setText(m_bundleA ? QString::fromStdString(m_bundleA->name + " (" +
                                                         m_bundleA->model->algorithm() + ")")
                                : tr("no model"));
    m_result.reset();
    m_swaps.reset();
    showComparison();
    setBusy(isRunning());
}

void CompareView::setModelBFile(const QString& path) {
    m_modelB->setText(path);
}

void CompareView::setDataFile(const QString& path) {
    m_path->setText(path);
}

void CompareView::chooseModelB() {
    const QString path = chooseFileNearRecent(this, tr("Choose model B"), QStringLiteral("models"),
                                              tr("Model bundles (*.cwbm)"));
    if (!path.isEmpty()) setModelBFile(path);
}

void CompareView::chooseData() {
    const QString path =
        chooseFileNearRecent(this, tr("Choose a labelled file"), QStringLiteral("labelled"),
                             tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty()) setDataFile(path);
}

bool CompareView::compare() {
    const QString modelB = m_modelB->text().trimmed(), data = m_path->text().trimmed();
    if (!m_bundleA || modelB.isEmpty() || data.isEmpty() || isRunning()) return false;
    auto bundleA = m_bundleA;
    const bool started = startForResult<Result>(
        m_job, this,
        [=](ProgressToken& token, std::optional<Result>& result) -> QString {
            token.report(0.0, "reading model B", true);
            auto b = loadBundle(modelB.toStdString());
            if (!b) return QString::fromStdString(b.error().message);
            auto bundleB = std::make_shared<const ModelBundle>(std::move(*b));
            auto c = compareModels(*bundleA, *bundleB, data.toStdString(), "", "", &token);
            if (!c) return QString::fromStdString(c.error().message);
            result = Result{bundleB, std::move(*c)};
            return {};
        },
        [this](bool canceled, const QString& error,
               const std::shared_ptr<std::optional<Result>>& result) {
            onFinished(canceled, error, result);
        });
    if (!started) return false;
    addRecentFile("labelled", data);
    m_progress->setValue(0);
    m_status->setText(tr("Comparing on %1...").arg(QFileInfo(data).fileName()));
    setBusy(true);
    return true;
}

void CompareView::cancel() {
    m_job->cancel();
}

bool CompareView::isRunning() const {
    return m_job->isRunning();
}

void CompareView::onFinished(bool canceled, const QString& error,
                             const std::shared_ptr<std::optional<Result>>& result) {
    setBusy(false);
    const bool ok = !canceled && error.isEmpty() && result->has_value();
    showJobEnd(m_progress, ok);
    QString message;
    if (canceled) {
        message = tr("Comparison cancelled; the figures shown are unchanged.");
    } else if (!ok) {
        message = tr("Cannot compare: %1").arg(error);
    } else {
        m_result = std::move(*result);
        const ModelComparison& c = m_result->comparison;
        message = tr("Compared on %1 rows both models could score.").arg(c.a.rows);
        if (c.rowsOnlyA + c.rowsOnlyB > 0)
            message += tr(" %1 rows were scored by one model only and left out.")
                           .arg(c.rowsOnlyA + c.rowsOnlyB);
        showComparison();
    }
    m_status->setText(message);
    m_export->setEnabled(m_result.has_value());
    emit statusMessage(message);
    emit compared(ok, canceled, message);
}

void CompareView::showComparison() {
    if (!m_result) {
        m_panels.clear();
        m_swapSummary->clear();
        return;
    }
    const ModelComparison& c = m_result->comparison;
    const std::vector<NamedReport> both{{tr("A: %1").arg(QString::fromStdString(c.nameA)), &c.a},
                                        {tr("B: %1").arg(QString::fromStdString(c.nameB)), &c.b}};
    m_panels.charts["roc"]->setData(rocChart(both));
    m_panels.charts["precision-recall"]->setData(precisionRecallChart(both));
    m_panels.charts["gains"]->setData(gainsChart(both));
    const QSignalBlocker a(m_cutoffA), b(m_cutoffB);
    m_cutoffA->setValue(static_cast<int>(std::lround(m_bundleA->policy.declineBelow)));
    m_cutoffB->setValue(static_cast<int>(std::lround(m_result->bundleB->policy.declineBelow)));
    refreshSwaps();
}

void CompareView::setCutoffs(int cutoffA, int cutoffB) {
    {
        const QSignalBlocker a(m_cutoffA), b(m_cutoffB);
        m_cutoffA->setValue(cutoffA);
        m_cutoffB->setValue(cutoffB);
    }
    refreshSwaps();
}

int CompareView::cutoffA() const {
    return m_cutoffA->value();
}

int CompareView::cutoffB() const {
    return m_cutoffB->value();
}

QString CompareView::statusText() const {
    return m_status->text();
}

void CompareView::refreshSwaps() {
    if (!m_result) return;
    const ModelComparison& c = m_result->comparison;
    // O(rows), a few milliseconds even for a large file: fine on the GUI thread.
    m_swaps = swapSet(c.a.points, c.b.points, c.a.bad, cutoffA(), cutoffB(), c.a.lines, c.a.ids);
    fillComparedMetrics(*m_panels.tables["metrics"]->model(), c, c.a.cutoffs.at(cutoffA()),
                        c.b.cutoffs.at(cutoffB()));
    fillSwapSummary(*m_panels.tables["swap-summary"]->model(), *m_swaps);
    fillSwaps(*m_panels.tables["swaps"]->model(), *m_swaps);
    m_swapSummary->setText(
        tr("B swaps out %1 applicants A approves (%2 of them bad) and swaps in %3 that A "
           "declines (%4 bad).")
            .arg(m_swaps->onlyA)
            .arg(m_swaps->onlyABads)
            .arg(m_swaps->onlyB)
            .arg(m_swaps->onlyBBads));
}

ChartPanel* CompareView::chart(const QString& name) const {
    return m_panels.chart(name);
}

TablePanel* CompareView::table(const QString& name) const {
    return m_panels.table(name);
}

QStringList CompareView::tableNames() const {
    return m_panels.tableNames();
}

void CompareView::showTab(const QString& name) {
    m_panels.showTab(m_tabs, name);
}

ReportPreviewDialog* CompareView::exportReport() {
    if (!m_result || isRunning()) {
        m_status->setText(tr("Compare two models first, then export the report."));
        return nullptr;
    }
    ComparisonRequest request;
    request.bundleA = m_bundleA;
    request.bundleB = m_result->bundleB;
    request.dataPath = m_result->comparison.a.dataPath;
    request.cutoffA = cutoffA();
    request.cutoffB = cutoffB();
    // The figures are computed already; the worker only lays them out and draws the pages.
    auto comparison = std::make_shared<const ModelComparison>(m_result->comparison);
    auto* dialog = new ReportPreviewDialog(
        tr("Model comparison report"), QStringLiteral("comparison-report"),
        [comparison, request](ProgressToken&) -> cwb::Result<ReportDocument> {
            return comparisonDocument(*comparison, request);
        },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->start();
    return dialog;
}

void CompareView::setBusy(bool busy) {
    m_export->setEnabled(!busy && m_result.has_value());
    enableJobControls(
        busy,
        m_bundleA && !m_modelB->text().trimmed().isEmpty() && !m_path->text().trimmed().isEmpty(),
        m_run, m_cancel, {m_modelB, m_path});
}

}  // namespace cwb::ui
