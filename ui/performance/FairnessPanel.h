#pragma once
// The performance view's Fairness tab: approval rates, adverse impact ratios (four-fifths rule
// flagged) and, on a labelled file, bad rate, AUC, mean PD and score differences by protected
// group, numeric attributes (age) in configurable bands - the figures of `cwb fairness`, computed
// in core (report/FairnessAnalysis) on a worker with progress and Cancel.

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

#include "report/Fairness.h"
#include "scoring/ModelBundle.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace cwb::ui {

class JobRunner;
class TablePanel;

struct FairnessSource {
    std::shared_ptr<const ModelBundle> bundle;
    QString dataPath, target, badValue;
};

class FairnessPanel : public QWidget {
    Q_OBJECT
public:
    // source() is asked at each analysis for the view's current model, file and target.
    explicit FairnessPanel(std::function<FairnessSource()> source, QWidget* parent = nullptr);
    ~FairnessPanel() override;

    // Comma-separated protected columns; empty = the model's protected columns.
    void setColumns(const QString& columns);
    // Edges for numeric attributes such as age ("25, 40, 60"; empty = that default).
    void setBandEdges(const QString& edges);
    bool analyse();  // false when nothing can start (no model or file, or one is running)
    bool isRunning() const;
    const FairnessReport* report() const { return m_report ? &*m_report : nullptr; }
    TablePanel* table() const { return m_table; }
    QString statusText() const;

signals:
    void analysed(bool ok, const QString& message);

private:
    void show();

    std::function<FairnessSource()> m_source;
    std::optional<FairnessReport> m_report;
    JobRunner* m_job = nullptr;
    QLineEdit* m_columns = nullptr;
    QLineEdit* m_bands = nullptr;
    QPushButton* m_run = nullptr;
    QLabel* m_status = nullptr;
    TablePanel* m_table = nullptr;
};

}  // namespace cwb::ui
