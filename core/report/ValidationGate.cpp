#include "report/ValidationGate.h"

#include <algorithm>
#include <cmath>

#include "pipeline/EvaluatePipeline.h"
#include "report/FairnessAnalysis.h"
#include "report/MonotoneCheck.h"

namespace cwb {

namespace {

struct ThresholdField {
    const char* key;
    double GateThresholds::*field;
    double low, high;
};

const std::vector<ThresholdField>& fields() {
    static const std::vector<ThresholdField> f = {
        {"min_auc", &GateThresholds::minAuc, 0.0, 1.0},
        {"min_ks", &GateThresholds::minKs, 0.0, 1.0},
        {"max_psi", &GateThresholds::maxPsi, 0.0, 10.0},
        {"max_additivity_error", &GateThresholds::maxAdditivityError, 0.0, 1.0},
        {"max_monotone_violations", &GateThresholds::maxMonotoneViolations, 0.0, 1e9},
        {"min_adverse_impact_ratio", &GateThresholds::minAdverseImpactRatio, 0.0, 1.0},
        {"min_group_size", &GateThresholds::minGroupSize, 1.0, 1e9},
    };
    return f;
}

GateCheck makeCheck(std::string check, std::string subject, std::optional<double> figure,
                    double threshold, bool atLeast) {
    GateCheck c;
    c.check = std::move(check);
    c.subject = std::move(subject);
    if (figure && std::isnan(*figure)) figure.reset();
    c.figure = figure;
    c.threshold = threshold;
    c.comparison = atLeast ? ">=" : "<=";
    const bool pass = figure && (atLeast ? *figure >= threshold : *figure <= threshold);
    c.verdict = pass ? "pass" : "fail";
    return c;
}

}  // namespace

nlohmann::json GateThresholds::toJson() const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& f : fields())
        j[f.key] = this->*(f.field);
    return j;
}

const std::vector<std::string>& GateThresholds::keys() {
    static const std::vector<std::string> k = [] {
        std::vector<std::string> out;
        for (const auto& f : fields())
            out.push_back(f.key);
        return out;
    }();
    return k;
}

Result<void> GateThresholds::set(const std::string& key, double value) {
    for (const auto& f : fields()) {
        if (key != f.key) continue;
        if (!(value >= f.low && value <= f.high))
            return Error::badInput("threshold '" + key + "' must be between " +
                                   formatNumber(f.low, 4) + " and " + formatNumber(f.high, 4));
        this->*(f.field) = value;
        return {};
    }
    std::string known;
    for (const auto& k : keys())
        known += (known.empty() ? "" : ", ") + k;
    return Error::badInput("unknown threshold '" + key.substr(0, 64) + "': " + known);
}

nlohmann::json GateCheck::toJson() const {
    return {{"check", check},
            {"subject", subject},
            {"figure", figure ? nlohmann::json(*figure) : nlohmann::json(nullptr)},
            {"threshold", threshold},
            {"comparison", comparison},
            {"verdict", verdict},
            {"detail", detail}};
}

std::size_t GateResult::failed() const {
    return static_cast<std::size_t>(std::count_if(
        checks.begin(), checks.end(), [](const GateCheck& c) { return c.verdict == "fail"; }));
}

Result<GateResult> runValidationGate(std::shared_ptr<const ModelBundle> bundle,
                                     const GateRequest& request, const GateThresholds& thresholds,
                                     ProgressToken* progress) {
    ValidationRequest v;
    v.bundlePath = request.bundlePath;
    v.dataPath = request.dataPath;
    v.target = request.target;
    v.badValue = request.badValue;
    // The bundle's protected attributes and those named, each once.
    v.protectedColumns = fairnessColumns(*bundle, {});
    for (const auto& c : request.extraProtected)
        if (std::find(v.protectedColumns.begin(), v.protectedColumns.end(), c) ==
            v.protectedColumns.end())
            v.protectedColumns.push_back(c);
    v.fairness.fourFifths = thresholds.minAdverseImpactRatio;
    v.fairness.minGroupSize = static_cast<std::size_t>(thresholds.minGroupSize);
    auto report = buildValidationReport(bundle, v, progress);
    if (!report) return report.error();
    GateResult gate;
    gate.report = std::move(*report);
    const PerformanceReport& p = gate.report.performance;
    auto& checks = gate.checks;
    checks.push_back(makeCheck("auc", "", p.auc, thresholds.minAuc, true));
    checks.push_back(makeCheck("ks", "", p.ks, thresholds.minKs, true));
    checks.push_back(makeCheck("score_psi", "", gate.report.scorePsi, thresholds.maxPsi, false));
    if (std::isnan(gate.report.scorePsi))
        checks.back().detail["note"] = "the bundle records no development score distribution";
    checks.push_back(
        makeCheck("additivity", "", p.maxAdditivityError, thresholds.maxAdditivityError, false));
    checks.back().detail["rows"] = p.rows;

    // Monotonicity: the encoded rows are needed, so the file is read once more (the check
    // works on a sample of rows; validation is not a hot path).
    ScoreFileOptions scoring;
    scoring.requireTarget = false;
    auto scored =
        scoreFile(*bundle, request.dataPath, request.target, request.badValue, scoring, nullptr);
    if (!scored) return scored.error();
    for (const auto& m : checkMonotone(*bundle, scored->data)) {
        checks.push_back(makeCheck("monotone", m.feature, static_cast<double>(m.violations),
                                   thresholds.maxMonotoneViolations, false));
        checks.back().detail = {{"direction", m.direction > 0 ? "risk rises" : "risk falls"},
                                {"rows_checked", m.rowsChecked},
                                {"largest_reversal", m.largestReversal}};
    }

    for (const auto& a : gate.report.fairness.attributes)
        for (const auto& g : a.groups) {
            checks.push_back(makeCheck("adverse_impact", a.column + ": " + g.group,
                                       g.adverseImpactRatio, thresholds.minAdverseImpactRatio,
                                       true));
            GateCheck& c = checks.back();
            if (g.tooSmall) c.verdict = "not_judged";
            c.detail = {{"attribute", a.column},
                        {"label", a.label},
                        {"group", g.group},
                        {"count", g.count},
                        {"approved", g.approved},
                        {"approval_rate", g.approvalRate},
                        {"reference_group", a.referenceGroup},
                        {"too_small", g.tooSmall}};
        }
    return gate;
}

}  // namespace cwb
