#pragma once
// Model performance on a labelled file: AUC, Gini, KS and the other metrics beside the ones
// stored in the bundle; ROC, KS, precision-recall, calibration, score distributions, gains and
// lift; characteristic importance and the IV table; and an adjustable cutoff with approval
// rate, bad rate and confusion matrix. Evaluation runs on a worker with progress and Cancel;
// moving the cutoff is instant (core CutoffTable). Figures come from core/report.

#include <QWidget>

#include <memory>
#include <optional>

#include "report/PerformanceReport.h"
#include "ui/performance/ReportPanels.h"

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QTabWidget;

namespace cwb::ui {

class FairnessPanel;
class JobRunner;
class ReportPreviewDialog;
class ReportTableModel;

class PerformanceView : public QWidget {
    Q_OBJECT
public:
    explicit PerformanceView(QWidget* parent = nullptr);
    ~PerformanceView() override;

    // A new model clears the results; target and bad value start as the model's own.
    void setModel(std::shared_ptr<const ModelBundle> bundle);
    // The bundle's file, named (with its SHA-256) in exported reports.
    void setModelPath(const QString& path) { m_modelPath = path; }
    void setDataFile(const QString& path);
    QString dataFile() const;
    void setTarget(const QString& target, const QString& badValue);
    // Starts the evaluation on a worker; false when none can start (no model or file, or one
    // is running). evaluated() follows.
    bool evaluate();
    void cancel();
    bool isRunning() const;
    void chooseFile();

    const PerformanceReport* report() const { return m_report ? &*m_report : nullptr; }
    void setCutoff(int cutoff);
    int cutoff() const;
    CutoffOutcome outcome() const;
    QString approvalRateText() const;
    QString badRateText() const;
    QString statusText() const;

    // Charts: roc, ks, precision-recall, calibration, distribution, gains, lift. Tables:
    // metrics, confusion, gains, calibration, importance, information-value.
    ChartPanel* chart(const QString& name) const;
    TablePanel* table(const QString& name) const;
    QStringList chartNames() const;
    QStringList tableNames() const;
    void showTab(const QString& name);
    FairnessPanel* fairness() const { return m_fairness; }
    // Export report: the validation report of the model on the current file, opened in a
    // preview to save as PDF or Excel; nullptr when there is no model or file.
    ReportPreviewDialog* exportReport();

signals:
    // ok: figures shown; canceled: the user stopped it. message says what happened.
    void evaluated(bool ok, bool canceled, const QString& message);
    void statusMessage(const QString& text);

private:
    void buildUi();
    void onFinished(bool canceled, const QString& error,
                    const std::shared_ptr<std::optional<PerformanceReport>>& result);
    void showReport();
    void refreshCutoff();
    void setBusy(bool busy);

    std::shared_ptr<const ModelBundle> m_bundle;
    std::optional<PerformanceReport> m_report;
    JobRunner* m_job = nullptr;

    QLineEdit* m_path = nullptr;
    QLineEdit* m_target = nullptr;
    QLineEdit* m_badValue = nullptr;
    QPushButton* m_choose = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_inSample = nullptr;  // shown when the file is the model's training data
    QSlider* m_cutoffSlider = nullptr;
    QSpinBox* m_cutoffSpin = nullptr;
    QLabel* m_approval = nullptr;
    QLabel* m_badRate = nullptr;
    QLabel* m_policy = nullptr;
    QTabWidget* m_tabs = nullptr;
    ReportPanels m_panels;
    FairnessPanel* m_fairness = nullptr;
    QPushButton* m_export = nullptr;
    QString m_modelPath;
};

}  // namespace cwb::ui
