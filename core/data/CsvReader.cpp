#include "data/CsvReader.h"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>

#include "data/CsvParse.h"
#include "data/Schema.h"
#include "data/TextUtil.h"

namespace cwb {

namespace {

struct FileCloser {
    void operator()(std::FILE* f) const {
        if (f) std::fclose(f);
    }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// Rejected raw text is for people reading a rejects file; a runaway record is cut here.
constexpr std::size_t kMaxErrorRawBytes = 4096;

std::string quotePath(const std::string& path) {
    return "'" + path + "'";
}

}  // namespace

struct CsvReader::Impl {
    std::string path;
    std::vector<std::string> header;
    CsvDialect dialect;
    FilePtr file;
    std::uint64_t fileSize = 0;

    std::vector<char> buffer;        // size() is the capacity in use
    std::size_t pos = 0;             // first unconsumed byte
    std::size_t len = 0;             // bytes of valid data
    std::uint64_t bufferOffset = 0;  // file offset of buffer[0]
    bool eof = false;
    bool skippingLine = false;  // discarding the rest of an over-long line
    std::int64_t line = 1;      // physical line at pos
    std::vector<char> scratch;

    // Moves unconsumed bytes to the front and reads more, growing the buffer only when one
    // record fills it.
    Result<void> fill() {
        if (pos > 0) {
            std::memmove(buffer.data(), buffer.data() + pos, len - pos);
            len -= pos;
            bufferOffset += pos;
            pos = 0;
        }
        if (len == buffer.size()) {
            const std::size_t grown = std::min(buffer.size() * 2, kMaxRecordBytes + kBlockSize);
            buffer.reserve(grown);  // exactly: resize alone may double the capacity again
            buffer.resize(grown);
        } else if (buffer.size() > kBlockSize && len < kBlockSize / 2) {
            // The long record is gone; give its memory back.
            buffer.resize(kBlockSize);
            buffer.shrink_to_fit();
        }
        const std::size_t wanted = buffer.size() - len;
        const std::size_t n = std::fread(buffer.data() + len, 1, wanted, file.get());
        len += n;
        if (n < wanted) {
            if (std::ferror(file.get())) {
                return Error::failure("cannot read " + quotePath(path) + ": " +
                                      std::strerror(errno));
            }
            eof = std::feof(file.get()) != 0;
        }
        return {};
    }

    // After a record that cannot be parsed, resumes on the line after the one it starts on.
    void resync(CsvRecord& record, std::string error) {
        const char* begin = buffer.data() + pos;
        const char* end = buffer.data() + len;
        const auto* nl = static_cast<const char*>(
            std::memchr(begin, '\n', static_cast<std::size_t>(end - begin)));
        const char* rawEnd = nl ? nl : end;
        if (rawEnd > begin && rawEnd[-1] == '\r') --rawEnd;
        record.fields.clear();
        record.error = std::move(error);
        record.lineNumber = line;
        record.raw = std::string_view(
            begin, std::min(static_cast<std::size_t>(rawEnd - begin), kMaxErrorRawBytes));
        if (nl) {
            pos += static_cast<std::size_t>(nl + 1 - begin);
            ++line;
        } else {
            // raw still points into the buffer; the skip happens on the next call.
            skippingLine = !eof;
            pos = len;
        }
    }

    Result<bool> skipRestOfLine() {
        while (skippingLine) {
            if (pos == len) {
                if (eof) {
                    skippingLine = false;
                    break;
                }
                if (auto r = fill(); !r) return r.error();
                continue;
            }
            const auto* nl =
                static_cast<const char*>(std::memchr(buffer.data() + pos, '\n', len - pos));
            if (nl) {
                pos = static_cast<std::size_t>(nl + 1 - buffer.data());
                ++line;
                skippingLine = false;
            } else {
                pos = len;
            }
        }
        return true;
    }

    Result<bool> next(CsvRecord& record) {
        // The previous record's views die here, so scratch grown for a huge one can go.
        if (scratch.capacity() > 2 * kBlockSize) std::vector<char>().swap(scratch);
        if (skippingLine) {
            if (auto r = skipRestOfLine(); !r) return r.error();
        }
        for (;;) {
            if (pos == len) {
                if (eof) {
                    record.fields.clear();
                    record.raw = {};
                    record.error.clear();
                    return false;
                }
                if (auto r = fill(); !r) return r.error();
                continue;
            }
            const char* begin = buffer.data() + pos;
            const char* end = buffer.data() + len;
            const csv::Parsed parsed =
                csv::parseRecord(begin, end, eof, dialect.delimiter, scratch, record);
            if (parsed.outcome == csv::Outcome::NeedMore) {
                if (len - pos >= kMaxRecordBytes) {
                    resync(record, "record longer than " + std::to_string(kMaxRecordBytes >> 20) +
                                       " MiB (is a quote left open?)");
                    return true;
                }
                if (auto r = fill(); !r) return r.error();
                continue;
            }
            if (parsed.outcome == csv::Outcome::Unterminated) {
                resync(record,
                       "unterminated quoted field: a quote opened on this line is never "
                       "closed");
                return true;
            }
            record.lineNumber = line;
            pos += parsed.consumed;
            line += parsed.newlines;
            if (record.error.empty() && csv::isBlank(record.raw, dialect.delimiter)) continue;
            return true;
        }
    }

    Result<CsvReader::PlainLines> nextPlainLines(std::string& out, std::int64_t& firstLine,
                                                 std::size_t maxLines) {
        using PlainLines = CsvReader::PlainLines;
        if (skippingLine) return PlainLines::Quoted;  // next() finishes the over-long line
        if (pos == len && eof) return PlainLines::End;
        if (!eof && len - pos < kBlockSize / 2) {
            if (auto r = fill(); !r) return r.error();
            if (pos == len && eof) return PlainLines::End;
        }
        const char* begin = buffer.data() + pos;
        const char* end = buffer.data() + len;
        if (!eof) {
            // Only whole lines: the rest waits for the next fill.
            const auto* last = static_cast<const char*>(
                memrchr(begin, '\n', static_cast<std::size_t>(end - begin)));
            if (!last) return PlainLines::Quoted;  // one line fills the buffer: next() copes
            end = last + 1;
        }
        // Lines before the first quote's line are plain.
        if (const auto* quote = static_cast<const char*>(
                std::memchr(begin, '"', static_cast<std::size_t>(end - begin)))) {
            const auto* lineEnd = static_cast<const char*>(
                memrchr(begin, '\n', static_cast<std::size_t>(quote - begin)));
            if (!lineEnd) return PlainLines::Quoted;
            end = lineEnd + 1;
        }
        // At most maxLines of them.
        const char* cut = begin;
        std::size_t lines = 0;
        while (cut < end && lines < maxLines) {
            const auto* nl = static_cast<const char*>(
                std::memchr(cut, '\n', static_cast<std::size_t>(end - cut)));
            cut = nl ? nl + 1 : end;  // without a line break only at the end of the file
            ++lines;
        }
        out.assign(begin, cut);
        firstLine = line;
        line += static_cast<std::int64_t>(lines);
        pos += static_cast<std::size_t>(cut - begin);
        return PlainLines::Read;
    }

    Result<void> readHeader(const std::optional<CsvDialect>& given) {
        if (auto r = fill(); !r) return r.error();
        while (!eof && len < buffer.size()) {
            if (auto r = fill(); !r) return r.error();
        }
        const std::string_view first(buffer.data(), len);
        if (first.empty()) return Error::badInput(quotePath(path) + " is empty");
        if (first.substr(0, 2) == "\xFF\xFE" || first.substr(0, 2) == "\xFE\xFF") {
            return Error::badInput(quotePath(path) +
                                   " is UTF-16 text; save it as UTF-8 (CSV UTF-8) and try again");
        }
        if (first.find('\0') != std::string_view::npos) {
            return Error::badInput(quotePath(path) +
                                   " is not a text CSV file (it contains NUL bytes; is it a "
                                   "spreadsheet or another binary file?)");
        }
        const CsvDialect sniffed = csv::sniff(first, eof);
        dialect = given.value_or(sniffed);
        dialect.hasBom = sniffed.hasBom;
        dialect.crlf = sniffed.crlf;
        if (dialect.hasBom) pos = 3;

        CsvRecord record;
        auto got = next(record);
        if (!got) return got.error();
        if (!got.value()) {
            return Error::badInput(quotePath(path) + " is empty (it holds no header row)");
        }
        if (!record.error.empty()) {
            return Error::badInput(quotePath(path) + ": the header row (line " +
                                   std::to_string(record.lineNumber) +
                                   ") is malformed: " + record.error);
        }
        const std::string where =
            quotePath(path) + ": the header row (line " + std::to_string(record.lineNumber) + ")";
        std::map<std::string, std::vector<std::size_t>> positions;
        std::vector<std::string> duplicates;
        for (std::size_t i = 0; i < record.fields.size(); ++i) {
            std::string name(text::trim(record.fields[i]));
            if (name.empty()) {
                return Error::badInput(where + " has no name for column " + std::to_string(i + 1) +
                                       "; every column needs a unique name");
            }
            auto& seen = positions[name];
            if (seen.size() == 1) duplicates.push_back(name);
            seen.push_back(i + 1);
            header.push_back(std::move(name));
        }
        if (!duplicates.empty()) {
            std::sort(duplicates.begin(), duplicates.end(),
                      [&](const std::string& a, const std::string& b) {
                          return positions[a].front() < positions[b].front();
                      });
            std::string list;
            for (const std::string& name : duplicates) {
                if (!list.empty()) list += ", ";
                list.append("'").append(name).append("' (columns");
                for (std::size_t column : positions[name]) {
                    list.append(" ").append(std::to_string(column));
                }
                list += ")";
            }
            return Error::badInput(where + " names a column more than once: " + list +
                                   "; every column needs a unique name");
        }
        return {};
    }
};

CsvReader::CsvReader() : m_impl(std::make_unique<Impl>()) {}
CsvReader::~CsvReader() = default;

Result<std::unique_ptr<CsvReader>> CsvReader::open(const std::string& path,
                                                   std::optional<CsvDialect> dialect) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return Error::badInput(quotePath(path) + " is a folder, not a CSV file");
    }
    std::unique_ptr<CsvReader> reader(new CsvReader());
    Impl& d = *reader->m_impl;
    d.path = path;
    d.file.reset(std::fopen(path.c_str(), "rb"));
    if (!d.file) {
        return Error::badInput("cannot open " + quotePath(path) + ": " + std::strerror(errno));
    }
    const auto size = std::filesystem::file_size(path, ec);
    d.fileSize = ec ? 0 : static_cast<std::uint64_t>(size);
    // A small file gets a buffer its size (64 KiB at least, so sniffing sees its whole sample):
    // opening one row's file for `explain --row` or a preview need not touch a whole block.
    constexpr std::uint64_t kSmallestBuffer = 64 * 1024;
    d.buffer.resize(static_cast<std::size_t>(
        std::clamp<std::uint64_t>(d.fileSize + 1, kSmallestBuffer, kBlockSize)));
    if (auto r = d.readHeader(dialect); !r) return r.error();
    return reader;
}

const std::string& CsvReader::path() const {
    return m_impl->path;
}
const std::vector<std::string>& CsvReader::header() const {
    return m_impl->header;
}
const CsvDialect& CsvReader::dialect() const {
    return m_impl->dialect;
}
Result<bool> CsvReader::next(CsvRecord& record) {
    return m_impl->next(record);
}
Result<CsvReader::PlainLines> CsvReader::nextPlainLines(std::string& lines, std::int64_t& firstLine,
                                                        std::size_t maxLines) {
    return m_impl->nextPlainLines(lines, firstLine, std::max<std::size_t>(1, maxLines));
}

bool parsePlainRecord(std::string_view line, char delimiter, CsvRecord& record) {
    // The reader's own parser, so both paths split alike; without quotes it never touches
    // scratch.
    std::vector<char> unused;
    csv::parseRecord(line.data(), line.data() + line.size(), true, delimiter, unused, record);
    return !csv::isBlank(record.raw, delimiter);
}

std::uint64_t CsvReader::bytesConsumed() const {
    return m_impl->bufferOffset + m_impl->pos;
}
std::uint64_t CsvReader::fileSize() const {
    return m_impl->fileSize;
}
std::size_t CsvReader::bufferCapacity() const {
    return m_impl->buffer.capacity() + m_impl->scratch.capacity();
}

CsvDialect sniffDialect(std::string_view sample) {
    // Unknown whether the sample is the whole file: a trailing partial line is ignored unless
    // it is all there is.
    CsvDialect dialect = csv::sniff(sample, false);
    if (sample.find('\n') == std::string_view::npos) dialect = csv::sniff(sample, true);
    return dialect;
}

NumberStatus parseNumber(std::string_view field, char decimalSeparator, double& value) {
    field = text::trim(field);
    // Every missing token starts with a letter or '?', so numbers skip the token check.
    const bool startsLikeNumber =
        !field.empty() && ((field[0] >= '0' && field[0] <= '9') || field[0] == '-');
    if (!startsLikeNumber && isMissingToken(field)) return NumberStatus::Missing;
    const char* first = field.data();
    const char* last = field.data() + field.size();
    // fast_float follows from_chars, which refuses a leading '+'; spreadsheets write one.
    if (*first == '+') {
        ++first;
        if (first == last || *first == '-' || *first == '+') return NumberStatus::Invalid;
    }
    // Whole numbers are the bulk of credit data; up to 15 digits they are exact in a double
    // and far inside float range, so they need no general parser.
    {
        const bool negative = *first == '-';
        const char* p = negative ? first + 1 : first;
        if (p < last && last - p <= 15) {
            std::uint64_t whole = 0;
            const char* q = p;
            while (q < last && *q >= '0' && *q <= '9')
                whole = whole * 10 + static_cast<unsigned>(*q++ - '0');
            if (q == last) {
                value = negative ? -static_cast<double>(whole) : static_cast<double>(whole);
                return NumberStatus::Ok;
            }
        }
    }
    const fast_float::parse_options options{fast_float::chars_format::general, decimalSeparator};
    double parsed = 0.0;
    const auto result = fast_float::from_chars_advanced(first, last, parsed, options);
    if (result.ec == std::errc::result_out_of_range && result.ptr == last) {
        return NumberStatus::OutOfRange;
    }
    if (result.ec != std::errc() || result.ptr != last) return NumberStatus::Invalid;
    // Models hold float; anything a float cannot represent would turn into inf there.
    if (!std::isfinite(parsed) || std::fabs(parsed) > std::numeric_limits<float>::max()) {
        return NumberStatus::OutOfRange;
    }
    value = parsed;
    return NumberStatus::Ok;
}

}  // namespace cwb
