#include "ui/RecordFile.h"

#include "data/CsvReader.h"

namespace cwb::ui {

namespace {

// All fields of the row, by header name.
Result<std::map<std::string, std::string>> readRow(const std::string& path, long row,
                                                   char* decimal) {
    if (row < 1) return Error::badInput("row numbers start at 1");
    auto reader = CsvReader::open(path);
    if (!reader) return reader.error();
    *decimal = (*reader)->dialect().decimalSeparator;
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
        std::map<std::string, std::string> values;
        for (std::size_t c = 0; c < header.size(); ++c)
            values[header[c]] = std::string(record.fields[c]);
        return values;
    }
}

}  // namespace

Result<FileApplicant> readApplicantRow(const std::string& path, long row, const Schema& schema) {
    char decimal = '.';
    auto all = readRow(path, row, &decimal);
    if (!all) return all.error();
    FileApplicant out;
    for (const ColumnSpec* spec : schema.features()) {
        auto it = all->find(spec->name);
        if (it == all->end()) continue;
        std::string v = it->second;
        if (spec->type == ColumnType::Numeric && decimal == ',')
            for (char& c : v)
                if (c == ',') c = '.';
        out.values[spec->name] = std::move(v);
    }
    if (out.values.empty())
        return Error::badInput("'" + path + "' has none of the model's characteristics");
    if (const ColumnSpec* id = schema.idColumn())
        if (auto it = all->find(id->name); it != all->end()) out.id = it->second;
    return out;
}

}  // namespace cwb::ui
