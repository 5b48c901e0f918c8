#include "scoring/CsvWriting.h"

#include <charconv>

#include "data/TextUtil.h"

namespace cwb {

void appendRejectLine(std::string& out, std::int64_t line, std::string_view column,
                      std::string_view reason, std::string_view raw) {
    char number[24];
    const auto res = std::to_chars(number, number + sizeof number, line);
    out.append(number, res.ptr);
    out.push_back(',');
    text::appendCsvTextField(out, column);
    out.push_back(',');
    text::appendCsvTextField(out, reason);
    out.push_back(',');
    text::appendCsvTextField(out, raw);
    out.push_back('\n');
}

}  // namespace cwb
