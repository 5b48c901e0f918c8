#include "report/FairnessAnalysis.h"

#include "pipeline/EvaluatePipeline.h"
#include "scoring/Scorer.h"

namespace cwb {

std::vector<std::string> fairnessColumns(const ModelBundle& bundle,
                                         const std::vector<std::string>& columns) {
    if (!columns.empty()) return columns;
    std::vector<std::string> out;
    for (const auto& spec : bundle.schema.columns)
        if (spec.role == ColumnRole::Protected) out.push_back(spec.name);
    return out;
}

FairnessReport fairnessFromScores(const ModelBundle& bundle, const LabelledScores& scored,
                                  const std::vector<std::string>& columns,
                                  const FairnessOptions& options) {
    FairnessInput input;
    input.margins = scored.margins;
    input.points.resize(scored.margins.size());
    input.pd.resize(scored.margins.size());
    for (std::size_t i = 0; i < scored.margins.size(); ++i) {
        input.points[i] = bundle.scaling.pointsFromMargin(scored.margins[i]);
        input.pd[i] = pdFromMargin(scored.margins[i]);
    }
    if (scored.labelled) input.bad = scored.data.labels;
    for (const auto& column : columns) {
        const auto values = scored.carried.find(column);
        if (values == scored.carried.end()) continue;
        input.attributes.emplace_back(column, values->second);
        if (const ColumnSpec* spec = bundle.schema.find(column))
            input.labels[column] = spec->displayName();
    }
    return computeFairness(input, bundle.policy, options);
}

Result<FairnessReport> buildFairnessReport(const ModelBundle& bundle, const std::string& dataPath,
                                           const std::string& target, const std::string& badValue,
                                           const std::vector<std::string>& columns,
                                           const FairnessOptions& options,
                                           ProgressToken* progress) {
    ScoreFileOptions scoring;
    scoring.requireTarget = false;
    scoring.carryColumns = fairnessColumns(bundle, columns);
    if (scoring.carryColumns.empty())
        return Error::badInput("the model records no protected columns; give --protected");
    auto scored = scoreFile(bundle, dataPath, target, badValue, scoring, progress);
    if (!scored) return scored.error();
    auto report = fairnessFromScores(bundle, *scored, scoring.carryColumns, options);
    if (progress) progress->report(1.0, "done", true);
    return report;
}

}  // namespace cwb
