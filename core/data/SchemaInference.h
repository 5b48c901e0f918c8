#pragma once
// Infers a schema from a table: numeric, categorical, identifier and constant columns; roles from
// the user's choices (target, id, protected, excluded, PII). The user can then edit and save it.

#include <string>
#include <vector>

#include "common/Result.h"
#include "data/Schema.h"
#include "data/Table.h"

namespace cwb {

struct InferenceOptions {
    std::string target;  // required for training; empty for scoring-only data
    std::string badValue = "1";
    std::vector<std::string> idColumns;
    std::vector<std::string> excluded;
    std::vector<std::string> protectedColumns;
    std::vector<std::string> piiColumns;
};

// Fails (BadInput, naming the file) when a named column does not exist, when the target has
// fewer than two classes (no row equal to the bad value, or no other row).
Result<Schema> inferSchema(const Table& table, const InferenceOptions& options);

}  // namespace cwb
