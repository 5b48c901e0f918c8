#pragma once
// One data row of a CSV file by number (1-based, header not counted), by column name: for
// `cwb explain --in FILE --row N` and the GUI's "load applicant from file".

#include <map>
#include <string>

#include "common/Result.h"

namespace cwb {

struct DataRow {
    std::map<std::string, std::string> values;  // every field, by header name, as written
    char decimalSeparator = '.';                // of the file, for reading its numbers
};

// Fails (BadInput, naming the file and line) when the row does not exist or is malformed.
Result<DataRow> readDataRow(const std::string& path, long row);

}  // namespace cwb
