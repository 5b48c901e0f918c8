#include "ui/batch/BatchView.h"

#include <QCheckBox>

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTime>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>
#include "data/AtomicFile.h"

#include "eval/PsiSample.h"
#include "report/BatchReport.h"
#include "ui/batch/BatchResultsModel.h"
#include "ui/batch/BatchSummaryPanel.h"
#include "ui/common/AppSettings.h"
#include "ui/common/Async.h"
#include "ui/common/GuiMetrics.h"
#include "ui/common/JobRunner.h"
#include "ui/reports/ReportPreviewDialog.h"
#include "ui/widgets/ColumnFit.h"
#include "ui/widgets/JobControls.h"
#include "ui/widgets/ScorePanel.h"

namespace cwb::ui {

BatchView::BatchView(QWidget* parent) : QWidget(parent) {
    m_job = new JobRunner(this);
    m_model = new BatchResultsModel(this);
    buildUi();
    setAcceptDrops(true);
    connect(m_job, &JobRunner::progress, this,
            [this](double, const QString& text) { onRunProgress(text); });
    connect(m_model, &BatchResultsModel::loaded, this, &BatchView::onResultsLoaded);
    connect(m_model, &BatchResultsModel::viewChanged, this, [this] {
        const auto index = m_model->resultsIndex();
        m_shown->setText(
            tr("Showing %1 of %2 rows")
                .arg(QLocale().toString(m_model->rowCount()),
                     QLocale().toString(index ? static_cast<qlonglong>(index->rows()) : 0)));
    });
    refreshButtons();
}

BatchView::~BatchView() {
    // The worker writes into m_workDir; stop it before the directory is removed.
    m_job->cancel();
    m_job->waitForFinished();
}

void BatchView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    auto* fileRow = new QHBoxLayout;
    auto* fileLabel = new QLabel(tr("F&ile:"), this);
    m_path = new QLineEdit(this);
    m_path->setObjectName("batchPath");
    m_path->setPlaceholderText(tr("Choose a CSV file or drop one here"));
    fileLabel->setBuddy(m_path);
    m_choose =
        makeChooseButton(tr("Ch&oose..."), tr("Choose the file to score (Ctrl+Shift+O)"), this);
    m_run = makeRunButton(tr("&Run"), tr("Score the file (Ctrl+R)"), this);
    m_cancel = makeCancelButton(tr("Stop the running job (Esc); no partial output is kept"), this);
    fileRow->addWidget(fileLabel);
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_choose);
    fileRow->addWidget(m_run);
    fileRow->addWidget(m_cancel);
    m_exportReport = new QPushButton(tr("Export report..."), this);
    m_exportReport->setObjectName("exportReport");
    m_exportReport->setToolTip(
        tr("Batch report of this file (decisions, score distribution, stability, reasons among "
           "declines), previewed before saving as PDF or Excel"));
    fileRow->addWidget(m_exportReport);
    layout->addLayout(fileRow);
    const JobProgressRow progressRow = makeJobProgressRow(m_job, this, 2);
    m_progress = progressRow.bar;
    m_progress->setValue(0);
    m_status = progressRow.status;
    m_status->setObjectName("batchStatus");
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    layout->addLayout(progressRow.layout);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    auto* previewBox = new QWidget(splitter);
    auto* previewLayout = new QVBoxLayout(previewBox);
    previewLayout->setContentsMargins(0, 0, 0, 0);
    m_dialect = new QLabel(previewBox);
    m_dialect->setObjectName("previewDialect");
    m_problems = new QLabel(previewBox);
    m_problems->setObjectName("previewProblems");
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_previewTable = new QTableWidget(previewBox);
    m_previewTable->setObjectName("previewTable");
    m_previewTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    previewLayout->addWidget(m_dialect);
    previewLayout->addWidget(m_problems);
    previewLayout->addWidget(m_previewTable, 1);

    m_tabs = new QTabWidget(splitter);
    auto* results = new QWidget(m_tabs);
    auto* resultsLayout = new QVBoxLayout(results);
    m_resultsSource = new QLabel(tr("No results yet: choose a file and run it."), results);
    m_resultsSource->setObjectName("resultsSource");
    m_resultsSource->setWordWrap(true);
    m_resultsSource->setTextInteractionFlags(Qt::TextSelectableByMouse);
    resultsLayout->addWidget(m_resultsSource);
    auto* filterRow = new QHBoxLayout;
    filterRow->addWidget(new QLabel(tr("Show:"), results));
    const Decision decisions[3] = {Decision::Approve, Decision::Refer, Decision::Decline};
    const QString mnemonic[3] = {tr("A&pprove"), tr("R&efer"), tr("&Decline")};
    for (int i = 0; i < 3; ++i) {
        m_decisionBoxes[i] = new QCheckBox(mnemonic[i], results);
        m_decisionBoxes[i]->setChecked(true);
        m_decisionBoxes[i]->setObjectName(QString::fromStdString(toString(decisions[i])) + "Box");
        filterRow->addWidget(m_decisionBoxes[i]);
        connect(m_decisionBoxes[i], &QCheckBox::toggled, this, &BatchView::applyFilterControls);
    }
    auto* scoreLabel = new QLabel(tr("&Score from"), results);
    m_minScore = new QSpinBox(results);
    m_maxScore = new QSpinBox(results);
    for (QSpinBox* s : {m_minScore, m_maxScore}) {
        s->setRange(-99999, 99999);
        s->setKeyboardTracking(false);  // filter on Enter or focus change, not every digit
        connect(s, &QSpinBox::valueChanged, this, &BatchView::applyFilterControls);
    }
    m_minScore->setValue(-99999);
    m_maxScore->setValue(99999);
    scoreLabel->setBuddy(m_minScore);
    filterRow->addSpacing(12);
    filterRow->addWidget(scoreLabel);
    filterRow->addWidget(m_minScore);
    filterRow->addWidget(new QLabel(tr("to"), results));
    filterRow->addWidget(m_maxScore);
    filterRow->addSpacing(12);
    m_shown = new QLabel(results);
    m_shown->setObjectName("shownRows");
    filterRow->addWidget(m_shown, 1);
    m_exportResults = new QPushButton(tr("E&xport results..."), results);
    m_exportResults->setObjectName("exportResultsButton");
    m_exportResults->setToolTip(tr("Write the rows shown, in this order, to a CSV file"));
    m_exportRejects = new QPushButton(tr("Export re&jects..."), results);
    filterRow->addWidget(m_exportResults);
    filterRow->addWidget(m_exportRejects);
    resultsLayout->addLayout(filterRow);
    m_table = new QTableView(results);
    m_table->setObjectName("resultsTable");
    m_table->setModel(m_model);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);
    // Uniform rows: the view never measures a million rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Qt measures sizeHintForColumn over this many rows (must stay > 0: with 0, a hidden
    // table measures every row). See onResultsLoaded().
    m_table->verticalHeader()->setResizeContentsPrecision(50);
    m_table->horizontalHeader()->setResizeContentsPrecision(50);
    m_table->setToolTip(tr("Double-click a row to open its explanation"));
    // Reason columns share the window's width, each on one line (see onResultsLoaded).
    m_columnFitter =
        new ColumnFitter(m_table, fontMetrics().horizontalAdvance(QStringLiteral("Credit amount")));
    connect(m_table, &QTableView::doubleClicked, this,
            [this](const QModelIndex& index) { explainResultRow(index.row()); });
    resultsLayout->addWidget(m_table, 1);
    m_tabs->addTab(results, tr("Resul&ts"));
    m_summary = new BatchSummaryPanel(m_tabs);
    m_tabs->addTab(m_summary, tr("S&ummary"));
    splitter->addWidget(previewBox);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({220, 680});
    layout->addWidget(splitter, 1);

    connect(m_choose, &QPushButton::clicked, this, &BatchView::chooseFile);
    connect(m_path, &QLineEdit::returnPressed, this, [this] { setInputFile(m_path->text()); });
    connect(m_run, &QPushButton::clicked, this, &BatchView::run);
    connect(m_cancel, &QPushButton::clicked, this, &BatchView::cancel);
    connect(m_exportResults, &QPushButton::clicked, this, [this] { exportAs(false); });
    connect(m_exportReport, &QPushButton::clicked, this, &BatchView::exportReport);
    connect(m_exportRejects, &QPushButton::clicked, this, [this] { exportAs(true); });
}

void BatchView::setModel(std::shared_ptr<const ModelBundle> bundle, int reasons, int threads) {
    m_bundle = std::move(bundle);
    m_reasons = reasons;
    m_threads = threads;
    // Results scored by another model (or with another number of reasons) are not this
    // model's results; keeping them visible and exportable would mislead.
    if (m_resultsModel && (m_resultsModel != m_bundle.get() || m_resultsReasons != m_reasons))
        clearResults(tr("The model changed: run the file again to see its results."));
    // A preview's problems depend on the model: check the file again.
    if (m_preview) setInputFile(m_preview->path);
    refreshButtons();
}

void BatchView::chooseFile() {
    const QString path =
        chooseFileNearRecent(this, tr("Choose a file to score"), QStringLiteral("batches"),
                             tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty()) setInputFile(path);
}

void BatchView::setInputFile(const QString& path) {
    m_path->setText(path);
    m_preview.reset();
    // The results of another file must not stay on screen under this one's name.
    if (!m_resultsFile.isEmpty() && QFileInfo(path) != QFileInfo(m_resultsFile))
        clearResults(tr("Another file was chosen: run it to see its results."));
    const quint64 generation = ++m_previewGeneration;
    if (!m_bundle) {
        m_status->setText(tr("Open a model first."));
        refreshButtons();
        return;
    }
    m_status->setText(tr("Reading %1...").arg(QFileInfo(path).fileName()));
    auto bundle = m_bundle;
    runAsync(
        this, [path, bundle] { return previewBatchFile(path, *bundle); },
        [this, generation](BatchPreview preview) {
            if (generation != m_previewGeneration) return;  // another file was chosen since
            m_preview = std::move(preview);
            if (m_preview->usable()) addRecentFile("batches", m_preview->path);
            showPreview();
            refreshButtons();
            emit previewReady();
        });
    refreshButtons();
}

void BatchView::showPreview() {
    const BatchPreview& p = *m_preview;
    m_dialect->setText(
        tr("<b>%1</b>: %2 bytes, %3 columns, %4.")
            .arg(QFileInfo(p.path).fileName().toHtmlEscaped(), QLocale().toString(p.fileSize))
            .arg(p.header.size())
            .arg(p.dialect));
    QStringList lines;
    if (!p.error.isEmpty())
        lines << tr("<b>Cannot score this file:</b> %1").arg(p.error.toHtmlEscaped());
    for (const QString& problem : p.problems)
        lines << problem.toHtmlEscaped();
    if (lines.isEmpty()) lines << tr("No problems found in the first rows.");
    m_problems->setText(lines.join(QStringLiteral("<br>")));
    // At most 20 rows: a small widget table is fine here, unlike the results.
    m_previewTable->clear();
    m_previewTable->setColumnCount(static_cast<int>(p.header.size()));
    m_previewTable->setRowCount(static_cast<int>(p.rows.size()));
    m_previewTable->setHorizontalHeaderLabels(p.header);
    for (int r = 0; r < p.rows.size(); ++r)
        for (int c = 0; c < p.rows[r].size() && c < p.header.size(); ++c)
            m_previewTable->setItem(r, c, new QTableWidgetItem(p.rows[r][c]));
    m_previewTable->resizeColumnsToContents();
    m_status->setText(p.usable() ? tr("Ready to score.") : tr("This file cannot be scored."));
}

bool BatchView::run() {
    if (!m_bundle || !m_preview || !m_preview->usable() || m_job->isRunning()) return false;
    if (!m_workDir.isValid()) {
        m_status->setText(
            tr("Cannot create a folder for results: %1").arg(m_workDir.errorString()));
        return false;
    }
    // A new file per run: the results model may still read the previous one.
    ++m_runCount;
    m_outputPath = m_workDir.filePath(QStringLiteral("results-%1.csv").arg(m_runCount));
    BatchOptions options;
    options.input = m_preview->path.toStdString();
    options.encoding = m_preview->encoding;  // as the preview read it
    m_runningFile = m_preview->path;
    options.output = m_outputPath.toStdString();
    options.rejects = (m_outputPath + ".rejects.csv").toStdString();
    options.reasons = m_reasons;
    // The reason columns show what counted against each applicant (the text for its value).
    options.reasonTexts = true;
    options.threads = m_threads;
    // PSI for the metrics is counted while scoring, as in cwb score (fixed-size histograms).
    auto drift = std::make_shared<const DriftSpec>(DriftSpec::fromBundle(*m_bundle));
    options.drift = drift->empty() ? nullptr : drift.get();
    m_rowsDone = std::make_shared<std::atomic<std::uint64_t>>(0);
    options.rowsDone = m_rowsDone.get();
    auto summary = std::make_shared<BatchSummary>();
    auto errorKind = std::make_shared<ErrorKind>(ErrorKind::Failure);
    auto bundle = m_bundle;
    clearResults(
        tr("Scoring %1 (run %2)...").arg(QFileInfo(m_preview->path).fileName()).arg(m_runCount));
    m_clock.start();
    setBusy(true, tr("Scoring %1...").arg(QFileInfo(m_preview->path).fileName()));
    connect(
        m_job, &JobRunner::finished, this,
        [this, bundle, summary, drift, errorKind](bool canceled, const QString& error) {
            if (!canceled && error.isEmpty()) {
                m_lastRun = *summary;
                recordRun(bundle->name, *summary, *drift);
            } else if (!canceled && m_metrics) {
                m_metrics->countError(*errorKind);
            }
            onRunFinished(canceled, error);
        },
        Qt::SingleShotConnection);
    // drift is captured so the spec outlives the scoring that points at it.
    // rowsDone is captured so the counter outlives the scoring that writes it.
    m_job->start([bundle, options, summary, drift, errorKind,
                  rowsDone = m_rowsDone](ProgressToken& token) -> QString {
        return runBelowGuiPriority([&]() -> QString {
            auto result = scoreFile(*bundle, options, &token);
            if (!result) {
                *errorKind = result.error().kind;
                return QString::fromStdString(result.error().message);
            }
            *summary = std::move(*result);
            return {};
        });
    });
    return true;
}

void BatchView::recordRun(const std::string& model, const BatchSummary& summary,
                          const DriftSpec& drift) {
    if (!m_metrics) return;
    // Drift gauges are set only from batches large enough to judge, so an alert on
    // cwb_score_psi never fires on the noise of a handful of rows.
    std::optional<double> scorePsi;
    std::vector<FeaturePsi> featurePsi;
    if (summary.rowsScored >= minimumPsiRows(drift.scoreBins())) {
        if (drift.hasScore() && summary.drift.scoreRows() > 0)
            scorePsi = drift.scorePsi(summary.drift);
        featurePsi = drift.featurePsi(summary.drift);
    }
    m_metrics->recordBatch(model, summary, scorePsi, featurePsi);
}

void BatchView::cancel() {
    if (!m_job->isRunning()) return;
    m_job->cancel();
    m_status->setText(tr("Cancelling..."));
}

bool BatchView::isRunning() const {
    return m_job->isRunning();
}

void BatchView::onRunProgress(const QString& text) {
    // The engine counts rows on the token (typed, not parsed from its text); rows per second
    // follow from the clock.
    const quint64 rows = m_rowsDone ? m_rowsDone->load(std::memory_order_relaxed) : 0;
    const double seconds = static_cast<double>(m_clock.elapsed()) / 1000.0;
    if (rows > 0 && seconds > 0)
        m_status->setText(
            tr("%1 rows, %2 rows/s")
                .arg(QLocale().toString(static_cast<qulonglong>(rows)),
                     QLocale().toString(static_cast<double>(rows) / seconds, 'f', 0)));
    else if (!text.isEmpty())
        m_status->setText(text);
}

void BatchView::onRunFinished(bool canceled, const QString& error) {
    setBusy(false, {});
    showJobEnd(m_progress, !canceled && error.isEmpty());
    if (canceled) {
        m_status->setText(tr("Cancelled. No results were written."));
        emit statusMessage(m_status->text());
        emit runFinished(false, true, m_status->text());
        return;
    }
    if (!error.isEmpty()) {
        m_status->setText(tr("<b>Scoring failed:</b> %1").arg(error.toHtmlEscaped()));
        emit statusMessage(tr("Scoring failed: %1").arg(error));
        emit runFinished(false, false, error);
        return;
    }
    const BatchSummary& s = *m_lastRun;
    const QString done =
        tr("%1 rows scored, %2 rejected, in %3 s (%4 rows/s).")
            .arg(QLocale().toString(static_cast<qulonglong>(s.rowsScored)),
                 QLocale().toString(static_cast<qulonglong>(s.rowsRejected)))
            .arg(s.seconds, 0, 'f', 2)
            .arg(QLocale().toString(
                s.seconds > 0 ? static_cast<double>(s.rowsRead) / s.seconds : 0.0, 'f', 0));
    m_status->setText(done);
    m_summary->setRun(s, m_bundle->sha256);
    m_resultsFile = m_runningFile;
    m_resultsModel = m_bundle.get();
    m_resultsReasons = m_reasons;
    m_resultsSource->setText(
        tr("Results of <b>%1</b>, run %2 at %3, model %4.")
            .arg(QFileInfo(m_resultsFile).fileName().toHtmlEscaped())
            .arg(m_runCount)
            .arg(
                QTime::currentTime().toString(QStringLiteral("HH:mm:ss")),
                QString::fromStdString(m_bundle ? m_bundle->name : std::string()).toHtmlEscaped()));
    m_model->load(m_outputPath, m_bundle);
    emit statusMessage(done);
    emit runFinished(true, false, done);
}

void BatchView::onResultsLoaded(bool ok, const QString& message) {
    if (!ok) {
        m_status->setText(tr("<b>Cannot show the results:</b> %1").arg(message.toHtmlEscaped()));
        return;
    }
    auto index = m_model->resultsIndex();
    auto bundle = m_bundle;
    const QString rejectsPath =
        m_lastRun ? QString::fromStdString(m_lastRun->rejectsPath) : QString();
    struct Extras {
        BatchStats stats;
        RejectList rejects;
    };
    // Histogram, PSI and the rejects list are computed away from the GUI thread.
    runAsync(
        this,
        [index, bundle, rejectsPath] {
            Extras e;
            e.stats = computeBatchStats(*index, *bundle);
            if (!rejectsPath.isEmpty())
                if (auto r = readRejects(rejectsPath, nullptr)) e.rejects = std::move(*r);
            return e;
        },
        [this, index](Extras e) {
            if (index != m_model->resultsIndex()) return;  // a newer run replaced these results
            m_summary->setStats(e.stats);
            m_summary->setRejects(std::move(e.rejects));
            if (!index->score.empty()) {
                const auto [lo, hi] = std::minmax_element(index->score.begin(), index->score.end());
                for (QSpinBox* s : {m_minScore, m_maxScore}) {
                    const QSignalBlocker block(s);
                    s->setRange(*lo, *hi);
                }
                const QSignalBlocker blockMin(m_minScore);
                const QSignalBlocker blockMax(m_maxScore);
                m_minScore->setValue(*lo);
                m_maxScore->setValue(*hi);
            }
            // The reason columns show their texts (BatchResultsModel): the text columns
            // themselves would say it twice. They stay in exported files.
            for (int c = 0; c < index->header.size(); ++c)
                m_table->setColumnHidden(
                    c, std::find(index->reasonTextColumns.begin(), index->reasonTextColumns.end(),
                                 c) != index->reasonTextColumns.end());
            // Column widths from at most 50 rows (see buildUi): each row measured is read from
            // the results file, and Qt's default of 1000 rows kept the event loop busy ~55 ms.
            // Then the reason columns share what the window has, elided on one line (the
            // whole text in each cell's tooltip) instead of wrapping or running off the edge.
            m_columnFitter->measure();
            refreshButtons();
            emit resultsReady();
        });
}

bool BatchView::explainResultRow(int viewRow) {
    const auto order = m_model->viewRowsShared();
    const auto index = m_model->resultsIndex();
    if (!order || !index || m_resultsFile.isEmpty() || viewRow < 0 ||
        static_cast<std::size_t>(viewRow) >= order->size())
        return false;
    const std::uint32_t fileRow = (*order)[static_cast<std::size_t>(viewRow)];
    // Results keep the input's order without its rejected rows: step over each rejected data
    // row (its line less the header) at or before this one.
    const RejectList& rejects = m_summary->rejectsModel()->rejects();
    if (rejects.total > static_cast<qint64>(rejects.rows.size())) {
        m_status->setText(tr("Too many rejected rows to find this applicant in the input file."));
        return false;
    }
    std::vector<qint64> rejected;
    for (const RejectRow& r : rejects.rows)
        rejected.push_back(r.line - 1);
    std::sort(rejected.begin(), rejected.end());
    long dataRow = static_cast<long>(fileRow) + 1;
    for (qint64 r : rejected)
        if (r <= dataRow) ++dataRow;
    QString id;
    if (fileRow + 1 < index->idStart.size())
        id = QString::fromUtf8(index->ids.mid(
            index->idStart[fileRow], index->idStart[fileRow + 1] - index->idStart[fileRow]));
    emit explainRequested(m_resultsFile, dataRow, id);
    return true;
}

void BatchView::setFilter(bool approve, bool refer, bool decline, int minScore, int maxScore) {
    const bool on[3] = {approve, refer, decline};
    for (int i = 0; i < 3; ++i) {
        const QSignalBlocker block(m_decisionBoxes[i]);
        m_decisionBoxes[i]->setChecked(on[i]);
    }
    const QSignalBlocker blockMin(m_minScore);
    const QSignalBlocker blockMax(m_maxScore);
    m_minScore->setValue(minScore);
    m_maxScore->setValue(maxScore);
    applyFilterControls();
}

void BatchView::applyFilterControls() {
    const bool on[3] = {m_decisionBoxes[0]->isChecked(), m_decisionBoxes[1]->isChecked(),
                        m_decisionBoxes[2]->isChecked()};
    // A range at the spin boxes' limits means "no limit", so new results are not cut off.
    const int lo = m_minScore->value() <= m_minScore->minimum() ? -1000000 : m_minScore->value();
    const int hi = m_maxScore->value() >= m_maxScore->maximum() ? 1000000 : m_maxScore->value();
    m_model->setFilter(on, lo, hi);
}

bool BatchView::exportResults(const QString& path) {
    auto index = m_model->resultsIndex();
    if (!index || m_job->isRunning()) return false;
    auto rows = m_model->viewRowsShared();
    setBusy(
        true,
        tr("Exporting rows: %1...").arg(QLocale().toString(static_cast<qulonglong>(rows->size()))));
    connect(
        m_job, &JobRunner::finished, this,
        [this, path, rows](bool canceled, const QString& error) {
            setBusy(false, {});
            const bool ok = !canceled && error.isEmpty();
            m_status->setText(
                ok ? tr("Exported rows: %1, to %2")
                         .arg(QLocale().toString(static_cast<qulonglong>(rows->size())), path)
                : canceled ? tr("Export cancelled.")
                           : tr("<b>Export failed:</b> %1").arg(error.toHtmlEscaped()));
            emit exportFinished(ok, ok ? path : error);
        },
        Qt::SingleShotConnection);
    m_job->start([index, rows, path](ProgressToken& token) -> QString {
        auto r = exportRows(*index, *rows, path, &token);
        return r ? QString() : QString::fromStdString(r.error().message);
    });
    return true;
}

bool BatchView::exportRejects(const QString& path) {
    if (!m_lastRun || m_lastRun->rejectsPath.empty() || m_job->isRunning()) return false;
    const QString source = QString::fromStdString(m_lastRun->rejectsPath);
    setBusy(true, tr("Exporting rejects..."));
    connect(
        m_job, &JobRunner::finished, this,
        [this, path](bool, const QString& error) {
            setBusy(false, {});
            m_status->setText(error.isEmpty()
                                  ? tr("Exported rejects to %1").arg(path)
                                  : tr("<b>Export failed:</b> %1").arg(error.toHtmlEscaped()));
            emit exportFinished(error.isEmpty(), error.isEmpty() ? path : error);
        },
        Qt::SingleShotConnection);
    m_job->start([source, path](ProgressToken&) -> QString {
        // Copied beside the target, synced and renamed over it: the old file is never removed
        // first, and a failed copy leaves no half file (data/AtomicFile.h).
        auto copied = copyFileAtomically(source.toStdString(), path.toStdString());
        return copied ? QString() : QString::fromStdString(copied.error().message);
    });
    return true;
}

void BatchView::exportAs(bool rejects) {
    const QString suggested =
        m_preview ? QFileInfo(m_preview->path).completeBaseName() +
                        (rejects ? QStringLiteral("_rejects.csv") : QStringLiteral("_scored.csv"))
                  : QString();
    const QString path = QFileDialog::getSaveFileName(
        this, rejects ? tr("Export rejects") : tr("Export results"),
        m_preview ? QFileInfo(m_preview->path).dir().filePath(suggested) : suggested,
        tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    if (rejects)
        exportRejects(path);
    else
        exportResults(path);
}

ReportPreviewDialog* BatchView::exportReport() {
    if (!m_bundle || !m_preview || !m_preview->usable()) {
        m_status->setText(tr("Choose a model and a file to export a batch report."));
        return nullptr;
    }
    auto bundle = m_bundle;
    const std::string modelPath = m_modelPath.toStdString();
    const std::string dataPath = m_preview->path.toStdString();
    auto* dialog = new ReportPreviewDialog(
        tr("Batch report"), QStringLiteral("batch-report"),
        [bundle, modelPath, dataPath](ProgressToken& token) -> Result<ReportDocument> {
            auto report = buildBatchReport(bundle, modelPath, dataPath, &token);
            if (!report) return report.error();
            return batchDocument(*report);
        },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->start();
    return dialog;
}

void BatchView::setBusy(bool busy, const QString& what) {
    if (busy) {
        m_progress->setValue(0);
        m_status->setText(what);
    }
    refreshButtons();
}

void BatchView::refreshButtons() {
    const bool running = m_job->isRunning();
    enableJobControls(running, m_bundle && m_preview && m_preview->usable(), m_run, m_cancel,
                      {m_choose});
    m_exportResults->setEnabled(!running && m_model->resultsIndex() != nullptr);
    m_exportReport->setEnabled(!running && m_bundle && m_preview && m_preview->usable());
    m_exportRejects->setEnabled(!running && m_lastRun && !m_lastRun->rejectsPath.empty());
}

void BatchView::clearResults(const QString& why) {
    m_lastRun.reset();
    m_model->clear();
    m_summary->clear();
    m_resultsFile.clear();
    m_resultsModel = nullptr;
    m_resultsSource->setText(why);
    m_shown->clear();
    refreshButtons();
}

QString BatchView::resultsSourceText() const {
    return m_resultsSource->text();
}

void BatchView::showResults() {
    m_tabs->setCurrentIndex(0);
}
void BatchView::showSummary() {
    m_tabs->setCurrentIndex(1);
}

QString BatchView::statusText() const {
    return m_status->text();
}

void BatchView::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile() && !m_job->isRunning())
        event->acceptProposedAction();
}

void BatchView::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty()) return;
    setInputFile(urls.first().toLocalFile());
    event->acceptProposedAction();
}

}  // namespace cwb::ui
