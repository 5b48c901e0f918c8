#include "data/CsvParse.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "data/TextUtil.h"

namespace cwb::csv {

namespace {

const char* findChar(const char* begin, const char* end, char c) {
    if (begin >= end) return nullptr;
    return static_cast<const char*>(std::memchr(begin, c, static_cast<std::size_t>(end - begin)));
}

// The common case, a record on one line without quotes: memchr over the line makes this
// the reader's hot path.
Parsed splitPlainLine(const char* begin, const char* lineEnd, const char* end, char delimiter,
                      CsvRecord& record) {
    const char* stop = lineEnd ? lineEnd : end;
    const char* rawEnd = stop;
    if (rawEnd > begin && rawEnd[-1] == '\r') --rawEnd;
    // A plain loop beats memchr here: fields are short, so call overhead would dominate.
    const char* fieldBegin = begin;
    for (const char* p = begin; p < rawEnd; ++p) {
        if (*p == delimiter) {
            record.fields.emplace_back(fieldBegin, static_cast<std::size_t>(p - fieldBegin));
            fieldBegin = p + 1;
        }
    }
    record.fields.emplace_back(fieldBegin, static_cast<std::size_t>(rawEnd - fieldBegin));
    record.raw = std::string_view(begin, static_cast<std::size_t>(rawEnd - begin));
    Parsed parsed;
    parsed.consumed = static_cast<std::size_t>((lineEnd ? lineEnd + 1 : end) - begin);
    parsed.newlines = lineEnd ? 1 : 0;
    return parsed;
}

// Finishes a record whose last field ended at p (p is at '\n' or at the end of the range).
Parsed finishRecord(const char* begin, const char* p, const char* end, std::int64_t newlines,
                    CsvRecord& record) {
    const char* rawEnd = p;
    if (rawEnd > begin && rawEnd[-1] == '\r') --rawEnd;
    record.raw = std::string_view(begin, static_cast<std::size_t>(rawEnd - begin));
    Parsed parsed;
    parsed.consumed = static_cast<std::size_t>((p < end ? p + 1 : end) - begin);
    parsed.newlines = newlines + (p < end ? 1 : 0);
    return parsed;
}

Parsed needMore() {
    Parsed parsed;
    parsed.outcome = Outcome::NeedMore;
    return parsed;
}

}  // namespace

bool isBlank(std::string_view raw, char delimiter) {
    for (char c : raw) {
        if (c == ' ' || (c == '\t' && delimiter != '\t') || c == '\r') continue;
        return false;
    }
    return true;
}

Parsed parseRecord(const char* begin, const char* end, bool atEof, char delimiter,
                   std::vector<char>& scratch, CsvRecord& record) {
    record.fields.clear();
    record.error.clear();
    record.raw = {};
    const char* lineEnd = findChar(begin, end, '\n');
    if (!lineEnd && !atEof) return needMore();
    if (!findChar(begin, lineEnd ? lineEnd : end, '"')) {
        return splitPlainLine(begin, lineEnd, end, delimiter, record);
    }

    char* out = nullptr;  // where the next unescaped field goes; set on first need

    std::int64_t newlines = 0;
    const char* p = begin;
    for (;;) {
        // Writers that put a space after the delimiter still mean the quotes to count.
        const char* lead = p;
        while (lead < end && *lead == ' ')
            ++lead;
        if (lead < end && *lead == '"') p = lead;
        if (p < end && *p == '"') {
            const char* contentBegin = p + 1;
            const char* q = contentBegin;
            const char* closing = nullptr;
            bool doubled = false;
            while (!closing) {
                const char* r = findChar(q, end, '"');
                if (!r) {
                    if (!atEof) return needMore();
                    Parsed parsed;
                    parsed.outcome = Outcome::Unterminated;
                    return parsed;
                }
                if (r + 1 == end && !atEof) return needMore();
                if (r + 1 < end && r[1] == '"') {
                    doubled = true;
                    q = r + 2;
                } else {
                    closing = r;
                }
            }
            newlines += std::count(contentBegin, closing, '\n');
            if (doubled) {
                if (!out) {
                    // Unescaped text is never longer than the input it comes from, so one
                    // resize keeps every view into scratch valid until the record is done.
                    const auto available = static_cast<std::size_t>(end - begin);
                    if (scratch.size() < available) {
                        scratch.reserve(available);
                        scratch.resize(available);
                    }
                    out = scratch.data();
                }
                char* fieldBegin = out;
                for (const char* c = contentBegin; c < closing; ++c) {
                    *out++ = *c;
                    if (*c == '"') ++c;  // the second quote of a doubled pair
                }
                record.fields.emplace_back(fieldBegin, static_cast<std::size_t>(out - fieldBegin));
            } else {
                record.fields.emplace_back(contentBegin,
                                           static_cast<std::size_t>(closing - contentBegin));
            }
            p = closing + 1;
            // Spaces and a CR between the closing quote and the delimiter carry no data.
            while (p < end && (*p == ' ' || *p == '\r'))
                ++p;
            if (p == end) {
                if (!atEof) return needMore();
                return finishRecord(begin, p, end, newlines, record);
            }
            if (*p == delimiter) {
                ++p;
                continue;
            }
            if (*p == '\n') return finishRecord(begin, p, end, newlines, record);
            // Text after a closing quote: RFC 4180 forbids it, and guessing what was meant
            // could silently change a value, so the record is reported as malformed.
            record.error = "unexpected text after the closing quote of field " +
                           std::to_string(record.fields.size());
            const char* nl = findChar(p, end, '\n');
            if (!nl && !atEof) return needMore();
            return finishRecord(begin, nl ? nl : end, end, newlines, record);
        }
        const char* fieldBegin = p;
        while (p < end && *p != delimiter && *p != '\n')
            ++p;
        if (p == end && !atEof) return needMore();
        if (p < end && *p == delimiter) {
            record.fields.emplace_back(fieldBegin, static_cast<std::size_t>(p - fieldBegin));
            ++p;
            continue;
        }
        const char* fieldEnd = p;
        if (fieldEnd > fieldBegin && fieldEnd[-1] == '\r') --fieldEnd;
        record.fields.emplace_back(fieldBegin, static_cast<std::size_t>(fieldEnd - fieldBegin));
        return finishRecord(begin, p, end, newlines, record);
    }
}

namespace {

struct DelimiterScore {
    char delimiter = ',';
    std::size_t headerFields = 0;
    std::size_t records = 0;
    std::size_t agreeing = 0;  // records with as many fields as the header
};

DelimiterScore scoreDelimiter(std::string_view sample, bool atEof, char delimiter) {
    constexpr std::size_t kMaxRecords = 50;
    DelimiterScore score;
    score.delimiter = delimiter;
    std::vector<char> scratch;
    CsvRecord record;
    const char* p = sample.data();
    const char* end = sample.data() + sample.size();
    while (p < end && score.records < kMaxRecords) {
        const Parsed parsed = parseRecord(p, end, atEof, delimiter, scratch, record);
        if (parsed.outcome != Outcome::Complete) break;
        p += parsed.consumed;
        if (isBlank(record.raw, delimiter)) continue;
        if (score.records == 0) score.headerFields = record.fields.size();
        ++score.records;
        if (record.fields.size() == score.headerFields) ++score.agreeing;
    }
    return score;
}

bool isDigits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "12,5" or "-0,25": digits, one separator, digits.
bool looksLikeDecimal(std::string_view field, char separator) {
    field = text::trim(field);
    if (!field.empty() && (field.front() == '-' || field.front() == '+')) field.remove_prefix(1);
    const std::size_t at = field.find(separator);
    if (at == std::string_view::npos) return false;
    return isDigits(field.substr(0, at)) && isDigits(field.substr(at + 1));
}

char sniffDecimal(std::string_view sample, bool atEof, char delimiter) {
    if (delimiter == ',') return '.';
    std::vector<char> scratch;
    CsvRecord record;
    std::size_t commaNumbers = 0;
    std::size_t dotNumbers = 0;
    bool header = true;
    const char* p = sample.data();
    const char* end = sample.data() + sample.size();
    while (p < end) {
        const Parsed parsed = parseRecord(p, end, atEof, delimiter, scratch, record);
        if (parsed.outcome != Outcome::Complete) break;
        p += parsed.consumed;
        if (isBlank(record.raw, delimiter)) continue;
        if (header) {
            header = false;
            continue;
        }
        for (std::string_view f : record.fields) {
            if (looksLikeDecimal(f, ',')) ++commaNumbers;
            if (looksLikeDecimal(f, '.')) ++dotNumbers;
        }
    }
    return commaNumbers > 0 && commaNumbers >= dotNumbers ? ',' : '.';
}

}  // namespace

CsvDialect sniff(std::string_view sample, bool atEof) {
    constexpr std::size_t kSampleBytes = 64 * 1024;
    CsvDialect dialect;
    if (sample.substr(0, 3) == "\xEF\xBB\xBF") {
        dialect.hasBom = true;
        sample.remove_prefix(3);
    }
    if (sample.size() > kSampleBytes) {
        sample = sample.substr(0, kSampleBytes);
        atEof = false;
    }
    const std::size_t nl = sample.find('\n');
    dialect.crlf = nl != std::string_view::npos && nl > 0 && sample[nl - 1] == '\r';

    std::array<DelimiterScore, 3> scores{scoreDelimiter(sample, atEof, ','),
                                         scoreDelimiter(sample, atEof, ';'),
                                         scoreDelimiter(sample, atEof, '\t')};
    // Best: every sampled record splits into the header's field count (> 1); among those the
    // finest split wins. Otherwise the delimiter most records agree on, so a few broken rows
    // near the top do not defeat sniffing.
    const DelimiterScore* best = nullptr;
    for (const DelimiterScore& s : scores) {
        if (s.headerFields <= 1 || s.agreeing != s.records) continue;
        if (!best || s.headerFields > best->headerFields) best = &s;
    }
    if (!best) {
        for (const DelimiterScore& s : scores) {
            if (s.headerFields <= 1) continue;
            if (!best || s.agreeing * best->records > best->agreeing * s.records ||
                (s.agreeing * best->records == best->agreeing * s.records &&
                 s.headerFields > best->headerFields)) {
                best = &s;
            }
        }
    }
    dialect.delimiter = best ? best->delimiter : ',';
    dialect.decimalSeparator = sniffDecimal(sample, atEof, dialect.delimiter);
    return dialect;
}

}  // namespace cwb::csv
