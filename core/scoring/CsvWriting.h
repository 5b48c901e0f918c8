#pragma once
// Appending CSV fields and reject lines to output buffers (RFC 4180 quoting when needed).

#include <cstdint>
#include <string>
#include <string_view>

namespace cwb {

// Appends field, quoted (with doubled quotes) when it holds a comma, quote or line break.
void appendCsvField(std::string& out, std::string_view field);

// Appends one line of a rejects file: line,column,reason,record.
void appendRejectLine(std::string& out, std::int64_t line, std::string_view column,
                      std::string_view reason, std::string_view raw);

}  // namespace cwb
