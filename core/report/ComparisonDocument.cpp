#include "report/ComparisonDocument.h"

#include <QDate>
#include <QFileInfo>

#include "report/ModelComparison.h"

namespace cwb {

namespace {

using Cell = ReportCell;

Cell count(std::size_t n) {
    return Cell::integer(static_cast<std::int64_t>(n));
}

Cell points(double v) {
    return Cell::textCell(formatNumber(v, 0) + " points");
}

std::vector<Cell> measureRow(const std::string& name, double a, double b, int decimals) {
    return {Cell::textCell(name), Cell::number(a, decimals), Cell::number(b, decimals),
            Cell::number(b - a, decimals)};
}

std::vector<Cell> shareRow(const std::string& name, double a, double b) {
    return {Cell::textCell(name), Cell::percent(a, 2), Cell::percent(b, 2),
            Cell::percent(b - a, 2)};
}

std::string modelLabel(const char* which, const ModelBundle& b) {
    return std::string(which) + ": " + b.name + " " + b.version;
}

void models(ReportDocument& d, const ModelComparison& c, const ComparisonRequest& r) {
    d.heading("Models and data");
    ReportTable t;
    t.title = "The models compared";
    t.sheetName = "Models";
    t.header = {"", "Model A", "Model B"};
    t.columnWeights = {1.3, 2.0, 2.0};
    const ModelBundle& a = *r.bundleA;
    const ModelBundle& b = *r.bundleB;
    t.rows = {{Cell::textCell("Name"), Cell::textCell(a.name), Cell::textCell(b.name)},
              {Cell::textCell("Version"), Cell::textCell(a.version), Cell::textCell(b.version)},
              {Cell::textCell("Algorithm"), Cell::textCell(a.model->algorithm()),
               Cell::textCell(b.model->algorithm())},
              // Text like the rows above: a column of settings reads down one edge.
              {Cell::textCell("Decline below"), points(a.policy.declineBelow),
               points(b.policy.declineBelow)},
              {Cell::textCell("Approve from"), points(a.policy.approveFrom),
               points(b.policy.approveFrom)}};
    d.table(std::move(t));
    const PerformanceReport& p = c.a;
    d.keyValues(
        {{"Data file", QFileInfo(QString::fromStdString(r.dataPath)).fileName().toStdString()},
         {"Target", p.target + " (bad = " + p.badValue + ")"},
         {"Rows compared", std::to_string(p.rows) + " (scored by both models)"},
         {"Rows left out", std::to_string(c.rowsOnlyA) + " scored by A only, " +
                               std::to_string(c.rowsOnlyB) + " by B only"},
         {"Bad rate", formatPercent(p.badRate, 2)}});
    if (c.rowsOnlyA + c.rowsOnlyB > 0)
        d.paragraph(
            "Rows one model could not score are left out of both models' figures, so the "
            "figures compare like with like; they can differ from each model's own evaluation "
            "of the whole file.",
            true);
}

void discrimination(ReportDocument& d, const ModelComparison& c) {
    d.heading("Discrimination and accuracy");
    ReportTable t;
    t.title = "Measures on the rows compared";
    t.sheetName = "Performance";
    t.header = {"Measure", "Model A", "Model B", "B \u2212 A"};
    t.columnWeights = {2.0, 1.3, 1.3, 1.3};
    t.rows = {measureRow("AUC", c.a.auc, c.b.auc, 4), measureRow("Gini", c.a.gini, c.b.gini, 4),
              measureRow("KS", c.a.ks, c.b.ks, 4),
              measureRow("Brier score", c.a.brier, c.b.brier, 4),
              measureRow("Log loss", c.a.logLoss, c.b.logLoss, 4)};
    t.note =
        "Higher AUC, Gini and KS separate bads from goods better; lower Brier score and log "
        "loss mean better calibrated probabilities.";
    d.table(std::move(t));

    ReportChart roc;
    roc.title = "ROC curves";
    roc.xLabel = "False positive rate (goods flagged)";
    roc.yLabel = "True positive rate (bads flagged)";
    // Each model in a colour of its own (the renderer draws dashed series grey: the diagonal).
    roc.series = {{"A: " + c.nameA, thinnedForDrawing(c.a.roc)},
                  {"B: " + c.nameB, thinnedForDrawing(c.b.roc)},
                  {"Random", {{0, 0}, {1, 1}}, true}};
    roc.note = "AUC A " + formatNumber(c.a.auc, 4) + ", B " + formatNumber(c.b.auc, 4);
    ReportChart gains;
    gains.title = "Bads captured, riskiest first";
    gains.xLabel = "Share of applicants";
    gains.yLabel = "Share of bads";
    const auto curve = [](const PerformanceReport& p) {
        std::vector<CurvePoint> points{{0.0, 0.0}};
        for (const GainsRow& g : p.gains)
            points.push_back({g.cumulativePopulationShare, g.cumulativeBadShare});
        return points;
    };
    gains.series = {{"A: " + c.nameA, curve(c.a), false, true},
                    {"B: " + c.nameB, curve(c.b), false, true},
                    {"Random", {{0, 0}, {1, 1}}, true}};
    gains.note = "KS A " + formatNumber(c.a.ks, 4) + ", B " + formatNumber(c.b.ks, 4);
    d.charts({roc, gains});
}

void cutoffs(ReportDocument& d, const ModelComparison& c, const ComparisonRequest& r,
             const SwapSet& s) {
    d.heading("Decisions at the cutoffs");
    const CutoffOutcome a = c.a.cutoffs.at(r.cutoffA);
    const CutoffOutcome b = c.b.cutoffs.at(r.cutoffB);
    ReportTable t;
    t.title = "Approve at or above " + formatNumber(r.cutoffA, 0) + " points (A) and " +
              formatNumber(r.cutoffB, 0) + " points (B)";
    t.sheetName = "Cutoffs";
    t.header = {"Outcome", "Model A", "Model B", "B \u2212 A"};
    t.columnWeights = {2.0, 1.3, 1.3, 1.3};
    t.rows = {{Cell::textCell("Approved"), count(a.approved), count(b.approved),
               Cell::integer(static_cast<std::int64_t>(b.approved) -
                             static_cast<std::int64_t>(a.approved))},
              shareRow("Approval rate", a.approvalRate(), b.approvalRate()),
              {Cell::textCell("Bads approved"), count(a.approvedBads), count(b.approvedBads),
               Cell::integer(static_cast<std::int64_t>(b.approvedBads) -
                             static_cast<std::int64_t>(a.approvedBads))},
              shareRow("Bad rate of the approved", a.badRate(), b.badRate())};
    d.table(std::move(t));

    ReportTable swaps;
    swaps.title = "Swap set: who one model approves and the other declines";
    swaps.sheetName = "Swap set";
    swaps.header = {"Group", "Rows", "Bads", "Bad rate"};
    swaps.columnWeights = {2.6, 1, 1, 1};
    const auto group = [](const char* name, std::size_t rows, std::size_t bads) {
        return std::vector<Cell>{
            Cell::textCell(name), count(rows), count(bads),
            Cell::percent(rows == 0 ? 0.0 : static_cast<double>(bads) / static_cast<double>(rows),
                          2)};
    };
    swaps.rows = {group("Approved by both", s.bothApproved, s.bothApprovedBads),
                  group("Approved by A only (swapped out by B)", s.onlyA, s.onlyABads),
                  group("Approved by B only (swapped in by B)", s.onlyB, s.onlyBBads),
                  group("Declined by both", s.bothDeclined, s.bothDeclinedBads)};
    swaps.note = "The swapped applicants are counted, not listed: their ids are personal data.";
    d.table(std::move(swaps));
}

}  // namespace

ReportDocument comparisonDocument(const ModelComparison& c, const ComparisonRequest& r) {
    ReportDocument d;
    d.title = "Model comparison report";
    d.subject = c.nameA + " vs " + c.nameB;
    d.date = r.date.empty() ? QDate::currentDate().toString(Qt::ISODate).toStdString() : r.date;
    d.subtitle = modelLabel("A", *r.bundleA) + "  \u2014  " + modelLabel("B", *r.bundleB);
    const SwapSet s =
        swapSet(c.a.points, c.b.points, c.a.bad, r.cutoffA, r.cutoffB, c.a.lines, c.a.ids);
    models(d, c, r);
    discrimination(d, c);
    cutoffs(d, c, r, s);
    return d;
}

}  // namespace cwb
