// Lays a computed ValidationReport out as a document: the sections a model validation
// (SR 11-7 style) documents, in order. Figures are formatted here once for every renderer.

#include <QFileInfo>

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "report/MonotoneCheck.h"
#include "report/ValidationReport.h"

namespace cwb {

namespace {

using Cell = ReportCell;

std::string fileName(const std::string& path) {
    return QFileInfo(QString::fromStdString(path)).fileName().toStdString();
}

std::string jsonText(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_float()) return formatNumber(v.get<double>(), 4);
    return v.dump();
}

void identity(ReportDocument& d, const ValidationReport& r) {
    const ModelBundle& b = *r.bundle;
    d.heading("Model identity");
    d.keyValues({{"Model", b.name},
                 {"Version", b.version},
                 {"Algorithm", b.model->algorithm()},
                 {"Bundle file", fileName(r.bundlePath)},
                 {"Bundle SHA-256", r.bundleSha256},
                 {"Created by", b.training.value("creator", std::string("not recorded"))},
                 {"Created at", b.training.value("created_at", std::string("not recorded"))},
                 {"Built with",
                  "Credit Workbench " + b.training.value("app_version", std::string("(unknown)"))},
                 {"Approvals", "no model store in use; see the approval block (section 11)"},
                 {"Report generated", r.generatedAt + " by Credit Workbench " CWB_VERSION}});
}

void purposeAndData(ReportDocument& d, const ValidationReport& r) {
    const ModelBundle& b = *r.bundle;
    const PerformanceReport& p = r.performance;
    d.heading("Purpose and data");
    d.paragraph("The model estimates the probability that an applicant will be bad (target '" +
                p.target + "' equal to '" + p.badValue +
                "') and turns it into a score in points and an approve / refer / decline "
                "decision. This report documents the model and its performance, stability and "
                "fairness on the validation file named below.");
    std::vector<std::pair<std::string, std::string>> dev = {
        {"Development file", b.training.value("data_file", std::string("not recorded"))},
        {"Development SHA-256", b.training.value("data_sha256", std::string("not recorded"))},
        {"Development rows", std::to_string(b.training.value("rows", 0))},
    };
    if (b.metrics.contains("development"))
        dev.push_back({"Development bad rate",
                       formatPercent(b.metrics["development"].value("bad_rate", 0.0))});
    dev.push_back({"Validation file", fileName(r.dataPath)});
    dev.push_back({"Validation SHA-256", r.dataSha256});
    dev.push_back({"Rows read / used / rejected", std::to_string(p.rowsRead) + " / " +
                                                      std::to_string(p.rows) + " / " +
                                                      std::to_string(p.rowsRejected)});
    dev.push_back({"Validation bad rate", formatPercent(p.badRate)});
    if (!r.dateColumn.empty())
        dev.push_back({"Date range (" + r.dateColumn + ")",
                       r.dateFrom.empty() ? "no ISO dates" : r.dateFrom + " to " + r.dateTo});
    else
        dev.push_back({"Date range", "the schema has no date column"});
    if (r.dataIsDevelopmentSample)
        dev.push_back({"Note", "the validation file is the development sample"});
    d.keyValues(std::move(dev));
}

void characteristics(ReportDocument& d, const ValidationReport& r) {
    const ModelBundle& b = *r.bundle;
    const PerformanceReport& p = r.performance;
    d.heading("Characteristics");
    d.paragraph(
        "Information value (IV) and bins are computed on the validation file with the "
        "default binning; weight of evidence is ln(%good / %bad), so a positive WoE "
        "marks a bin of lower risk. Monotone constraints are those the training "
        "imposed.");
    // The constraints the model claims (a scorecard's bin trends, a tree model's training
    // constraints as metrics.monotone lists them per characteristic).
    std::map<std::string, int> monotone;
    for (const auto& [feature, direction] : monotoneConstraints(b))
        monotone[feature] = direction;
    ReportTable t;
    t.title = "Characteristics by information value";
    t.sheetName = "Characteristics";
    t.header = {"Characteristic", "Type", "IV", "Bins", "Monotone", "Importance"};
    t.columnWeights = {3.2, 1.2, 0.9, 0.7, 1.2, 1.1};
    std::map<std::string, double> share;
    for (const auto& f : p.importance)
        share[f.feature] = f.share;
    for (const auto& bins : p.informationValue) {
        const ColumnSpec* spec = b.schema.find(bins.feature);
        const auto m = monotone.find(bins.feature);
        t.rows.push_back({Cell::textCell(spec ? spec->displayName() : bins.feature),
                          Cell::textCell(spec ? toString(spec->type) : ""),
                          Cell::number(bins.informationValue, 4),
                          Cell::integer(static_cast<std::int64_t>(bins.bins.size())),
                          Cell::textCell(m == monotone.end() ? "none"
                                         : m->second > 0     ? "increasing"
                                         : m->second < 0     ? "decreasing"
                                                             : "none"),
                          Cell::percent(share[bins.feature])});
    }
    t.note = "Importance: share of the mean absolute contribution (log-odds) on this file.";
    d.table(std::move(t));

    ReportTable bins;
    bins.title = "Bins with weight of evidence and bad rate";
    bins.sheetName = "Bins";
    bins.header = {"Characteristic", "Bin", "Rows", "Bad rate", "WoE", "IV part"};
    bins.columnWeights = {2.2, 3.4, 0.8, 0.9, 0.9, 0.9};
    for (const auto& c : p.informationValue) {
        const ColumnSpec* spec = b.schema.find(c.feature);
        for (const auto& bin : c.bins)
            bins.rows.push_back(
                {Cell::textCell(spec ? spec->displayName() : c.feature), Cell::textCell(bin.label),
                 Cell::integer(static_cast<std::int64_t>(bin.count())),
                 Cell::percent(bin.badRate()), Cell::number(bin.woe, 3), Cell::number(bin.iv, 4)});
    }
    d.table(std::move(bins));
}

void method(ReportDocument& d, const ValidationReport& r) {
    const ModelBundle& b = *r.bundle;
    d.heading("Method and parameters");
    std::vector<std::pair<std::string, std::string>> kv = {
        {"Algorithm", b.model->algorithm()},
        {"Requested", b.training.value("algorithm_requested", std::string("not recorded"))},
        {"Cross-validation folds", std::to_string(b.training.value("folds", 0))},
        {"Seed", std::to_string(b.training.value("seed", 0))},
        {"Score scaling", formatNumber(b.scaling.basePoints, 0) + " points at " +
                              formatNumber(b.scaling.baseOdds, 0) + ":1 good:bad odds, " +
                              formatNumber(b.scaling.pdo, 0) + " points to double the odds"},
        {"Decision policy", "approve from " + formatNumber(b.policy.approveFrom, 0) +
                                " points, decline below " + formatNumber(b.policy.declineBelow, 0) +
                                ", refer between"},
    };
    const auto params = nlohmann::json::parse(b.model->parametersJson(), nullptr, false);
    if (params.is_object())
        for (const auto& [k, v] : params.items())
            // A ratio model's ratios are input indices here; the limitations name them.
            if (k != "ratios") kv.push_back({"Parameter " + k, jsonText(v)});
    d.keyValues(std::move(kv));
    if (b.metrics.contains("cross_validation")) {
        ReportTable t;
        t.title = "Candidates compared by cross-validation";
        t.sheetName = "Cross-validation";
        t.header = {"Algorithm", "CV AUC", "SD", "CV Gini", "CV KS", "Chosen"};
        const std::string chosen = b.metrics.value("chosen", b.model->algorithm());
        for (const auto& c : b.metrics["cross_validation"]) {
            const std::string algorithm = c.value("algorithm", std::string());
            t.rows.push_back({Cell::textCell(algorithm), Cell::number(c.value("cv_auc", 0.0), 4),
                              Cell::number(c.value("cv_auc_sd", 0.0), 4),
                              Cell::number(c.value("cv_gini", 0.0), 4),
                              Cell::number(c.value("cv_ks", 0.0), 4),
                              Cell::textCell(algorithm == chosen ? "yes" : "")});
        }
        d.table(std::move(t));
    }
}

void performance(ReportDocument& d, const ValidationReport& r) {
    const ModelBundle& b = *r.bundle;
    const PerformanceReport& p = r.performance;
    d.heading("Performance");
    ReportTable t;
    t.title = "Discrimination and accuracy";
    t.sheetName = "Performance";
    t.header = {"Measure", "Cross-validated", "Development", "This file"};
    t.columnWeights = {2.0, 1.3, 1.3, 1.3};
    nlohmann::json cv = nlohmann::json::object();
    if (b.metrics.contains("cross_validation"))
        for (const auto& c : b.metrics["cross_validation"])
            if (c.value("algorithm", std::string()) == b.metrics.value("chosen", std::string()))
                cv = c;
    const nlohmann::json dev = b.metrics.value("development", nlohmann::json::object());
    const auto stored = [](const nlohmann::json& j, const char* key) {
        return j.contains(key) ? Cell::number(j[key].get<double>(), 4) : Cell::textCell("");
    };
    t.rows.push_back(
        {Cell::textCell("AUC"), stored(cv, "cv_auc"), stored(dev, "auc"), Cell::number(p.auc, 4)});
    t.rows.push_back({Cell::textCell("Gini"), stored(cv, "cv_gini"), stored(dev, "gini"),
                      Cell::number(p.gini, 4)});
    t.rows.push_back(
        {Cell::textCell("KS"), stored(cv, "cv_ks"), stored(dev, "ks"), Cell::number(p.ks, 4)});
    t.rows.push_back({Cell::textCell("Brier score"), Cell::textCell(""), stored(dev, "brier"),
                      Cell::number(p.brier, 4)});
    t.rows.push_back({Cell::textCell("Log loss"), Cell::textCell(""), stored(dev, "log_loss"),
                      Cell::number(p.logLoss, 4)});
    t.rows.push_back({Cell::textCell("Bad rate"), Cell::textCell(""),
                      dev.contains("bad_rate") ? Cell::percent(dev["bad_rate"].get<double>())
                                               : Cell::textCell(""),
                      Cell::percent(p.badRate)});
    t.rows.push_back(
        {Cell::textCell("Rows"), Cell::textCell(""),
         dev.contains("rows") ? Cell::integer(dev["rows"].get<std::int64_t>()) : Cell::textCell(""),
         Cell::integer(static_cast<std::int64_t>(p.rows))});
    d.table(std::move(t));

    ReportChart roc;
    roc.title = "ROC curve";
    roc.xLabel = "False positive rate (goods flagged)";
    roc.yLabel = "True positive rate (bads flagged)";
    roc.series = {{"Model", thinnedForDrawing(p.roc)}, {"Random", {{0, 0}, {1, 1}}, true}};
    roc.note = "AUC " + formatNumber(p.auc, 4) + ", Gini " + formatNumber(p.gini, 4);
    ReportChart ks;
    ks.title = "KS: cumulative shares by score";
    ks.xLabel = "Score (points)";
    ks.yLabel = "Cumulative share";
    std::vector<CurvePoint> bads, goods;
    for (std::size_t k = 0; k < p.ksCurve.score.size(); ++k) {
        bads.push_back({p.ksCurve.score[k], p.ksCurve.cumulativeBadShare[k]});
        goods.push_back({p.ksCurve.score[k], p.ksCurve.cumulativeGoodShare[k]});
    }
    if (!p.ksCurve.score.empty()) {
        ks.xMin = std::floor(p.ksCurve.score.front() / 10.0) * 10.0;
        ks.xMax = std::ceil(p.ksCurve.score.back() / 10.0) * 10.0;
    }
    ks.series = {{"Bads", thinnedForDrawing(bads)}, {"Goods", thinnedForDrawing(goods), true}};
    ks.note =
        "KS " + formatNumber(p.ks, 4) + " at " + formatNumber(p.ksCurve.atScore, 0) + " points";
    ReportChart cal;
    cal.title = "Calibration by PD decile";
    cal.xLabel = "Mean predicted PD";
    cal.yLabel = "Observed bad rate";
    std::vector<CurvePoint> calPoints;
    double top = 0.0;
    for (const auto& c : p.calibration) {
        calPoints.push_back({c.meanPredicted, c.observedRate});
        top = std::max({top, c.meanPredicted, c.observedRate});
    }
    cal.xMax = cal.yMax = std::min(1.0, std::ceil(top * 10.0 + 0.5) / 10.0);
    cal.series = {{"Deciles", calPoints, false, true},
                  {"Perfect calibration", {{0, 0}, {cal.xMax, cal.xMax}}, true}};
    cal.note = "Brier " + formatNumber(p.brier, 4);
    d.charts({roc, ks, cal});

    const ConfusionMatrix& c = p.confusion;
    ReportTable conf;
    conf.title = "Confusion matrix at the decline boundary (" +
                 formatNumber(b.policy.declineBelow, 0) + " points, PD " +
                 formatPercent(p.cutoffPd, 2) + ")";
    conf.sheetName = "Confusion";
    conf.header = {"", "Predicted bad (declined)", "Predicted good", "Total"};
    conf.rows = {
        {Cell::textCell("Actual bad"), Cell::integer(static_cast<std::int64_t>(c.truePositive)),
         Cell::integer(static_cast<std::int64_t>(c.falseNegative)),
         Cell::integer(static_cast<std::int64_t>(c.truePositive + c.falseNegative))},
        {Cell::textCell("Actual good"), Cell::integer(static_cast<std::int64_t>(c.falsePositive)),
         Cell::integer(static_cast<std::int64_t>(c.trueNegative)),
         Cell::integer(static_cast<std::int64_t>(c.falsePositive + c.trueNegative))}};
    conf.note = "Accuracy " + formatPercent(c.accuracy()) + ", precision " +
                formatPercent(c.precision()) + ", recall " + formatPercent(c.recall()) + ", F1 " +
                formatNumber(c.f1(), 4) + ".";
    d.table(std::move(conf));

    ReportTable calT;
    calT.title = "Calibration table (PD deciles)";
    calT.sheetName = "Calibration";
    calT.header = {"Decile", "Rows", "Mean predicted PD", "Observed bad rate", "Difference"};
    for (std::size_t k = 0; k < p.calibration.size(); ++k) {
        const auto& row = p.calibration[k];
        calT.rows.push_back({Cell::integer(static_cast<std::int64_t>(k + 1)),
                             Cell::integer(static_cast<std::int64_t>(row.count)),
                             Cell::percent(row.meanPredicted, 2),
                             Cell::percent(row.observedRate, 2),
                             Cell::percent(row.observedRate - row.meanPredicted, 2)});
    }
    d.table(std::move(calT));

    ReportTable gains;
    gains.title = "Gains table by score band (riskiest first)";
    gains.sheetName = "Gains";
    gains.header = {"Score band", "Rows", "Bads", "Bad rate", "Cum. bads", "Cum. rows", "Lift"};
    gains.columnWeights = {1.8, 1, 1, 1, 1, 1, 0.8};
    for (const auto& g : p.gains)
        gains.rows.push_back(
            {Cell::textCell(formatNumber(g.scoreLow, 0) + "\u2013" + formatNumber(g.scoreHigh, 0)),
             Cell::integer(static_cast<std::int64_t>(g.count)),
             Cell::integer(static_cast<std::int64_t>(g.bads)), Cell::percent(g.badRate),
             Cell::percent(g.cumulativeBadShare), Cell::percent(g.cumulativePopulationShare),
             Cell::number(g.lift, 2)});
    d.table(std::move(gains));
}

void stability(ReportDocument& d, const ValidationReport& r) {
    d.heading("Stability");
    d.paragraph(
        "Population stability index (PSI) of the score over the development deciles and "
        "characteristic stability index (CSI) over each characteristic's development "
        "bins. Below " +
        formatNumber(kPsiModerate, 2) + ": stable; " + formatNumber(kPsiModerate, 2) + " to " +
        formatNumber(kPsiSignificant, 2) + ": moderate shift; above " +
        formatNumber(kPsiSignificant, 2) + ": significant shift.");
    ReportTable t;
    t.title = "Stability against the development sample";
    t.sheetName = "Stability";
    t.header = {"Measure", "Index", "Assessment"};
    t.columnWeights = {3, 1, 2};
    const auto assess = [](double v) {
        return std::isnan(v)          ? std::string("not available")
               : v >= kPsiSignificant ? std::string("significant shift")
               : v >= kPsiModerate    ? std::string("moderate shift")
                                      : std::string("stable");
    };
    t.rows.push_back({Cell::textCell("Score (PSI)"), Cell::number(r.scorePsi, 4),
                      Cell::textCell(assess(r.scorePsi), r.scorePsi >= kPsiSignificant)});
    const ModelBundle& b = *r.bundle;
    for (const auto& c : r.characteristicPsi) {
        const ColumnSpec* spec = b.schema.find(c.feature);
        t.rows.push_back({Cell::textCell(spec ? spec->displayName() : c.feature),
                          Cell::number(c.psi, 4),
                          Cell::textCell(assess(c.psi), c.psi >= kPsiSignificant)});
    }
    if (r.characteristicPsi.empty())
        t.note = "CSI is not available for this model type (see Limitations).";
    d.table(std::move(t));
}

void fairness(ReportDocument& d, const ValidationReport& r) {
    const FairnessReport& f = r.fairness;
    d.heading("Fairness");
    d.paragraph(
        "Approval rate is the share of 'approve' decisions at the model's policy (refer counts "
        "as not approved). The adverse impact ratio (AIR) divides a group's approval rate by "
        "that of the most favoured group; below " +
        formatNumber(f.options.fourFifths, 2) +
        " fails the four-fifths rule. SMD is the standardised mean difference of scores "
        "against the most favoured group (negative: lower scores). Groups with fewer than " +
        std::to_string(f.options.minGroupSize) + " rows are too small to judge and are marked.");
    if (f.attributes.empty()) d.paragraph("No protected attributes were analysed.", true);
    for (const auto& a : f.attributes) {
        ReportTable t;
        t.title = a.label + (a.banded ? " (banded)" : "") + ": reference group '" +
                  a.referenceGroup + "'";
        t.sheetName = ("Fairness " + a.column).substr(0, 31);
        t.header = {"Group",    "Rows",    "Approval rate", "AIR", "Finding",
                    "Bad rate", "Mean PD", "AUC",           "SMD"};
        t.columnWeights = {3.0, 0.8, 1.1, 0.8, 1.6, 1.0, 1.0, 0.9, 0.9};
        for (const auto& g : a.groups) {
            const std::string finding = g.tooSmall          ? "too small to judge"
                                        : g.belowFourFifths ? "below four-fifths"
                                                            : "";
            t.rows.push_back(
                {Cell::textCell(g.group), Cell::integer(static_cast<std::int64_t>(g.count)),
                 Cell::percent(g.approvalRate), Cell::number(g.adverseImpactRatio, 3),
                 Cell::textCell(finding, g.belowFourFifths && !g.tooSmall),
                 Cell::percent(g.badRate), Cell::percent(g.meanPd), Cell::number(g.auc, 4),
                 Cell::number(g.standardisedMeanDifference, 3)});
        }
        d.table(std::move(t));
    }
}

void explanationsAndFindings(ReportDocument& d, const ValidationReport& r) {
    const PerformanceReport& p = r.performance;
    d.heading("Explanation checks");
    const bool ok = p.maxAdditivityError <= 1e-4;
    d.paragraph("Every row's explanation was recomputed (" +
                    std::string(r.bundle->model->algorithm() == "scorecard" ? "scorecard points"
                                                                            : "TreeSHAP") +
                    ") and checked for additivity: base value plus contributions equals the "
                    "model's log-odds. Rows checked: " +
                    std::to_string(p.rows) +
                    "; largest difference: " + formatNumber(p.maxAdditivityError, 8) +
                    " (tolerance 0.0001): " + (ok ? "passed." : "FAILED."),
                !ok);
    d.heading("Diagnostics and warnings");
    for (const auto& w : r.warnings)
        d.paragraph(w, w != "No findings.");
    if (!r.rejectReasons.empty()) {
        ReportTable t;
        t.title = "Rows not scored, by reason";
        t.sheetName = "Rejects";
        t.header = {"Reason", "Rows"};
        t.columnWeights = {5, 1};
        for (std::size_t k = 0; k < r.rejectReasons.size() && k < 15; ++k)
            t.rows.push_back({Cell::textCell(r.rejectReasons[k].reason),
                              Cell::integer(static_cast<std::int64_t>(r.rejectReasons[k].rows))});
        if (r.rejectReasons.size() > 15)
            t.note = std::to_string(r.rejectReasons.size() - 15) + " further reasons not shown.";
        d.table(std::move(t));
    }
    d.heading("Limitations");
    for (const auto& l : r.limitations)
        d.paragraph(l);
    d.heading("Approval");
    d.paragraph(
        "By signing, the reviewers confirm that they have read this report and accept "
        "the model for the use described in section 2, subject to the findings and "
        "limitations above.");
    d.blocks.emplace_back(ReportSignatures{
        {"Prepared by", "Reviewed by (model validation)", "Approved by (model risk owner)"}});
}

}  // namespace

ReportDocument validationDocument(const ValidationReport& r) {
    ReportDocument d;
    d.title = "Model validation report";
    d.subject = r.bundle->name + " version " + r.bundle->version;
    d.date = r.generatedAt.substr(0, 10);
    d.subtitle = "Model " + r.bundle->name + " (" + r.bundle->model->algorithm() + ") on " +
                 fileName(r.dataPath);
    identity(d, r);
    purposeAndData(d, r);
    characteristics(d, r);
    method(d, r);
    performance(d, r);
    stability(d, r);
    fairness(d, r);
    explanationsAndFindings(d, r);
    return d;
}

}  // namespace cwb
