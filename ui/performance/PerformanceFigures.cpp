#include "ui/performance/PerformanceFigures.h"

#include <QObject>

#include <algorithm>
#include <cmath>

namespace cwb::ui {

namespace {

using Cell = ReportTableModel::Cell;
using Row = ReportTableModel::Row;

// Model A, model B, then more; goods and bads keep their own colours everywhere.
const QColor kModelColors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xe6, 0x55, 0x0d),
                               QColor(0x75, 0x6b, 0xb1)};
const QColor kBadColor(0xd6, 0x27, 0x28);
const QColor kGoodColor(0x2c, 0xa0, 0x2c);
const QColor kReferenceColor(0x88, 0x88, 0x88);

QColor modelColor(std::size_t i) {
    return kModelColors[std::min<std::size_t>(i, std::size(kModelColors) - 1)];
}

// Curves have a point per distinct score, a million on a large file; a chart a few hundred
// pixels wide shows no more than this many, and stays quick to redraw as the cutoff moves.
constexpr std::size_t kMaxDrawnPoints = 800;

std::size_t drawStep(std::size_t n) {
    return std::max<std::size_t>(1, (n + kMaxDrawnPoints - 1) / kMaxDrawnPoints);
}

std::vector<QPointF> toPoints(const std::vector<CurvePoint>& curve) {
    std::vector<QPointF> out;
    const std::size_t step = drawStep(curve.size());
    for (std::size_t i = 0; i < curve.size(); i += step)
        out.emplace_back(curve[i].x, curve[i].y);
    if (!curve.empty() && (curve.size() - 1) % step != 0)
        out.emplace_back(curve.back().x, curve.back().y);  // the end point always shows
    return out;
}

LineChartData::Series diagonal(const QString& name = {}) {
    return {name, kReferenceColor, {QPointF(0, 0), QPointF(1, 1)}, true, false};
}

LineChartData::Series verticalLine(double x, double y0, double y1) {
    return {QObject::tr("Cutoff"), kReferenceColor, {QPointF(x, y0), QPointF(x, y1)}, true, false};
}

QString withMetric(const QString& name, const QString& metric, double value) {
    return QStringLiteral("%1 (%2 %3)").arg(name, metric, QString::number(value, 'f', 3));
}

// A chart of one share against another: both axes run from 0 to 1.
LineChartData shareChart(const QString& title, const QString& xTitle, const QString& yTitle) {
    LineChartData d;
    d.title = title;
    d.xTitle = xTitle;
    d.yTitle = yTitle;
    d.xMin = d.yMin = 0.0;
    d.xMax = d.yMax = 1.0;
    return d;
}

}  // namespace

LineChartData rocChart(const std::vector<NamedReport>& reports) {
    LineChartData d = shareChart(QObject::tr("ROC curve"),
                                 QObject::tr("Share of goods declined (false positive rate)"),
                                 QObject::tr("Share of bads declined (true positive rate)"));
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const auto& r = *reports[i].report;
        d.series.push_back({withMetric(reports[i].name, QStringLiteral("AUC"), r.auc),
                            modelColor(i), toPoints(r.roc)});
    }
    d.series.push_back(diagonal(QObject::tr("Random")));
    return d;
}

LineChartData precisionRecallChart(const std::vector<NamedReport>& reports) {
    LineChartData d = shareChart(QObject::tr("Precision and recall (bad = positive)"),
                                 QObject::tr("Recall: share of bads declined"),
                                 QObject::tr("Precision: bads among the declined"));
    for (std::size_t i = 0; i < reports.size(); ++i)
        d.series.push_back(
            {reports[i].name, modelColor(i), toPoints(reports[i].report->precisionRecall)});
    if (!reports.empty()) {
        const double base = reports.front().report->badRate;
        d.series.push_back(
            {QObject::tr("Bad rate"), kReferenceColor, {QPointF(0, base), QPointF(1, base)}, true});
    }
    return d;
}

LineChartData ksChart(const PerformanceReport& report, double cutoff) {
    LineChartData d;
    const auto& k = report.ksCurve;
    d.title = QObject::tr("KS %1 at score %2").arg(k.ks, 0, 'f', 3).arg(k.atScore, 0, 'f', 0);
    d.xTitle = QObject::tr("Score (points)");
    d.yTitle = QObject::tr("Cumulative share at or below the score");
    d.xFormat = QStringLiteral("%.0f");
    d.yMin = 0.0;
    d.yMax = 1.0;
    LineChartData::Series bads{QObject::tr("Bads"), kBadColor, {}};
    LineChartData::Series goods{QObject::tr("Goods"), kGoodColor, {}};
    const std::size_t step = drawStep(k.score.size());
    for (std::size_t i = 0; i < k.score.size(); i += step) {
        bads.points.emplace_back(k.score[i], k.cumulativeBadShare[i]);
        goods.points.emplace_back(k.score[i], k.cumulativeGoodShare[i]);
    }
    if (!k.score.empty()) {
        bads.points.emplace_back(k.score.back(), 1.0);
        goods.points.emplace_back(k.score.back(), 1.0);
    }
    d.series = {bads, goods, verticalLine(cutoff, 0.0, 1.0)};
    return d;
}

LineChartData calibrationChart(const PerformanceReport& report) {
    LineChartData d;
    d.title = QObject::tr("Calibration by decile of PD");
    d.xTitle = QObject::tr("Mean predicted PD");
    d.yTitle = QObject::tr("Observed bad rate");
    double top = 0.0;
    LineChartData::Series s{QObject::tr("Deciles"), modelColor(0), {}, false, true};
    for (const auto& row : report.calibration) {
        s.points.emplace_back(row.meanPredicted, row.observedRate);
        top = std::max({top, row.meanPredicted, row.observedRate});
    }
    // An axis end the default five ticks divide into round numbers (0.05, 0.1, 0.2, 0.25).
    for (double end : {0.2, 0.4, 0.8, 1.0})
        if (top <= end) {
            top = end;
            break;
        }
    top = std::min(top, 1.0);
    d.xMin = d.yMin = 0.0;
    d.xMax = d.yMax = top;
    d.series = {s,
                {QObject::tr("Perfect calibration"),
                 kReferenceColor,
                 {QPointF(0, 0), QPointF(top, top)},
                 true}};
    return d;
}

LineChartData distributionChart(const PerformanceReport& report, double cutoff) {
    LineChartData d;
    d.title = QObject::tr("Score distributions of goods and bads");
    d.xTitle = QObject::tr("Score (points)");
    d.yTitle = QObject::tr("Share of the class");
    d.xFormat = QStringLiteral("%.0f");
    const auto& dist = report.distribution;
    LineChartData::Series bads{QObject::tr("Bads"), kBadColor, {}};
    LineChartData::Series goods{QObject::tr("Goods"), kGoodColor, {}};
    double top = 0.0;
    // Drawn as steps, so each bin reads as a flat bar top over its score range.
    for (std::size_t k = 0; k + 1 < dist.edges.size(); ++k) {
        for (double x : {dist.edges[k], dist.edges[k + 1]}) {
            bads.points.emplace_back(x, dist.badShare[k]);
            goods.points.emplace_back(x, dist.goodShare[k]);
        }
        top = std::max({top, dist.badShare[k], dist.goodShare[k]});
    }
    d.yMin = 0.0;
    d.yMax = std::max(0.05, top * 1.1);
    d.series = {bads, goods, verticalLine(cutoff, 0.0, d.yMax)};
    return d;
}

LineChartData gainsChart(const std::vector<NamedReport>& reports) {
    LineChartData d =
        shareChart(QObject::tr("Gains: bads captured, riskiest scores first"),
                   QObject::tr("Share of the population"), QObject::tr("Share of all bads"));
    for (std::size_t i = 0; i < reports.size(); ++i) {
        LineChartData::Series s{reports[i].name, modelColor(i), {QPointF(0, 0)}, false, true};
        for (const auto& g : reports[i].report->gains)
            s.points.emplace_back(g.cumulativePopulationShare, g.cumulativeBadShare);
        d.series.push_back(s);
    }
    d.series.push_back(diagonal(QObject::tr("Random")));
    return d;
}

LineChartData liftChart(const PerformanceReport& report) {
    LineChartData d;
    d.title = QObject::tr("Lift by score band (band bad rate / overall bad rate)");
    d.xTitle = QObject::tr("Share of the population, riskiest first");
    d.yTitle = QObject::tr("Lift");
    d.xMin = 0.0;
    d.xMax = 1.0;
    LineChartData::Series s{QObject::tr("Lift"), modelColor(0), {}, false, true};
    double top = 1.0;
    for (const auto& g : report.gains) {
        s.points.emplace_back(g.cumulativePopulationShare, g.lift);
        top = std::max(top, g.lift);
    }
    d.yMin = 0.0;
    d.yMax = std::ceil(top * 1.1 * 2.0) / 2.0;
    d.series = {s, {QObject::tr("No lift"), kReferenceColor, {QPointF(0, 1), QPointF(1, 1)}, true}};
    return d;
}

void fillMetrics(ReportTableModel& model, const PerformanceReport& report,
                 const ModelBundle& bundle) {
    const nlohmann::json& m = bundle.metrics;
    const nlohmann::json dev = m.contains("development") ? m["development"] : nlohmann::json();
    nlohmann::json cv;
    if (m.contains("cross_validation") && m["cross_validation"].is_array())
        for (const auto& c : m["cross_validation"])
            if (c.value("algorithm", std::string()) == m.value("chosen", std::string())) cv = c;
    auto stored = [](const nlohmann::json& j, const char* key, int decimals = 4) -> Cell {
        if (j.is_object() && j.contains(key) && j[key].is_number())
            return ReportTableModel::number(j[key].get<double>(), decimals);
        return ReportTableModel::text(QStringLiteral("–"));
    };
    using M = ReportTableModel;
    std::vector<Row> rows;
    rows.push_back({M::text(QStringLiteral("AUC")), M::number(report.auc, 4), stored(dev, "auc"),
                    stored(cv, "cv_auc")});
    rows.push_back({M::text(QStringLiteral("Gini")), M::number(report.gini, 4), stored(dev, "gini"),
                    stored(cv, "cv_gini")});
    rows.push_back({M::text(QStringLiteral("KS")), M::number(report.ks, 4), stored(dev, "ks"),
                    stored(cv, "cv_ks")});
    rows.push_back({M::text(QStringLiteral("Brier")), M::number(report.brier, 4),
                    stored(dev, "brier"), M::text(QStringLiteral("–"))});
    rows.push_back({M::text(QStringLiteral("Log loss")), M::number(report.logLoss, 4),
                    stored(dev, "log_loss"), M::text(QStringLiteral("–"))});
    rows.push_back({M::text(QStringLiteral("Bad rate")), M::number(report.badRate, 4),
                    stored(dev, "bad_rate"), M::text(QStringLiteral("–"))});
    rows.push_back({M::text(QStringLiteral("Rows used")), M::count(report.rows),
                    stored(dev, "rows", 0), M::text(QStringLiteral("–"))});
    rows.push_back({M::text(QStringLiteral("Rows rejected")), M::count(report.rowsRejected),
                    M::text(QStringLiteral("–")), M::text(QStringLiteral("–"))});
    model.setTable({QObject::tr("Metric"), QObject::tr("This file"),
                    QObject::tr("Development (bundle)"), QObject::tr("Cross-validated (bundle)")},
                   std::move(rows));
}

void fillConfusion(ReportTableModel& model, const CutoffOutcome& o) {
    using M = ReportTableModel;
    std::vector<Row> rows;
    rows.push_back({M::text(QObject::tr("Actual bad")), M::count(o.approvedBads),
                    M::count(o.declinedBads), M::count(o.approvedBads + o.declinedBads)});
    rows.push_back({M::text(QObject::tr("Actual good")), M::count(o.approved - o.approvedBads),
                    M::count(o.declined - o.declinedBads),
                    M::count(o.approved + o.declined - o.approvedBads - o.declinedBads)});
    rows.push_back({M::text(QObject::tr("Total")), M::count(o.approved), M::count(o.declined),
                    M::count(o.approved + o.declined)});
    model.setTable(
        {QString(), QObject::tr("Approved"), QObject::tr("Declined"), QObject::tr("Total")},
        std::move(rows));
}

void fillGains(ReportTableModel& model, const PerformanceReport& report) {
    using M = ReportTableModel;
    std::vector<Row> rows;
    for (const auto& g : report.gains)
        rows.push_back({M::number(g.scoreLow, 0), M::number(g.scoreHigh, 0), M::count(g.count),
                        M::count(g.bads), M::percent(g.badRate), M::percent(g.cumulativeBadShare),
                        M::percent(g.cumulativePopulationShare), M::number(g.lift, 2)});
    model.setTable({QObject::tr("Score from"), QObject::tr("Score to"), QObject::tr("Rows"),
                    QObject::tr("Bads"), QObject::tr("Bad rate"), QObject::tr("Cum. bads captured"),
                    QObject::tr("Cum. population"), QObject::tr("Lift")},
                   std::move(rows));
}

void fillCalibration(ReportTableModel& model, const PerformanceReport& report) {
    using M = ReportTableModel;
    std::vector<Row> rows;
    int decile = 1;
    for (const auto& c : report.calibration)
        rows.push_back({M::count(static_cast<std::size_t>(decile++)), M::count(c.count),
                        M::percent(c.meanPredicted, 2), M::percent(c.observedRate, 2),
                        M::percent(c.observedRate - c.meanPredicted, 2)});
    model.setTable(
        {QObject::tr("Decile of PD"), QObject::tr("Rows"), QObject::tr("Mean predicted PD"),
         QObject::tr("Observed bad rate"), QObject::tr("Observed − predicted")},
        std::move(rows));
}

void fillImportance(ReportTableModel& model, const PerformanceReport& report) {
    using M = ReportTableModel;
    std::vector<Row> rows;
    for (const auto& f : report.importance)
        rows.push_back({M::text(QString::fromStdString(f.label)),
                        M::text(QString::fromStdString(f.feature)),
                        M::number(f.meanAbsContribution, 4), M::percent(f.share)});
    model.setTable({QObject::tr("Characteristic"), QObject::tr("Column"),
                    QObject::tr("Mean |contribution| (log-odds)"), QObject::tr("Share")},
                   std::move(rows));
}

QString ivStrength(double iv) {
    if (iv < 0.02) return QObject::tr("not predictive");
    if (iv < 0.1) return QObject::tr("weak");
    if (iv < 0.3) return QObject::tr("medium");
    return QObject::tr("strong");
}

void fillInformationValue(ReportTableModel& model, const PerformanceReport& report) {
    using M = ReportTableModel;
    std::vector<Row> rows;
    for (const auto& c : report.informationValue) {
        // The bins in one cell, so the table stays one row per characteristic.
        QStringList bins;
        for (const auto& b : c.bins)
            bins << QStringLiteral("%1: %2").arg(QString::fromStdString(b.label),
                                                 QString::number(b.woe, 'f', 2));
        rows.push_back({M::text(QString::fromStdString(c.feature)),
                        M::number(c.informationValue, 4), M::text(ivStrength(c.informationValue)),
                        M::count(c.bins.size()), M::text(bins.join(QStringLiteral("; ")))});
    }
    model.setTable({QObject::tr("Characteristic"), QObject::tr("IV"), QObject::tr("Strength"),
                    QObject::tr("Bins"), QObject::tr("WoE by bin, ln(%good/%bad)")},
                   std::move(rows));
}

}  // namespace cwb::ui
