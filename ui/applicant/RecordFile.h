#pragma once
// Reading one applicant out of a CSV file (a "file row"), for the applicant view. Plain engine
// calls, safe to run on a worker thread.

#include <map>
#include <string>

#include "common/Result.h"
#include "data/Schema.h"

namespace cwb::ui {

struct FileApplicant {
    std::map<std::string, std::string> values;
    std::string id;  // the id column's value, empty when the schema or file has none
};

// Data row `row` (1-based, header not counted) of the file. values holds only the schema's
// features (id, target and extra columns are left out); numbers written with a decimal comma
// are converted to '.', which the form and the scorer read.
Result<FileApplicant> readApplicantRow(const std::string& path, long row, const Schema& schema);

}  // namespace cwb::ui
