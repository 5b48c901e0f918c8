#pragma once
// Two models on the same labelled file: model A is the active model, model B a bundle chosen
// here. Shows ROC, precision-recall and gains overlaid, the metrics side by side, and the swap
// set at each model's cutoff: who one model approves and the other declines, with their bads.
// The comparison runs on a worker with progress and Cancel; cutoff changes are instant.
// Export report previews the comparison document (core/report/ComparisonDocument) at the
// cutoffs shown, then saves it as PDF or Excel.

#include <QWidget>

#include <memory>
#include <optional>

#include "report/ModelComparison.h"
#include "ui/performance/ReportPanels.h"

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace cwb::ui {

class JobRunner;
class ReportPreviewDialog;

class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget* parent = nullptr);
    ~CompareView() override;

    void setModel(std::shared_ptr<const ModelBundle> bundle);  // model A
    void setModelBFile(const QString& path);
    void setDataFile(const QString& path);
    // Reads model B and compares on a worker; false when it cannot start. compared() follows.
    bool compare();
    void cancel();
    bool isRunning() const;

    const ModelComparison* comparison() const { return m_result ? &m_result->comparison : nullptr; }
    const SwapSet* swaps() const { return m_swaps ? &*m_swaps : nullptr; }
    void setCutoffs(int cutoffA, int cutoffB);
    int cutoffA() const;
    int cutoffB() const;
    QString statusText() const;

    // Charts: roc, precision-recall, gains. Tables: metrics, swap-summary, swaps.
    ChartPanel* chart(const QString& name) const;
    TablePanel* table(const QString& name) const;
    QStringList tableNames() const;
    void showTab(const QString& name);
    // The comparison shown, at the cutoffs shown, in the report preview; nullptr (and the
    // status says why) before a comparison.
    ReportPreviewDialog* exportReport();

signals:
    void compared(bool ok, bool canceled, const QString& message);
    void statusMessage(const QString& text);

private:
    struct Result {
        std::shared_ptr<const ModelBundle> bundleB;
        ModelComparison comparison;
    };
    void buildUi();
    void chooseModelB();
    void chooseData();
    void onFinished(bool canceled, const QString& error,
                    const std::shared_ptr<std::optional<Result>>& result);
    void showComparison();
    void refreshSwaps();
    void setBusy(bool busy);

    std::shared_ptr<const ModelBundle> m_bundleA;
    std::optional<Result> m_result;
    std::optional<SwapSet> m_swaps;
    JobRunner* m_job = nullptr;

    QLabel* m_modelA = nullptr;
    QLineEdit* m_modelB = nullptr;
    QLineEdit* m_path = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_export = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QSpinBox* m_cutoffA = nullptr;
    QSpinBox* m_cutoffB = nullptr;
    QLabel* m_swapSummary = nullptr;
    QTabWidget* m_tabs = nullptr;
    ReportPanels m_panels;
};

}  // namespace cwb::ui
