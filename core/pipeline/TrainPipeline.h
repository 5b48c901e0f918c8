#pragma once
// From a labelled CSV file to a model bundle: read, infer the schema, diagnose the data,
// cross-validate the candidate algorithms, refit the best and package it with score scaling,
// decision policy, reason texts, metrics and the training record. Used by `cwb train` and the
// GUI's training view.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/EncodedData.h"
#include "data/Table.h"
#include "eval/Diagnostics.h"
#include "model/Trainer.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct TrainJob {
    std::string dataPath;
    std::string target;
    std::string badValue = "1";
    TrainRequest request;
    std::vector<std::string> idColumns;
    std::vector<std::string> excluded;
    std::vector<std::string> protectedColumns;
    std::string schemaPath;  // optional: a saved (edited) schema to use instead of inference
    // Optional: an edited schema in memory (the GUI's training view); wins over schemaPath.
    std::optional<Schema> schema;
    std::string dictionaryPath;  // optional; default: DATA.dictionary.csv beside the data file
    std::string name;            // bundle name; default: the data file's base name
};

struct TrainReport {
    ModelBundle bundle;
    std::vector<DataWarning> warnings;
    std::vector<CandidateResult> candidates;
    std::string measured;  // the candidate whose figures are the result (TrainOutcome::measured)
    std::shared_ptr<const SearchReport> search;  // auto only: the nested search
    std::size_t rowsRead = 0;
    std::size_t rowsUsed = 0;
    std::size_t rowsRejected = 0;
    std::vector<RejectedRow> rejects;  // every row not used, with line, column and reason
    double seconds = 0.0;
    // The encoded development sample the final model was fitted on (the scorecard editor
    // recomputes bins, WoE, points and AUC on it).
    std::shared_ptr<const EncodedData> development;
    nlohmann::json toJson() const;  // the keys of `cwb train --json`
};

Result<TrainReport> runTraining(const TrainJob& job, ProgressToken* progress);

// Reads a data dictionary (CSV: column,label[,type,description,reason_text]) and applies the
// labels to the schema and the reason texts to `reasons`.
Result<void> applyDictionary(const std::string& path, Schema& schema,
                             std::map<std::string, std::string>& reasons);

}  // namespace cwb
