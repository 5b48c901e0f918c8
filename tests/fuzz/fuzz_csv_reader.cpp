// Fuzz target: the streaming CSV reader (data/CsvReader.h) on an arbitrary file: open (sniffing,
// header), every record through next() and through nextPlainLines() as batch scoring reads,
// every field through parseNumber, and `cwb explain --in FILE --row N`'s row reader.

#include <string>

#include "FuzzSupport.h"
#include "data/CsvReader.h"
#include "data/DataRow.h"

namespace {

using namespace cwb;

void readAll(const std::string& path, bool plainLines) {
    auto reader = CsvReader::open(path);
    if (!reader) {
        fuzz::touch(reader.error().message);
        return;
    }
    CsvReader& r = **reader;
    for (const std::string& name : r.header())
        fuzz::touch(name);
    const char decimal = r.dialect().decimalSeparator;
    CsvRecord record;
    std::string lines;
    std::int64_t firstLine = 0;
    for (int guard = 0; guard < 100000; ++guard) {
        if (plainLines) {
            auto got = r.nextPlainLines(lines, firstLine, 7);
            if (!got) return;
            if (*got == CsvReader::PlainLines::End) return;
            if (*got == CsvReader::PlainLines::Read) {
                if (lines.find('"') != std::string::npos) fuzz::fail("plain lines hold a quote");
                std::string_view rest = lines;
                while (!rest.empty()) {
                    const auto nl = rest.find('\n');
                    parsePlainRecord(rest.substr(0, nl), r.dialect().delimiter, record);
                    for (std::string_view f : record.fields)
                        fuzz::touch(f);
                    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
                }
                continue;
            }
        }
        auto more = r.next(record);
        if (!more) {
            fuzz::touch(more.error().message);
            return;
        }
        if (!*more) return;
        if (record.lineNumber < 2) fuzz::fail("a data record before line 2");
        fuzz::touch(record.raw);
        for (std::string_view f : record.fields) {
            double value = 0;
            parseNumber(f, decimal, value);
            fuzz::touch(f);
        }
        if (r.bytesConsumed() > r.fileSize()) fuzz::fail("consumed more than the file holds");
    }
    fuzz::fail("the reader never ended");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = fuzz::writeScratch("csv_reader", data, size);
    readAll(path, false);
    readAll(path, true);
    for (long row : {1L, 3L}) {
        auto got = readDataRow(path, row);
        if (got)
            for (const auto& [name, value] : got->values)
                fuzz::touch(value);
    }
    fuzz::removeScratch("csv_reader");
    return 0;
}
