#include "ui/batch/BatchSummaryPanel.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QTableWidget>

#include <algorithm>
#include <vector>

#include "eval/PsiSample.h"
#include "pipeline/ReferenceScores.h"
#include "ui/widgets/ScorePanel.h"

namespace cwb::ui {

namespace {

// A bin width of 1, 2 or 5 times a power of ten giving about `bins` bins over the span.
int niceWidth(double span, int bins) {
    const double raw = std::max(1.0, span / bins);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * magnitude) return std::max(1, static_cast<int>(m * magnitude));
    return static_cast<int>(10 * magnitude);
}

QString thousands(double v) {
    return QLocale().toString(v, 'f', 0);
}

}  // namespace

BatchStats computeBatchStats(const BatchResultsIndex& index, const ModelBundle& bundle) {
    BatchStats stats;
    stats.rows = index.rows();
    if (stats.rows == 0) return stats;
    const auto [lo, hi] = std::minmax_element(index.score.begin(), index.score.end());
    const int width = niceWidth(*hi - *lo, 24);
    const int first = static_cast<int>(std::floor(static_cast<double>(*lo) / width)) * width;
    const std::size_t bins = static_cast<std::size_t>((*hi - first) / width + 1);
    std::vector<double> perDecision[3];
    for (auto& v : perDecision)
        v.assign(bins, 0.0);
    std::vector<double> points(stats.rows);
    double pdSum = 0.0;
    for (std::size_t r = 0; r < stats.rows; ++r) {
        const int d = index.decision[r];
        ++stats.counts[d];
        perDecision[d][static_cast<std::size_t>((index.score[r] - first) / width)] += 1.0;
        points[r] = index.score[r];
        pdSum += index.pd[r];
    }
    stats.meanPd = pdSum / static_cast<double>(stats.rows);
    const auto& reference = bundle.metrics.contains("reference_scores")
                                ? bundle.metrics["reference_scores"]
                                : nlohmann::json();
    if (reference.is_object() && reference.contains("edges")) {
        stats.psi = scorePsi(reference, points);
        stats.psiBins = reference["edges"].size() + 1;
        stats.psiMinimumRows = minimumPsiRows(stats.psiBins);
    }

    HistogramData& h = stats.histogram;
    h.title = BatchSummaryPanel::tr("Scores of this batch");
    h.xTitle = BatchSummaryPanel::tr("Score (bin start, %1 points wide)").arg(width);
    h.yTitle = BatchSummaryPanel::tr("Applicants");
    for (std::size_t b = 0; b < bins; ++b)
        h.categories << QString::number(first + static_cast<int>(b) * width);
    for (Decision d : {Decision::Approve, Decision::Refer, Decision::Decline})
        h.series.push_back({decisionLabel(d), decisionColor(d), perDecision[static_cast<int>(d)]});
    return stats;
}

QString psiVerdict(double psi, std::size_t rows, std::size_t minimumRows) {
    if (std::isnan(psi)) return BatchSummaryPanel::tr("no training scores in the model");
    if (rows < minimumRows)
        return BatchSummaryPanel::tr(
                   "sample too small to judge: %1 rows, at least %2 needed; with so few rows "
                   "chance alone gives a PSI this large")
            .arg(QLocale().toString(static_cast<qulonglong>(rows)),
                 QLocale().toString(static_cast<qulonglong>(minimumRows)));
    if (psi < 0.1) return BatchSummaryPanel::tr("stable");
    if (psi < 0.25) return BatchSummaryPanel::tr("moderate shift: watch");
    return BatchSummaryPanel::tr("major shift: investigate");
}

BatchSummaryPanel::BatchSummaryPanel(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    m_run = new QLabel(this);
    m_run->setObjectName("runSummary");
    m_run->setWordWrap(true);
    m_run->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(m_run, 0, 0);
    m_counts = new QTableWidget(3, 3, this);
    m_counts->setObjectName("decisionCounts");
    m_counts->setHorizontalHeaderLabels({tr("Decision"), tr("Applicants"), tr("Share")});
    m_counts->verticalHeader()->setVisible(false);
    m_counts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_counts->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_counts->setMaximumHeight(m_counts->verticalHeader()->defaultSectionSize() * 4 + 8);
    grid->addWidget(m_counts, 1, 0);
    m_psi = new QLabel(this);
    m_psi->setObjectName("psiLabel");
    m_psi->setWordWrap(true);
    m_psi->setToolTip(
        tr("Population stability index of this batch's scores against the "
           "scores of the training sample: below 0.1 stable, 0.1 to 0.25 a "
           "moderate shift, above 0.25 a major shift. Below a minimum sample (225 rows "
           "for 10 bins) chance alone gives large values, so no verdict is given."));
    grid->addWidget(m_psi, 2, 0);
    m_rejectsTitle = new QLabel(this);
    m_rejectsTitle->setWordWrap(true);
    grid->addWidget(m_rejectsTitle, 3, 0);
    m_rejectsModel = new RejectsModel(this);
    m_rejects = new QTableView(this);
    m_rejects->setObjectName("rejectsTable");
    m_rejects->setModel(m_rejectsModel);
    m_rejects->horizontalHeader()->setStretchLastSection(true);
    m_rejects->verticalHeader()->setVisible(false);
    grid->addWidget(m_rejects, 4, 0);
    m_histogram = new HistogramChart(this);
    m_histogram->setObjectName("scoreHistogram");
    grid->addWidget(m_histogram, 0, 1, 5, 1);
    grid->setColumnStretch(0, 2);
    grid->setColumnStretch(1, 3);
    grid->setRowStretch(4, 1);
    clear();
}

void BatchSummaryPanel::clear() {
    m_stats = {};
    m_run->setText(tr("No batch run yet."));
    m_psi->clear();
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            m_counts->setItem(r, c, new QTableWidgetItem);
    m_histogram->setData({});
    m_rejectsTitle->clear();
    m_rejectsModel->setRejects({});
}

void BatchSummaryPanel::setRun(const BatchSummary& s, const std::string& bundleSha256) {
    const double rate = s.seconds > 0 ? static_cast<double>(s.rowsRead) / s.seconds : 0.0;
    QString text = tr("<b>%1</b> rows read = <b>%2</b> scored + <b>%3</b> rejected, in %4 s "
                      "(%5 rows/s).")
                       .arg(thousands(static_cast<double>(s.rowsRead)),
                            thousands(static_cast<double>(s.rowsScored)),
                            thousands(static_cast<double>(s.rowsRejected)))
                       .arg(s.seconds, 0, 'f', 2)
                       .arg(thousands(rate));
    if (!bundleSha256.empty())
        text += QStringLiteral("<br>") +
                tr("Model bundle SHA-256: <tt>%1</tt>").arg(QString::fromStdString(bundleSha256));
    for (const std::string& w : s.warnings)
        text += QStringLiteral("<br>") + QString::fromStdString(w).toHtmlEscaped();
    m_run->setText(text);
}

void BatchSummaryPanel::setStats(const BatchStats& stats) {
    m_stats = stats;
    for (Decision d : {Decision::Approve, Decision::Refer, Decision::Decline}) {
        const int r = static_cast<int>(d);
        const double n = static_cast<double>(stats.counts[r]);
        const double share = stats.rows ? n / static_cast<double>(stats.rows) * 100.0 : 0.0;
        auto* name = new QTableWidgetItem(decisionLabel(d));
        name->setForeground(decisionColor(d));
        m_counts->setItem(r, 0, name);
        m_counts->setItem(r, 1, new QTableWidgetItem(thousands(n)));
        m_counts->setItem(r, 2, new QTableWidgetItem(QStringLiteral("%1 %").arg(share, 0, 'f', 1)));
        m_counts->item(r, 1)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_counts->item(r, 2)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    m_psi->setText(std::isnan(stats.psi)
                       ? tr("PSI: %1.").arg(psiVerdict(stats.psi, stats.rows, 0))
                       : tr("PSI against training scores: <b>%1</b> (%2). Mean PD %3 %.")
                             .arg(stats.psi, 0, 'f', 3)
                             .arg(psiVerdict(stats.psi, stats.rows, stats.psiMinimumRows))
                             .arg(stats.meanPd * 100.0, 0, 'f', 2));
    m_histogram->setData(stats.histogram);
}

void BatchSummaryPanel::setRejects(RejectList rejects) {
    QString title =
        tr("<b>Rejected rows: %1</b>").arg(thousands(static_cast<double>(rejects.total)));
    std::vector<std::pair<qint64, QString>> reasons;
    for (const auto& [reason, n] : rejects.byReason)
        reasons.emplace_back(n, reason);
    std::sort(reasons.rbegin(), reasons.rend());
    for (std::size_t i = 0; i < reasons.size() && i < 5; ++i)
        title += QStringLiteral("<br>%1 × %2")
                     .arg(thousands(static_cast<double>(reasons[i].first)),
                          reasons[i].second.toHtmlEscaped());
    if (rejects.total > static_cast<qint64>(rejects.rows.size()))
        title += tr("<br>The table lists the first %1; export the rejects for all.")
                     .arg(rejects.rows.size());
    m_rejectsTitle->setText(title);
    m_rejectsModel->setRejects(std::move(rejects));
    m_rejects->resizeColumnsToContents();
}

QString BatchSummaryPanel::runText() const {
    return m_run->text();
}

}  // namespace cwb::ui
