#pragma once
// The fairness analysis of a bundle on a file: scores the file once (labels read when the
// target column is there) and groups the rows by the protected columns.

#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "report/Fairness.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct LabelledScores;

// columns empty: the schema's protected columns that the file has (BadInput when there are
// none). A named column the file lacks is BadInput naming the file and column.
Result<FairnessReport> buildFairnessReport(const ModelBundle& bundle, const std::string& dataPath,
                                           const std::string& target, const std::string& badValue,
                                           const std::vector<std::string>& columns,
                                           const FairnessOptions& options, ProgressToken* progress);

// The protected columns to analyse: the given ones, else the schema's protected columns.
std::vector<std::string> fairnessColumns(const ModelBundle& bundle,
                                         const std::vector<std::string>& columns);

// From rows already scored with the columns carried (ScoreFileOptions::carryColumns).
FairnessReport fairnessFromScores(const ModelBundle& bundle, const LabelledScores& scored,
                                  const std::vector<std::string>& columns,
                                  const FairnessOptions& options);

}  // namespace cwb
