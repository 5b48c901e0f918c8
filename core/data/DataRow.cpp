#include "data/DataRow.h"

#include "data/CsvReader.h"

namespace cwb {

Result<DataRow> readDataRow(const std::string& path, long row) {
    if (row < 1) return Error::badInput("row numbers start at 1");
    auto reader = CsvReader::open(path);
    if (!reader) return reader.error();
    CsvRecord record;
    for (long n = 1;; ++n) {
        auto more = (*reader)->next(record);
        if (!more) return more.error();
        if (!*more)
            return Error::badInput("'" + path + "' has only " + std::to_string(n - 1) +
                                   " data rows; row " + std::to_string(row) + " does not exist");
        if (n < row) continue;
        if (!record.error.empty())
            return Error::badInput(path + " line " + std::to_string(record.lineNumber) + ": " +
                                   record.error);
        const auto& header = (*reader)->header();
        if (record.fields.size() != header.size())
            return Error::badInput(path + " line " + std::to_string(record.lineNumber) +
                                   ": expected " + std::to_string(header.size()) +
                                   " fields, found " + std::to_string(record.fields.size()));
        DataRow out;
        out.decimalSeparator = (*reader)->dialect().decimalSeparator;
        for (std::size_t c = 0; c < header.size(); ++c)
            out.values[header[c]] = std::string(record.fields[c]);
        return out;
    }
}

}  // namespace cwb
