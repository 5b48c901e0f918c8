#pragma once
// A whole CSV file in memory, column by column, for training and evaluation (data sets of up
// to a few million cells). Scoring never loads a whole file: see scoring/.

#include <cstdint>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/CsvReader.h"

namespace cwb {

// A row that could not be used, with the reason (written to the rejects file).
struct RejectedRow {
    std::int64_t line = 0;  // physical line number in the file, header = 1
    std::string column;     // the offending column, empty when the whole record is bad
    std::string reason;
    std::string raw;  // the raw record
};

struct Table {
    std::string path;
    CsvDialect dialect;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> columns;  // columns[c][r], raw text as in the file
    std::vector<std::int64_t> lines;                // physical line of each kept row
    std::vector<RejectedRow> rejects;               // records with the wrong number of fields etc.
    std::size_t rowsRead = 0;                       // = rows() + rejects.size()

    std::size_t rows() const { return lines.size(); }
    int columnIndex(std::string_view name) const;  // -1 when absent
};

// Reads a CSV file into memory. Malformed records go to rejects; a file that cannot be used at
// all (missing, empty, no data rows, duplicate or empty header names) is an Error naming it.
Result<Table> readTable(const std::string& path, ProgressToken* progress = nullptr);

// Writes rejects as CSV: line,column,reason,record.
Result<void> writeRejects(const std::string& path, const std::vector<RejectedRow>& rejects);

}  // namespace cwb
