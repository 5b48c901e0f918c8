#include "data/TextUtil.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

#include "data/AtomicFile.h"
#include "data/CsvReader.h"

namespace cwb::text {

static char lowerAscii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
    }
    return true;
}

std::string toLower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = lowerAscii(c);
    return out;
}

std::string quotedList(const std::vector<std::string>& items, std::size_t maxItems) {
    std::string out;
    const std::size_t shown = std::min(items.size(), maxItems);
    for (std::size_t i = 0; i < shown; ++i) {
        if (i > 0) out += ", ";
        out += '\'';
        out += items[i];
        out += '\'';
    }
    if (shown < items.size()) {
        out += ", ... (" + std::to_string(items.size()) + " in all)";
    }
    return out;
}

static bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool naturalLess(std::string_view a, std::string_view b) {
    // Numbers come first, ordered by value; mixing the two comparisons for number pairs and
    // text pairs would not be a strict weak order ("1.10" < "1.5" < "1.7x" < "1.10").
    double x = 0.0;
    double y = 0.0;
    const bool aIsNumber = parseNumber(a, '.', x) == NumberStatus::Ok;
    const bool bIsNumber = parseNumber(b, '.', y) == NumberStatus::Ok;
    if (aIsNumber && bIsNumber) return x != y ? x < y : a < b;
    if (aIsNumber != bIsNumber) return aIsNumber;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            // Compare digit runs by value: skip leading zeros, then the longer run is larger.
            std::size_t ie = i;
            std::size_t je = j;
            while (ie < a.size() && isDigit(a[ie]))
                ++ie;
            while (je < b.size() && isDigit(b[je]))
                ++je;
            std::size_t iz = i;
            std::size_t jz = j;
            while (iz + 1 < ie && a[iz] == '0')
                ++iz;
            while (jz + 1 < je && b[jz] == '0')
                ++jz;
            const std::string_view ra = a.substr(iz, ie - iz);
            const std::string_view rb = b.substr(jz, je - jz);
            if (ra.size() != rb.size()) return ra.size() < rb.size();
            if (ra != rb) return ra < rb;
            i = ie;
            j = je;
            continue;
        }
        const char ca = lowerAscii(a[i]);
        const char cb = lowerAscii(b[j]);
        if (ca != cb) return ca < cb;
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j)) return (a.size() - i) < (b.size() - j);
    // Equal under the natural order ("A" vs "a", "01" vs "1"): fall back to plain text so the
    // order is total and sorting is deterministic.
    return a < b;
}

void appendCsvField(std::string& line, std::string_view field, char delimiter) {
    const bool needsQuotes =
        field.find_first_of(std::string{'"', '\n', '\r', delimiter}) != std::string_view::npos ||
        (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!needsQuotes) {
        line.append(field);
        return;
    }
    line += '"';
    for (char c : field) {
        if (c == '"') line += '"';
        line += c;
    }
    line += '"';
}

bool looksLikeFormula(std::string_view field) {
    if (field.empty()) return false;
    switch (field.front()) {
        case '=':
        case '@':
        case '\r':
            return true;
        case '+':
        case '-':
        case '\t': {
            double unused = 0.0;
            return parseNumber(field, '.', unused) != NumberStatus::Ok &&
                   parseNumber(field, ',', unused) != NumberStatus::Ok;
        }
        default:
            return false;
    }
}

void appendCsvTextField(std::string& line, std::string_view field, char delimiter) {
    if (!looksLikeFormula(field)) {
        appendCsvField(line, field, delimiter);
        return;
    }
    std::string neutral;
    neutral.reserve(field.size() + 1);
    neutral += '\'';
    neutral.append(field);
    appendCsvField(line, neutral, delimiter);
}

Result<void> writeFileAtomically(const std::string& path, std::string_view content) {
    auto target = resolveOutputTarget(path);
    if (!target) return target.error();
    AtomicFile file(*target, path);
    if (auto r = file.open(); !r) return r;
    if (auto r = file.write(content); !r) return r;
    return file.commit();
}

}  // namespace cwb::text
