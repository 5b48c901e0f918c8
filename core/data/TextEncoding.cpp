#include "data/TextEncoding.h"

#include <cstdint>
#include <cstring>

#include "data/TextUtil.h"

namespace cwb {

namespace {

// Windows-1252's 0x80..0x9F; the five bytes it leaves undefined map to the C1 controls of the
// same value, as Windows itself does.
constexpr char16_t kWindows1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

bool isAscii8(const char* p) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    return (word & 0x8080808080808080ULL) == 0;
}

}  // namespace

std::optional<TextEncoding> parseEncodingName(std::string_view name) {
    const std::string n = text::toLower(text::trim(name));
    if (n == "utf-8" || n == "utf8") return TextEncoding::Utf8;
    if (n == "windows-1252" || n == "cp1252" || n == "windows1252")
        return TextEncoding::Windows1252;
    if (n == "latin-1" || n == "latin1" || n == "iso-8859-1" || n == "iso8859-1")
        return TextEncoding::Latin1;
    if (n == "auto") return TextEncoding::Auto;
    return std::nullopt;
}

std::string encodingName(TextEncoding encoding) {
    switch (encoding) {
        case TextEncoding::Utf8:
            return "UTF-8";
        case TextEncoding::Windows1252:
            return "Windows-1252";
        case TextEncoding::Latin1:
            return "ISO-8859-1";
        case TextEncoding::Auto:
            break;
    }
    return "auto";
}

std::size_t validUtf8Prefix(const char* data, std::size_t size, bool atEnd, bool& invalid) {
    invalid = false;
    const auto* p = reinterpret_cast<const unsigned char*>(data);
    std::size_t i = 0;
    while (i < size) {
        // Credit files are almost all ASCII: skip it a word at a time.
        while (i + 64 <= size) {
            bool ascii = true;
            for (int k = 0; k < 64; k += 8)
                ascii &= isAscii8(data + i + k);
            if (!ascii) break;
            i += 64;
        }
        if (i >= size) break;
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length;
        unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0) low = 0xA0;   // no overlong forms
            if (c == 0xED) high = 0x9F;  // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0) low = 0x90;
            if (c == 0xF4) high = 0x8F;  // nothing above U+10FFFF
        } else {
            invalid = true;
            return i;
        }
        for (std::size_t k = 1; k < length; ++k) {
            if (i + k >= size) {
                if (atEnd) invalid = true;
                return i;
            }
            const unsigned char b = p[i + k];
            const unsigned char lo = k == 1 ? low : 0x80;
            const unsigned char hi = k == 1 ? high : 0xBF;
            if (b < lo || b > hi) {
                invalid = true;
                return i;
            }
        }
        i += length;
    }
    return size;
}

void appendAsUtf8(std::vector<char>& out, const char* data, std::size_t size,
                  TextEncoding encoding) {
    out.reserve(out.size() + size + size / 8);
    for (std::size_t i = 0; i < size; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
            continue;
        }
        const char16_t u =
            encoding == TextEncoding::Windows1252 && c < 0xA0 ? kWindows1252High[c - 0x80] : c;
        if (u < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (u >> 6)));
            out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xE0 | (u >> 12)));
            out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
        }
    }
}

}  // namespace cwb
