#include "scoring/CsvWriting.h"

#include <charconv>

namespace cwb {

void appendCsvField(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(field);
        return;
    }
    out.push_back('"');
    for (char c : field) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

void appendRejectLine(std::string& out, std::int64_t line, std::string_view column,
                      std::string_view reason, std::string_view raw) {
    char number[24];
    const auto res = std::to_chars(number, number + sizeof number, line);
    out.append(number, res.ptr);
    out.push_back(',');
    appendCsvField(out, column);
    out.push_back(',');
    appendCsvField(out, reason);
    out.push_back(',');
    appendCsvField(out, raw);
    out.push_back('\n');
}

}  // namespace cwb
