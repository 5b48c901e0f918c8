// Fuzz target: the CSV record splitter and dialect sniffing (data/CsvParse.h) on arbitrary bytes.
// The input is split record by record as the reader does at the end of a file, then again from
// a prefix that is not the end of the file (the splitter must ask for more, never read past the
// range), and line by line with the plain splitter that batch scoring uses.

#include <cstring>
#include <vector>

#include "FuzzSupport.h"
#include "data/CsvParse.h"

namespace {

using namespace cwb;

// Every field must lie inside the input or the scratch buffer, and the record inside the input.
void checkRecord(const CsvRecord& record, const char* begin, const char* end,
                 const std::vector<char>& scratch) {
    const auto inside = [](std::string_view s, const char* lo, const char* hi) {
        return s.data() >= lo && s.data() + s.size() <= hi;
    };
    if (!record.raw.empty() && !inside(record.raw, begin, end)) fuzz::fail("raw outside input");
    for (std::string_view field : record.fields) {
        if (field.empty()) continue;
        if (!inside(field, begin, end) &&
            !inside(field, scratch.data(), scratch.data() + scratch.size()))
            fuzz::fail("field outside input and scratch");
        fuzz::touch(field);
    }
}

void splitAll(const char* begin, const char* end, bool atEof, char delimiter) {
    std::vector<char> scratch;
    CsvRecord record;
    const char* p = begin;
    while (p < end) {
        const csv::Parsed parsed = csv::parseRecord(p, end, atEof, delimiter, scratch, record);
        if (parsed.outcome != csv::Outcome::Complete) break;
        if (parsed.consumed == 0) fuzz::fail("a complete record consumed nothing");
        if (parsed.consumed > static_cast<std::size_t>(end - p)) fuzz::fail("consumed too much");
        checkRecord(record, p, end, scratch);
        fuzz::touch(record.error);
        csv::isBlank(record.raw, delimiter);
        p += parsed.consumed;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A heap copy of exactly the input's size: a read past the end is an ASan report.
    std::vector<char> bytes(data, data + size);
    const char* begin = bytes.data();
    const char* end = begin + size;
    const std::string_view text(begin, size);

    const CsvDialect dialect = csv::sniff(text, true);
    if (dialect.delimiter != ',' && dialect.delimiter != ';' && dialect.delimiter != '\t')
        fuzz::fail("sniffed an unknown delimiter");
    csv::sniff(text.substr(0, size / 2), false);
    const char* body = begin + (dialect.hasBom ? 3 : 0);
    splitAll(body, end, true, dialect.delimiter);
    if (body > end) fuzz::fail("the BOM is longer than the input");
    // The same records from a block that ends midway: a record that runs past it needs more.
    std::vector<char> half(body, body + (end - body) / 2);
    splitAll(half.data(), half.data() + half.size(), false, dialect.delimiter);
    for (char delimiter : {',', ';', '\t'})
        splitAll(begin, end, true, delimiter);

    // The multi-threaded reader's path: every line without a quote, split on its own.
    CsvRecord record;
    for (const char* line = begin; line < end;) {
        const char* nl = static_cast<const char*>(std::memchr(line, '\n', end - line));
        const char* stop = nl ? nl : end;
        const std::string_view view(line, static_cast<std::size_t>(stop - line));
        if (view.find('"') == std::string_view::npos &&
            parsePlainRecord(view, dialect.delimiter, record)) {
            std::vector<char> none;
            checkRecord(record, line, stop, none);
        }
        line = stop + 1;
    }
    return 0;
}
