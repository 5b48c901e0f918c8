#pragma once
// Data diagnostics shown before training: constant or near-constant columns, ID-like columns,
// high missing rates, and characteristics so predictive on their own that they suggest target
// leakage. Each warning names its column.

#include <string>
#include <vector>

#include "data/EncodedData.h"
#include "data/Schema.h"
#include "data/Table.h"

namespace cwb {

struct DataWarning {
    std::string column;
    std::string kind;     // "constant", "near_constant", "id_like", "high_missing", "leakage"
    std::string message;  // one plain sentence naming the column and the figure
};

std::vector<DataWarning> diagnose(const Table& table, const Schema& schema,
                                  const EncodedData& data);

}  // namespace cwb
