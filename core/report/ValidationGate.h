#pragma once
// The registry's validation gate (issue 12): every check a model must pass before approval,
// each figure against its threshold with a verdict. The figures come from the validation
// report (report/ValidationReport.h): performance as `cwb evaluate`, fairness as `cwb fairness`
// (approval = the policy's approve decision), score PSI against the development scores, the
// explanations' additivity; monotonicity from report/MonotoneCheck.h.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "report/ValidationReport.h"

namespace cwb {

struct GateThresholds {
    double minAuc = 0.70;
    double minKs = 0.30;
    double maxPsi = 0.10;                 // score PSI against the development sample
    double maxAdditivityError = 1e-4;     // log-odds, on every row
    double maxMonotoneViolations = 0.0;   // rows, per constrained characteristic
    double minAdverseImpactRatio = 0.80;  // the four-fifths rule
    double minGroupSize = 30.0;           // smaller groups are shown, not judged

    // The keys of `cwb registry thresholds` (min_auc, min_ks, max_psi, max_additivity_error,
    // max_monotone_violations, min_adverse_impact_ratio, min_group_size).
    nlohmann::json toJson() const;
    static const std::vector<std::string>& keys();
    // Sets one threshold from its key; BadInput for an unknown key or a value out of range.
    Result<void> set(const std::string& key, double value);
};

struct GateCheck {
    std::string check;    // auc, ks, score_psi, additivity, monotone, adverse_impact
    std::string subject;  // what it is about: a characteristic, "attribute: group"; or empty
    std::optional<double> figure;  // none: could not be computed (the check fails)
    double threshold = 0.0;
    std::string comparison;  // ">=" or "<="
    std::string verdict;     // pass, fail, not_judged
    nlohmann::json detail = nlohmann::json::object();
    nlohmann::json toJson() const;
};

struct GateResult {
    ValidationReport report;
    std::vector<GateCheck> checks;
    std::size_t failed() const;
};

struct GateRequest {
    std::string bundlePath, dataPath, target, badValue;
    std::vector<std::string> extraProtected;  // --protected, added to the bundle's own
};

Result<GateResult> runValidationGate(std::shared_ptr<const ModelBundle> bundle,
                                     const GateRequest& request, const GateThresholds& thresholds,
                                     ProgressToken* progress);

}  // namespace cwb
