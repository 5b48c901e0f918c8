#pragma once
// The scorecard editor: every characteristic's bins with counts, bad rate, WoE and points;
// merge or split bins by hand and watch IV, points and the development AUC update (the
// regression is refitted on a worker, decision 10); undo, redo, reset; save the edited
// scorecard as a bundle. It edits a freshly trained scorecard (from the training view) or the
// active model when it is a scorecard and its training file is at hand.

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

#include "model/ScorecardEditing.h"
#include "scoring/ModelBundle.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QTableWidget;

namespace cwb::ui {

class BinTableModel;
class HistogramChart;
class JobRunner;

class ScorecardEditor : public QWidget {
    Q_OBJECT
public:
    explicit ScorecardEditor(QWidget* parent = nullptr);
    ~ScorecardEditor() override;

    // Starts editing bundle's scorecard on its development data; ready() follows.
    void setSource(std::shared_ptr<const ModelBundle> bundle,
                   std::shared_ptr<const EncodedData> development);
    // Reads the development data from the bundle's training file first.
    void setSourceFromFile(std::shared_ptr<const ModelBundle> bundle, const QString& dataPath);
    // The active model of the window: offered for editing when it is a scorecard.
    void setActiveModel(std::shared_ptr<const ModelBundle> bundle);

    void selectCharacteristic(const QString& feature);
    QString currentCharacteristic() const;
    // Edits of the shown characteristic, bins numbered from 0; edited() follows.
    bool mergeBins(int first, int second);
    bool splitBinAt(int bin, double cut);
    bool splitOffLevel(int bin, int level);
    bool mergeSelected();  // two selected bins, or one with the next
    void splitSelected();  // asks for the cut point or the level
    void undo();
    void redo();
    void reset();
    void cancel();
    bool isBusy() const;
    // Writes the shown state as a bundle; saved() follows.
    bool saveModel(const QString& path);

    std::shared_ptr<const ScorecardState> state() const;
    std::shared_ptr<const ScorecardState> trainedState() const;
    BinTableModel* binModel() const { return m_binModel; }
    QString statusText() const;
    QString summaryText() const;

signals:
    void ready(bool ok, const QString& message);
    void edited(bool ok, const QString& message);
    void saved(bool ok, const QString& path, const QString& message);
    void statusMessage(const QString& text);

private:
    void buildUi();
    void startEdit(const ScorecardEdit& edit);
    void onEditFinished(bool canceled, const QString& error);
    void install(Result<cwb::ScorecardEditSession> editor);
    void showState();
    void showCharacteristic(int feature);
    void refreshButtons();
    void setStatus(const QString& text, bool error = false);
    void editActiveModel();
    QString describe(const ScorecardEdit& edit) const;
    void saveAs();

    std::shared_ptr<const ModelBundle> m_bundle;
    std::shared_ptr<const ModelBundle> m_active;
    std::shared_ptr<const cwb::ScorecardEditSession> m_editor;
    std::vector<std::shared_ptr<const ScorecardState>> m_history;
    std::size_t m_current = 0;
    std::shared_ptr<std::optional<Result<ScorecardState>>> m_pending;
    int m_feature = -1;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_saving = false;
    JobRunner* m_job = nullptr;

    QLabel* m_title = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_warnings = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_progress = nullptr;
    QTableWidget* m_characteristics = nullptr;
    QTableView* m_binTable = nullptr;
    BinTableModel* m_binModel = nullptr;
    HistogramChart* m_chart = nullptr;
    QPushButton* m_editActive = nullptr;
    QPushButton* m_merge = nullptr;
    QPushButton* m_split = nullptr;
    QPushButton* m_undo = nullptr;
    QPushButton* m_redo = nullptr;
    QPushButton* m_reset = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_save = nullptr;
};

}  // namespace cwb::ui
