#include "report/ValidationReport.h"

#include <QDateTime>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "common/Hash.h"
#include "pipeline/EvaluatePipeline.h"
#include "pipeline/ReferenceScores.h"
#include "report/FairnessAnalysis.h"

namespace cwb {

namespace {

bool looksIsoDate(const std::string& v) {
    return v.size() >= 10 && std::isdigit(static_cast<unsigned char>(v[0])) && v[4] == '-' &&
           v[7] == '-';
}

void addFindings(ValidationReport& r) {
    const ModelBundle& b = *r.bundle;
    const PerformanceReport& p = r.performance;
    auto& w = r.warnings;
    if (p.rowsRejected > 0)
        w.push_back(
            std::to_string(p.rowsRejected) + " of " + std::to_string(p.rowsRead) + " rows (" +
            formatPercent(static_cast<double>(p.rowsRejected) / static_cast<double>(p.rowsRead)) +
            ") could not be scored and are left out of every figure; the reasons are "
            "summarised below.");
    if (b.metrics.contains("development")) {
        const double devAuc = b.metrics["development"].value("auc", p.auc);
        if (devAuc - p.auc > 0.05)
            w.push_back("AUC on this file (" + formatNumber(p.auc, 4) + ") is " +
                        formatNumber(devAuc - p.auc, 4) + " below the development AUC (" +
                        formatNumber(devAuc, 4) +
                        "): the model discriminates materially worse on this population.");
    }
    if (!std::isnan(r.scorePsi) && r.scorePsi >= kPsiModerate)
        w.push_back("Score PSI against the development sample is " + formatNumber(r.scorePsi, 4) +
                    (r.scorePsi >= kPsiSignificant ? ": a significant population shift."
                                                   : ": a moderate population shift."));
    for (const auto& c : r.characteristicPsi)
        if (c.psi >= kPsiSignificant)
            w.push_back("Characteristic '" + c.feature + "' has a CSI of " +
                        formatNumber(c.psi, 4) + " against the development sample.");
    double meanPd = 0.0;
    for (double v : p.pd)
        meanPd += v;
    meanPd /= std::max<std::size_t>(p.pd.size(), 1);
    if (p.badRate > 0.0 && std::abs(meanPd - p.badRate) / p.badRate > 0.2)
        w.push_back("Mean predicted PD (" + formatPercent(meanPd) +
                    ") differs from the observed bad rate (" + formatPercent(p.badRate) +
                    ") by more than 20% of the bad rate: the model is miscalibrated on this "
                    "file.");
    for (const auto& a : r.fairness.attributes)
        for (const auto& g : a.groups) {
            if (g.belowFourFifths && !g.tooSmall)
                w.push_back("Adverse impact: group '" + g.group + "' of '" + a.label +
                            "' is approved at " + formatNumber(g.adverseImpactRatio, 3) +
                            " times the rate of '" + a.referenceGroup +
                            "', below the four-fifths rule.");
            else if (g.tooSmall)
                w.push_back("Group '" + g.group + "' of '" + a.label + "' has " +
                            std::to_string(g.count) + " rows, too few to judge (fewer than " +
                            std::to_string(r.fairness.options.minGroupSize) + ").");
        }
    if (!(p.maxAdditivityError <= 1e-4))
        w.push_back("Explanations do not add up to the margin on every row (largest error " +
                    formatNumber(p.maxAdditivityError, 6) + ").");
    if (w.empty()) w.push_back("No findings.");

    auto& l = r.limitations;
    if (r.dataIsDevelopmentSample)
        l.push_back(
            "The validation file is the development sample (same SHA-256): the "
            "figures of section 5 are in-sample and overstate the performance to "
            "expect on new applicants. Rely on the cross-validated figures or "
            "validate on an out-of-time sample.");
    l.push_back(
        "Performance is measured on one labelled file. Reject inference is not "
        "applied: applicants declined in the past are not in labelled data, so the "
        "figures describe the accepted population.");
    l.push_back(
        "The fairness analysis compares outcomes by the protected attributes "
        "analysed; protected attributes are not model inputs, but other "
        "characteristics may act as proxies. The analysis supports, and does not "
        "replace, a legal review of fair lending compliance.");
    if (r.characteristicPsi.empty())
        l.push_back(
            "Characteristic stability (CSI) needs each characteristic's development "
            "distribution, which only scorecard bundles store; this bundle gets score "
            "PSI only.");
    if (std::isnan(r.scorePsi))
        l.push_back(
            "The bundle records no development score distribution, so score PSI is "
            "not available.");
    if (const auto it = r.bundle->metrics.find("ratios");
        it != r.bundle->metrics.end() && it->is_array() && !it->empty()) {
        std::string names;
        for (const auto& ratio : *it)
            if (ratio.is_object() && ratio.contains("name") && ratio["name"].is_string())
                names += (names.empty() ? "" : ", ") + ratio["name"].get<std::string>();
        std::string released;
        if (const auto rel = r.bundle->metrics.find("monotone_released");
            rel != r.bundle->metrics.end() && rel->is_array())
            for (const auto& name : *rel)
                if (name.is_string())
                    released += (released.empty() ? "" : ", ") + name.get<std::string>();
        l.push_back("The model derives ratio characteristics from its inputs (" + names +
                    "). Each ratio's contribution is split half and half between its numerator and "
                    "its denominator, so explanations and reasons name the inputs. " +
                    (released.empty()
                         ? std::string("Every input constraint holds through the ratios.")
                         : "The monotone constraints of " + released +
                               " are not claimed: a ratio they enter can move the score the other "
                               "way, so the monotonicity check does not test them.") +
                    " The model cannot be exported as SQL.");
    }
    l.push_back(
        "No model store is in use: approvals are not recorded electronically and are "
        "taken by the signatures in section 11.");
}

}  // namespace

Result<ValidationReport> buildValidationReport(std::shared_ptr<const ModelBundle> bundle,
                                               const ValidationRequest& request,
                                               ProgressToken* progress) {
    const ModelBundle& b = *bundle;
    ValidationReport r;
    r.bundle = bundle;
    r.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    r.bundlePath = request.bundlePath;
    r.dataPath = request.dataPath;
    if (!request.bundlePath.empty()) {
        auto sha = sha256OfFile(request.bundlePath);
        if (!sha) return sha.error();
        r.bundleSha256 = *sha;
    }
    auto dataSha = sha256OfFile(request.dataPath);
    if (!dataSha) return dataSha.error();
    r.dataSha256 = *dataSha;
    r.dataIsDevelopmentSample = b.training.value("data_sha256", std::string()) == r.dataSha256;

    ScoreFileOptions scoring;
    scoring.requireTarget = true;
    const std::vector<std::string> fairnessCols = fairnessColumns(b, request.protectedColumns);
    scoring.carryColumns = fairnessCols;
    for (const auto& spec : b.schema.columns)
        if (spec.type == ColumnType::Date && r.dateColumn.empty()) {
            r.dateColumn = spec.name;
            scoring.carryColumns.push_back(spec.name);
        }
    ProgressToken scoringToken;
    if (progress)
        scoringToken.setCallback([progress, &scoringToken](double f, const std::string& text) {
            if (progress->isCanceled()) scoringToken.cancel();
            progress->report(0.5 * f, text);
        });
    auto scored = scoreFile(b, request.dataPath, request.target, request.badValue, scoring,
                            progress ? &scoringToken : nullptr);
    if (progress && progress->isCanceled()) return Error::failure("cancelled");
    if (!scored) return scored.error();

    auto performance = performanceFromScores(b, request.dataPath, *scored, PerformanceOptions{},
                                             ProgressRange(progress, 0.5, 0.95));
    if (!performance) return performance.error();
    r.performance = std::move(*performance);
    r.fairness = fairnessFromScores(b, *scored, fairnessCols, request.fairness);

    if (!r.dateColumn.empty()) {
        for (const auto& v : scored->carried[r.dateColumn]) {
            if (!looksIsoDate(v)) continue;
            if (r.dateFrom.empty() || v < r.dateFrom) r.dateFrom = v;
            if (r.dateTo.empty() || v > r.dateTo) r.dateTo = v;
        }
    }

    // Stability against the development sample: score PSI over the stored deciles and, for
    // scorecards, CSI over the stored bins (the same counting as batch scoring's drift).
    r.scorePsi = b.metrics.contains("reference_scores")
                     ? scorePsi(b.metrics["reference_scores"], r.performance.points)
                     : std::numeric_limits<double>::quiet_NaN();
    const DriftSpec drift = DriftSpec::fromBundle(b);
    if (drift.featureCount() > 0) {
        DriftCounts counts = drift.makeCounts();
        for (std::size_t i = 0; i < scored->data.rows; ++i)
            drift.count(counts, scored->data.row(i), r.performance.points[i]);
        r.characteristicPsi = drift.featurePsi(counts);
        std::stable_sort(r.characteristicPsi.begin(), r.characteristicPsi.end(),
                         [](const auto& x, const auto& y) { return x.psi > y.psi; });
    }

    std::map<std::string, std::size_t> reasons;
    for (const auto& reject : r.performance.rejects)
        ++reasons[reject.column.empty() ? reject.reason : reject.column + ": " + reject.reason];
    for (const auto& [reason, rows] : reasons)
        r.rejectReasons.push_back({reason, rows});
    std::stable_sort(r.rejectReasons.begin(), r.rejectReasons.end(),
                     [](const auto& x, const auto& y) { return x.rows > y.rows; });
    addFindings(r);
    if (progress) progress->report(1.0, "done", true);
    return r;
}

}  // namespace cwb
