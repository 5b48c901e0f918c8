#pragma once
// Batch scoring: choose a file (dialog or drag and drop), preview it with its detected dialect
// and schema problems, run the scorer on a worker with progress, rows/second and Cancel, browse
// the results (sort; filter by decision and score range), read the summary, export results and
// rejects.

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QWidget>

#include <memory>
#include <optional>

#include "scoring/BatchScorer.h"
#include "ui/batch/BatchPreview.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTableWidget;
class QTabWidget;

namespace cwb::ui {

class ColumnFitter;

class ReportPreviewDialog;

class BatchResultsModel;
class BatchSummaryPanel;
class GuiMetrics;
class JobRunner;

class BatchView : public QWidget {
    Q_OBJECT
public:
    explicit BatchView(QWidget* parent = nullptr);
    ~BatchView() override;

    void setModel(std::shared_ptr<const ModelBundle> bundle, int reasons, int threads);
    // The bundle's file, for the batch report's SHA-256.
    void setModelPath(const QString& path) { m_modelPath = path; }
    // Where finished batches are recorded (rows, decisions, PSI; then a push); may be null.
    void setMetrics(GuiMetrics* metrics) { m_metrics = metrics; }
    // Starts the preview of a file (on a worker); previewReady() follows.
    void setInputFile(const QString& path);
    const std::optional<BatchPreview>& preview() const { return m_preview; }
    // Starts scoring the previewed file; runFinished() follows.
    bool run();
    void cancel();
    bool isRunning() const;
    // Writes the rows shown (filtered and sorted) or the rejects; exportFinished() follows.
    bool exportResults(const QString& path);
    // The batch report of the chosen file (decisions, score distribution, stability, reasons
    // among declines, the bundle's SHA-256), computed on a worker and previewed before it is
    // saved as PDF or Excel; null when no model or usable file is chosen.
    ReportPreviewDialog* exportReport();
    bool exportRejects(const QString& path);
    void chooseFile();
    void showResults();
    void showSummary();

    BatchResultsModel* resultsModel() const { return m_model; }
    BatchSummaryPanel* summaryPanel() const { return m_summary; }
    QTableView* resultsTable() const { return m_table; }
    const std::optional<BatchSummary>& lastRun() const { return m_lastRun; }
    QString statusText() const;
    // Which file, run and model the results shown belong to ("No results" when none): results
    // are cleared when another file or model is chosen, so they can never be taken for another's.
    QString resultsSourceText() const;
    // Asks for the explanation of the applicant on a shown results row (double-click): finds
    // its data row in the input file (skipping rejected rows); explainRequested() follows.
    bool explainResultRow(int viewRow);
    // Applies the filter controls (decision boxes and score range) to the results.
    void setFilter(bool approve, bool refer, bool decline, int minScore, int maxScore);

signals:
    void previewReady();
    // ok: results are shown; canceled: the user stopped it. message says what happened.
    void runFinished(bool ok, bool canceled, const QString& message);
    // Results and summary are ready after a run (the results file is indexed).
    void resultsReady();
    void exportFinished(bool ok, const QString& message);
    void statusMessage(const QString& text);
    // The applicant of data row dataRow (1-based) of inputFile, whose id (if any) is id.
    void explainRequested(const QString& inputFile, long dataRow, const QString& id);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildUi();
    void showPreview();
    void onRunProgress(const QString& text);
    void onRunFinished(bool canceled, const QString& error);
    void recordRun(const std::string& model, const BatchSummary& summary, const DriftSpec& drift);
    void onResultsLoaded(bool ok, const QString& message);
    void applyFilterControls();
    void setBusy(bool busy, const QString& what);
    void refreshButtons();
    void exportAs(bool rejects);
    // Drops the results, summary and rejects of the last run; `why` is shown where they were.
    void clearResults(const QString& why);

    std::shared_ptr<const ModelBundle> m_bundle;
    QString m_modelPath;
    int m_reasons = 4;
    int m_threads = 0;
    std::optional<BatchPreview> m_preview;
    std::optional<BatchSummary> m_lastRun;
    QString m_outputPath;
    QString m_runningFile;  // the input file of the run in progress
    QString m_resultsFile;  // the input file the results shown were scored from
    const ModelBundle* m_resultsModel = nullptr;  // and the model that scored them
    int m_resultsReasons = 0;
    quint64 m_previewGeneration = 0;
    int m_runCount = 0;
    QTemporaryDir m_workDir;  // results live here until exported
    QElapsedTimer m_clock;
    // Rows read by the running batch (BatchOptions::rowsDone), shared with the worker.
    std::shared_ptr<std::atomic<std::uint64_t>> m_rowsDone;
    JobRunner* m_job = nullptr;
    GuiMetrics* m_metrics = nullptr;

    QLineEdit* m_path = nullptr;
    QPushButton* m_exportReport = nullptr;
    QPushButton* m_choose = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_exportResults = nullptr;
    QPushButton* m_exportRejects = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_dialect = nullptr;
    QLabel* m_problems = nullptr;
    QTableWidget* m_previewTable = nullptr;
    QTabWidget* m_tabs = nullptr;
    QCheckBox* m_decisionBoxes[3] = {nullptr, nullptr, nullptr};
    QSpinBox* m_minScore = nullptr;
    QSpinBox* m_maxScore = nullptr;
    QLabel* m_shown = nullptr;
    QLabel* m_resultsSource = nullptr;
    QTableView* m_table = nullptr;
    ColumnFitter* m_columnFitter = nullptr;
    BatchResultsModel* m_model = nullptr;
    BatchSummaryPanel* m_summary = nullptr;
};

}  // namespace cwb::ui
