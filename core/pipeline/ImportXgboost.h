#pragma once
// Import of an XGBoost model trained elsewhere (e.g. in Python) as a model bundle, with its
// input schema from a schema file or inferred from a sample data file.

#include <string>

#include "common/Result.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct ImportJob {
    std::string xgboostModelPath;  // XGBoost JSON (or UBJSON) model
    std::string schemaPath;        // either a schema file ...
    std::string dataPath;          // ... or a sample data file to infer one from
    std::string idColumn;          // identifier carried into score output
    std::string name;
};

Result<ModelBundle> importXgboost(const ImportJob& job);

}  // namespace cwb
