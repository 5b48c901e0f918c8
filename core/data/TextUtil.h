#pragma once
// Small text helpers shared by the data layer (internal to core/data).

#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"

namespace cwb::text {

// Strips spaces and tabs on both ends. Inline: it runs for every field that is parsed.
inline std::string_view trim(std::string_view s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        --e;
    return s.substr(b, e - b);
}
bool iequals(std::string_view a, std::string_view b);
std::string toLower(std::string_view s);

// "a, b, c" with each item quoted as 'x'; lists longer than maxItems end with "... (N in all)".
std::string quotedList(const std::vector<std::string>& items, std::size_t maxItems = 30);

// Order for showing values: numbers by value, otherwise text with digit runs compared by value
// ("item2" < "item10"), so level lists read the way people expect.
bool naturalLess(std::string_view a, std::string_view b);

// Appends a field to a CSV line, quoting it when it holds the delimiter, a quote, a line break
// or leading/trailing spaces (which a reader would otherwise be free to trim).
void appendCsvField(std::string& line, std::string_view field, char delimiter = ',');

// True when a spreadsheet would read the field as a formula: text starting with = + - @, tab or
// carriage return that is not a number (OWASP "CSV injection"). Numbers such as -5 or +1.5
// are never touched.
bool looksLikeFormula(std::string_view field);
// appendCsvField for text from users' files in files written for people (results, rejects):
// a field that looksLikeFormula gets a leading apostrophe, which spreadsheets show as text.
void appendCsvTextField(std::string& line, std::string_view field, char delimiter = ',');

// Writes the text to a uniquely named temporary file beside path, fsyncs it and renames it over
// path (data/AtomicFile.h: its target policy applies), so readers never see a half-written file
// and the old file is never deleted first. Errors name the path.
Result<void> writeFileAtomically(const std::string& path, std::string_view content);

}  // namespace cwb::text
