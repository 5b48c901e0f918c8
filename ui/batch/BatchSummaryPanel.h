#pragma once
// The summary of a batch run: rows read = scored + rejected, counts by decision, a score
// histogram split by decision band, the PSI of this batch's scores against the training
// scores, and the rejected rows with their reasons.

#include <QWidget>

#include <cmath>
#include <limits>

#include "scoring/BatchScorer.h"
#include "ui/batch/BatchResultsIndex.h"
#include "ui/batch/RejectsModel.h"
#include "ui/widgets/HistogramChart.h"

class QLabel;
class QTableView;
class QTableWidget;

namespace cwb::ui {

struct BatchStats {
    std::size_t rows = 0;
    std::size_t counts[3] = {0, 0, 0};  // approve, refer, decline
    double meanPd = 0.0;
    double psi = std::numeric_limits<double>::quiet_NaN();  // NaN: no reference in the model
    std::size_t psiBins = 0;                                // bins of the reference distribution
    std::size_t psiMinimumRows = 0;  // minimumPsiRows(psiBins): fewer rows cannot be judged
    bool psiJudgeable() const { return !std::isnan(psi) && rows >= psiMinimumRows; }
    HistogramData histogram;
};

// Counts, histogram and PSI of an indexed results file (worker thread).
BatchStats computeBatchStats(const BatchResultsIndex& index, const ModelBundle& bundle);

// Reading of a PSI value by the usual rule of thumb; a sample of fewer than minimumRows rows is
// called too small to judge, whatever its PSI.
QString psiVerdict(double psi, std::size_t rows, std::size_t minimumRows);

class BatchSummaryPanel : public QWidget {
    Q_OBJECT
public:
    explicit BatchSummaryPanel(QWidget* parent = nullptr);

    void clear();
    // bundleSha256: the scoring bundle's manifest hash, shown so a run can be traced to the exact
    // model as `cwb score` and its log lines do.
    void setRun(const BatchSummary& summary, const std::string& bundleSha256);
    void setStats(const BatchStats& stats);
    void setRejects(RejectList rejects);

    const BatchStats& stats() const { return m_stats; }
    RejectsModel* rejectsModel() const { return m_rejectsModel; }
    QString runText() const;

private:
    BatchStats m_stats;
    QLabel* m_run = nullptr;
    QLabel* m_psi = nullptr;
    QTableWidget* m_counts = nullptr;
    HistogramChart* m_histogram = nullptr;
    QLabel* m_rejectsTitle = nullptr;
    QTableView* m_rejects = nullptr;
    RejectsModel* m_rejectsModel = nullptr;
};

}  // namespace cwb::ui
