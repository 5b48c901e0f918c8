#pragma once
// Training: choose a labelled CSV file, read the inferred schema (types, roles, missing rates,
// IV per characteristic) and the data diagnostics, change roles and types, choose the target,
// bad value, algorithm, monotone constraints, folds and seed, train on a worker with progress
// and Cancel, compare the candidates' cross-validated results, save the bundle, and hand a
// trained scorecard to the scorecard editor.

#include <QWidget>

#include <memory>
#include <optional>

#include "pipeline/TrainPipeline.h"
#include "pipeline/TrainingSetup.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QCheckBox;
class QTableView;
class QTableWidget;

namespace cwb::ui {

class SearchTable;

class JobRunner;
class SchemaTableModel;

class TrainingView : public QWidget {
    Q_OBJECT
public:
    explicit TrainingView(QWidget* parent = nullptr);
    ~TrainingView() override;

    // Reads the file on a worker, guesses the target and shows the preview; previewReady()
    // follows.
    void setDataFile(const QString& path);
    void chooseFile();
    // Choices, as the controls set them; each change infers the schema again.
    void setTarget(const QString& column, const QString& badValue);
    // A target picked without a bad value: the value is suggested when the target's values make
    // it plain ({0, 1}, {good, bad}, ...); otherwise (German's {1, 2}) the bad value is left
    // empty, no schema is shown, and the status asks the analyst to choose it.
    void chooseTarget(const QString& column);
    // Columns given the protected role because their names or values look like protected
    // attributes (sex, age, foreign worker...); the analyst can change them in the table.
    const std::vector<std::string>& suggestedProtected() const { return m_suggestedProtected; }
    void setColumnType(const QString& column, ColumnType type);
    void setColumnRole(const QString& column, ColumnRole role);
    void setAlgorithm(Algorithm algorithm);
    void setFolds(int folds);
    void setSeed(int seed);
    // Starts training with the shown schema and settings; trainingFinished() follows.
    bool train();
    void cancel();
    bool isRunning() const;
    // Writes the trained bundle (temporary file, then rename); saved() follows.
    bool saveModel(const QString& path);

    const std::optional<TrainingPreview>& preview() const { return m_preview; }
    std::shared_ptr<const TrainReport> report() const { return m_report; }
    SchemaTableModel* schemaModel() const { return m_schema; }
    QTableWidget* candidatesTable() const { return m_candidates; }
    SearchTable* searchTable() const { return m_search; }
    QString statusText() const;

signals:
    void previewReady(bool ok);
    void trainingFinished(bool ok, bool canceled, const QString& message);
    void saved(bool ok, const QString& path, const QString& message);
    // The trained model is a scorecard and the analyst wants to edit its bins.
    void editScorecardRequested(std::shared_ptr<const cwb::TrainReport> report);
    void statusMessage(const QString& text);

private:
    void buildUi();
    void refreshPreview();
    void showPreview(Result<TrainingPreview> preview);
    void onTrainFinished(bool canceled, const QString& error);
    void showCandidates();
    void saveAs();
    void setStatus(const QString& text, bool error = false);
    void refreshButtons();

    QString m_dataPath;
    std::shared_ptr<const Table> m_table;
    TrainingChoices m_choices;
    std::vector<std::string> m_suggestedProtected;
    std::optional<TrainingPreview> m_preview;
    std::shared_ptr<const TrainReport> m_report;
    std::shared_ptr<std::optional<Result<TrainReport>>> m_pending;  // filled by the worker
    quint64 m_generation = 0;
    bool m_previewing = false;
    bool m_saving = false;
    JobRunner* m_job = nullptr;

    QLineEdit* m_path = nullptr;
    QComboBox* m_target = nullptr;
    QLineEdit* m_bad = nullptr;
    QComboBox* m_algorithm = nullptr;
    QComboBox* m_monotone = nullptr;
    QCheckBox* m_ratios = nullptr;  // auto's derived ratios (decision 51)
    QSpinBox* m_folds = nullptr;
    QSpinBox* m_seed = nullptr;
    QPushButton* m_choose = nullptr;
    QPushButton* m_train = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_save = nullptr;
    QPushButton* m_edit = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_rows = nullptr;
    QTableView* m_schemaTable = nullptr;
    SchemaTableModel* m_schema = nullptr;
    QListWidget* m_diagnostics = nullptr;
    QTableWidget* m_candidates = nullptr;
    SearchTable* m_search = nullptr;
};

}  // namespace cwb::ui
