#pragma once
// Scoring a (labelled) CSV file with a bundle: the step shared by `cwb evaluate`, the
// performance view, the fairness analysis and the reports (core/report computes the figures).

#include <map>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/EncodedData.h"
#include "data/Table.h"
#include "scoring/ModelBundle.h"

namespace cwb {

// A labelled file scored by a bundle: the encoded rows that could be used (labels filled), their
// margins (log-odds of bad) and the schema with the target actually used. Shared by
// `cwb evaluate` and the performance and comparison views, so all of them score the same rows.
struct LabelledScores {
    Schema schema;  // the bundle's schema with the target / bad value that were applied
    EncodedData data;
    std::vector<double> margins;  // one per row of data
    std::size_t rowsRead = 0;
    std::size_t bads = 0;
    bool labelled = true;  // false: data.labels is empty (scoreFile without a target)
    // Raw values of the columns asked for in ScoreFileOptions::carryColumns, one per used row.
    std::map<std::string, std::vector<std::string>> carried;
};

struct ScoreFileOptions {
    // true: the file must carry the target (refused otherwise); false: labels are read when
    // the target column is present and the file is scored unlabelled when it is not.
    bool requireTarget = true;
    // Columns of the file carried along for the used rows (protected attributes for fairness,
    // whether or not the schema knows them). A name the file lacks is BadInput.
    std::vector<std::string> carryColumns;
};

// Reads, encodes and scores a labelled file. Refuses (BadInput) a file without the target column,
// without usable rows, or without both bads and goods, naming the file and the target. Checks
// the token between chunks of rows; a cancelled run returns a Failure "cancelled".
Result<LabelledScores> scoreLabelledFile(const ModelBundle& bundle, const std::string& dataPath,
                                         const std::string& target, const std::string& badValue,
                                         ProgressToken* progress);

// scoreLabelledFile with options: optional labels and carried columns.
Result<LabelledScores> scoreFile(const ModelBundle& bundle, const std::string& dataPath,
                                 const std::string& target, const std::string& badValue,
                                 const ScoreFileOptions& options, ProgressToken* progress);

}  // namespace cwb
