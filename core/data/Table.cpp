#include "data/Table.h"

#include "data/TextUtil.h"

namespace cwb {

int Table::columnIndex(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
}

Result<Table> readTable(const std::string& path, ProgressToken* progress) {
    auto opened = CsvReader::open(path);
    if (!opened) return opened.error();
    CsvReader& reader = **opened;

    Table table;
    table.path = path;
    table.dialect = reader.dialect();
    table.header = reader.header();
    table.columns.resize(table.header.size());
    const std::size_t expected = table.header.size();

    // Progress and cancel are checked every few thousand records: often enough to report
    // twice a second on slow disks, rarely enough to cost nothing.
    constexpr std::size_t kCheckEvery = 4096;
    const std::string progressText = "reading " + path;
    CsvRecord record;
    for (;;) {
        auto more = reader.next(record);
        if (!more) return more.error();
        if (!more.value()) break;
        ++table.rowsRead;
        if (!record.error.empty()) {
            table.rejects.push_back({record.lineNumber, {}, record.error, std::string(record.raw)});
        } else if (record.fields.size() != expected) {
            table.rejects.push_back({record.lineNumber,
                                     {},
                                     "expected " + std::to_string(expected) + " fields, found " +
                                         std::to_string(record.fields.size()),
                                     std::string(record.raw)});
        } else {
            for (std::size_t c = 0; c < expected; ++c)
                table.columns[c].emplace_back(record.fields[c]);
            table.lines.push_back(record.lineNumber);
        }
        if (progress && table.rowsRead % kCheckEvery == 0) {
            if (progress->isCanceled()) return Error::failure("cancelled");
            if (reader.fileSize() > 0) {
                progress->report(static_cast<double>(reader.bytesConsumed()) /
                                     static_cast<double>(reader.fileSize()),
                                 progressText);
            }
        }
    }
    if (progress) {
        if (progress->isCanceled()) return Error::failure("cancelled");
        progress->report(1.0, progressText, true);
    }

    if (table.rowsRead == 0) {
        return Error::badInput("'" + path + "' has a header but no data rows");
    }
    if (table.rows() == 0) {
        const RejectedRow& first = table.rejects.front();
        return Error::badInput("'" + path + "' has no usable data rows: all " +
                               std::to_string(table.rejects.size()) +
                               " records were rejected; the first, on line " +
                               std::to_string(first.line) + ": " + first.reason);
    }
    return table;
}

Result<void> writeRejects(const std::string& path, const std::vector<RejectedRow>& rejects) {
    std::string out = "line,column,reason,record\n";
    for (const RejectedRow& r : rejects) {
        out += std::to_string(r.line);
        out += ',';
        text::appendCsvTextField(out, r.column);
        out += ',';
        text::appendCsvTextField(out, r.reason);
        out += ',';
        text::appendCsvTextField(out, r.raw);
        out += '\n';
    }
    return text::writeFileAtomically(path, out);
}

}  // namespace cwb
