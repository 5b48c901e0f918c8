#pragma once
// Fairness analysis of a model's decisions by protected attribute: for each group, its size,
// approval rate at the model's policy (refer counts as not approved), adverse impact ratio
// against the most favoured group with the four-fifths rule, and on a labelled file also bad
// rate, AUC, calibration (mean PD against observed bad rate) and the standardised mean
// difference of scores against the most favoured group. Shown by `cwb fairness`, the
// performance view's Fairness tab and the validation report.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "scoring/DecisionPolicy.h"

namespace cwb {

struct FairnessOptions {
    // Numeric attributes (every present value a number) are banded at these edges: the default
    // gives under 25, 25-39, 40-59, 60 and over. Must be ascending.
    std::vector<double> bandEdges = {25.0, 40.0, 60.0};
    std::size_t minGroupSize = 30;  // smaller groups are shown and marked "too small to judge"
    double fourFifths = 0.8;        // adverse impact ratios below this are flagged
};

struct FairnessGroup {
    std::string group;
    std::size_t count = 0, approved = 0;
    double approvalRate = 0.0;
    double adverseImpactRatio = 0.0;  // approval rate / the reference group's
    bool belowFourFifths = false;
    bool tooSmall = false;
    double meanScore = 0.0;  // points
    // Labelled files only (NaN otherwise; AUC is NaN too for a group with one class).
    std::size_t bads = 0;
    double badRate = 0.0, auc = 0.0, meanPd = 0.0;
    double standardisedMeanDifference = 0.0;  // scores, against the reference group
};

struct FairnessAttribute {
    std::string column;
    std::string label;    // readable name
    bool banded = false;  // numeric values grouped into bands
    std::string referenceGroup;
    std::vector<FairnessGroup> groups;  // bands in order, else by name; "missing" last
};

struct FairnessReport {
    std::size_t rows = 0;
    bool labelled = false;
    FairnessOptions options;
    std::vector<FairnessAttribute> attributes;
    nlohmann::json toJson() const;  // the keys of `cwb fairness --json`
};

// The per-row inputs: unrounded points and PD of each scored row, labels (1 bad, 0 good; empty
// for an unlabelled file) and, per protected column, the raw value of each row.
struct FairnessInput {
    std::vector<double> points, pd, margins;
    std::vector<float> bad;
    std::vector<std::pair<std::string, std::vector<std::string>>> attributes;  // column, values
    std::map<std::string, std::string> labels;  // column -> readable name (optional)
};

// Approval is the policy's decision on the score rounded to whole points, as in `cwb score`.
// The reference group is the one with the highest approval rate among the groups large enough
// to judge (among all groups when none is). Lengths that disagree throw std::invalid_argument.
FairnessReport computeFairness(const FairnessInput& input, const DecisionPolicy& policy,
                               const FairnessOptions& options = {});

// Band edges a user gives (`--bands`, the Fairness tab): finite, strictly ascending, at most
// 50; BadInput saying which rule failed otherwise.
Result<void> checkBandEdges(const std::vector<double>& edges);
// "25, 40, 60" (commas and/or spaces) -> the edges, checked as above; BadInput naming the
// first piece that is not a number.
Result<std::vector<double>> parseBandEdges(const std::string& text);

// Band names: "under 25", "25–39", ..., "60 and over" when the values and edges are whole
// numbers; "25 to under 40" otherwise.
std::vector<std::string> bandLabels(const std::vector<double>& edges, bool wholeNumbers);

}  // namespace cwb
