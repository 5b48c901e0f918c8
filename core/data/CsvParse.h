#pragma once
// The record parser behind CsvReader, working on a byte range that the caller keeps alive
// (internal to core/data). Exposed separately so sniffing uses the very same quoting rules.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "data/CsvReader.h"

namespace cwb::csv {

enum class Outcome {
    Complete,      // record parsed; consumed includes its line ending
    NeedMore,      // the range ends inside the record and more data may follow
    Unterminated,  // the range ends (at end of file) inside a quoted field
};

struct Parsed {
    Outcome outcome = Outcome::Complete;
    std::size_t consumed = 0;   // bytes of the record including its line ending
    std::int64_t newlines = 0;  // line breaks consumed (inside quotes and the final one)
};

// Parses the record starting at begin. Fields point into [begin, end) or, for quoted fields
// with doubled quotes, into scratch (grown once so it never reallocates during the record).
// With atEof, the range holds the rest of the file.
Parsed parseRecord(const char* begin, const char* end, bool atEof, char delimiter,
                   std::vector<char>& scratch, CsvRecord& record);

// A line holding nothing but spaces (or tabs, when tab is not the delimiter).
bool isBlank(std::string_view raw, char delimiter);

// Sniffs delimiter, decimal separator, BOM and line ending from the first bytes of a file.
// With atEof the sample is the whole file, so a last line without a line break counts.
CsvDialect sniff(std::string_view sample, bool atEof);

}  // namespace cwb::csv
