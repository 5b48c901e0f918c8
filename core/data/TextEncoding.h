#pragma once
// Character encodings of input files (issue 10). Files are read as UTF-8; Windows-1252 (what
// spreadsheet programs on Windows write) and ISO-8859-1 are transcoded to UTF-8 as they are
// read, when named or, for Windows-1252, when the start of a file is not valid UTF-8. Everything
// after the reader is UTF-8, so names, levels and JSON never meet a stray byte.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cwb {

enum class TextEncoding { Auto, Utf8, Windows1252, Latin1 };

// "utf-8", "windows-1252" (also "cp1252"), "latin-1" (also "iso-8859-1"); case-insensitive.
std::optional<TextEncoding> parseEncodingName(std::string_view name);
// "UTF-8", "Windows-1252", "ISO-8859-1" ("auto" for Auto).
std::string encodingName(TextEncoding encoding);
// The names parseEncodingName takes, for help texts.
inline constexpr const char* kEncodingNames = "utf-8, windows-1252 (cp1252), latin-1 (iso-8859-1)";

// Checks bytes [0, size) as UTF-8 (overlong forms, surrogates and values above U+10FFFF are
// invalid). Returns how many bytes are valid: size when all are; less when an invalid sequence
// starts there (invalid = true), or, when atEnd is false, when a sequence is cut by the end of
// the range (invalid = false: it may complete with the next bytes).
std::size_t validUtf8Prefix(const char* data, std::size_t size, bool atEnd, bool& invalid);

// Appends bytes in a single-byte encoding (Windows1252 or Latin1) to out as UTF-8.
void appendAsUtf8(std::vector<char>& out, const char* data, std::size_t size,
                  TextEncoding encoding);

}  // namespace cwb
