#pragma once
// Appending reject lines to output buffers (fields quoted by text::appendCsvField).

#include <cstdint>
#include <string>
#include <string_view>

namespace cwb {

// Appends one line of a rejects file: line,column,reason,record.
void appendRejectLine(std::string& out, std::int64_t line, std::string_view column,
                      std::string_view reason, std::string_view raw);

}  // namespace cwb
