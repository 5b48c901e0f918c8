#pragma once
// What the training view shows before a model is trained: the schema inferred from a data
// file with the analyst's choices applied (target, bad value, roles and types changed by
// hand), each characteristic's information value and the data diagnostics. The schema made
// here is the one runTraining uses (TrainJob::schema), so what is shown is what is trained.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/Schema.h"
#include "data/Table.h"
#include "eval/Diagnostics.h"

namespace cwb {

struct TrainingChoices {
    std::string target;
    std::string badValue = "1";
    std::map<std::string, ColumnRole> roles;  // by column; overrides the inferred role
    std::map<std::string, ColumnType> types;  // by column; overrides the inferred type
};

struct TrainingPreview {
    Schema schema;
    std::map<std::string, double> informationValue;  // per characteristic (role feature)
    std::vector<DataWarning> warnings;
    std::size_t rowsRead = 0;
    std::size_t rowsUsed = 0;
    std::size_t rowsRejected = 0;
};

// The inferred schema with the choices applied. Roles id, excluded, protected and PII are
// passed to inference as `cwb train --id/--exclude/--protected` would; a type change rebuilds
// the column's levels (categorical) or range (numeric) from the table. Fails (BadInput) with a
// message naming the column when a choice cannot hold: no target, a missing column, a column
// made numeric whose values are not numbers, or a characteristic whose type is not numeric or
// categorical.
Result<Schema> schemaWithChoices(const Table& table, const TrainingChoices& choices);

// schemaWithChoices, then the data encoded with it, IV per characteristic and the diagnostics.
// "cancelled" (Failure) on cancel.
Result<TrainingPreview> previewTraining(const Table& table, const TrainingChoices& choices,
                                        ProgressToken* progress);

}  // namespace cwb
