#include "data/CsvReader.h"

#include <fast_float/fast_float.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
    std::uint64_t bufferOffset = 0;  // offset of buffer[0] in the (transcoded) text
    bool eof = false;
    bool skippingLine = false;  // discarding the rest of an over-long line
    // Set by nextPlainBlock: the caller checks UTF-8 in the blocks it takes, so fill() leaves it
    // and next() checks what it parses.
    bool deferUtf8 = false;
    std::int64_t line = 1;  // physical line at pos
    std::vector<char> scratch;
    // Encoding (data/TextEncoding.h): Auto until the header's block has been looked at.
    TextEncoding encoding = TextEncoding::Auto;
    std::size_t checked = 0;    // buffer bytes already verified as UTF-8
    std::uint64_t rawRead = 0;  // bytes read from the file (before transcoding)
    std::vector<char> raw;      // undecoded bytes of a single-byte encoding
    bool singleByte() const {
        return encoding == TextEncoding::Windows1252 || encoding == TextEncoding::Latin1;
    }

    Error invalidUtf8(std::size_t at) const {
        const char* begin = buffer.data() + std::min(pos, at);
        const std::int64_t badLine =
            line + std::count(begin, buffer.data() + at, '\n') - (at < pos ? 1 : 0);
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(buffer[at]));
        return Error::badInput(quotePath(path) + ": line " + std::to_string(badLine) +
                               " is not valid UTF-8 (byte " + byte +
                               "); name the file's encoding (windows-1252 or latin-1, "
                               "--encoding on the command line) or save it as UTF-8");
    }

    // Verifies the bytes read since the last check (UTF-8 files only).
    Result<void> checkUtf8() {
        if (encoding != TextEncoding::Utf8 || checked >= len) return {};
        bool invalid = false;
        checked += validUtf8Prefix(buffer.data() + checked, len - checked, eof, invalid);
        if (invalid) return invalidUtf8(checked);
        return {};
    }

    // Turns buffer[from, len) from the single-byte encoding into UTF-8 in place.
    void transcodeTail(std::size_t from) {
        std::vector<char> decoded;
        appendAsUtf8(decoded, buffer.data() + from, len - from, encoding);
        if (from + decoded.size() > buffer.size()) buffer.resize(from + decoded.size());
        std::memcpy(buffer.data() + from, decoded.data(), decoded.size());
        len = from + decoded.size();
    }

    // Moves unconsumed bytes to the front and reads more, growing the buffer only when one
    // record fills it.
    Result<void> fill() {
        if (pos > 0) {
            std::memmove(buffer.data(), buffer.data() + pos, len - pos);
            len -= pos;
            bufferOffset += pos;
            checked = checked > pos ? checked - pos : 0;
            pos = 0;
        }
        // A transcoded byte takes up to 3 in the buffer: keep room for a useful read.
        const std::size_t minFree = singleByte() ? 4096 : 1;
        if (buffer.size() - len < minFree) {
            const std::size_t grown = std::min(buffer.size() * 2, kMaxRecordBytes + kBlockSize);
            buffer.reserve(grown);  // exactly: resize alone may double the capacity again
            buffer.resize(grown);
        } else if (buffer.size() > kBlockSize && len < kBlockSize / 2) {
            // The long record is gone; give its memory back.
            buffer.resize(kBlockSize);
            buffer.shrink_to_fit();
        }
        std::size_t wanted = buffer.size() - len;
        std::size_t n = 0;
        if (singleByte()) {
            wanted /= 3;
            raw.resize(wanted);
            n = std::fread(raw.data(), 1, wanted, file.get());
            std::vector<char> decoded;
            appendAsUtf8(decoded, raw.data(), n, encoding);
            std::memcpy(buffer.data() + len, decoded.data(), decoded.size());
            len += decoded.size();
        } else {
            n = std::fread(buffer.data() + len, 1, wanted, file.get());
            len += n;
        }
        rawRead += n;
        if (n < wanted) {
            if (std::ferror(file.get())) {
                return Error::failure("cannot read " + quotePath(path) + ": " +
                                      std::strerror(errno));
            }
            eof = std::feof(file.get()) != 0;
            // A file cut short while it is read (rewritten by another program, truncated)
            // would otherwise end quietly with the rows it had.
            if (eof && rawRead < fileSize)
                return Error::badInput(quotePath(path) + " shrank while it was read (from " +
                                       std::to_string(fileSize) + " to " + std::to_string(rawRead) +
                                       " bytes); was it being rewritten? Read it again once it "
                                       "is complete");
        }
        if (deferUtf8) return {};
        return checkUtf8();
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
            if (deferUtf8) {
                if (auto r = checkUtf8(); !r) return r.error();
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

    Result<CsvReader::PlainLines> nextPlainBlock(std::string& out, std::size_t maxBytes) {
        using PlainLines = CsvReader::PlainLines;
        deferUtf8 = true;
        if (skippingLine) return PlainLines::Quoted;
        if (pos == len && eof) return PlainLines::End;
        if (!eof && len - pos < maxBytes) {
            if (auto r = fill(); !r) return r.error();
            if (pos == len && eof) return PlainLines::End;
        }
        const char* begin = buffer.data() + pos;
        const char* end = buffer.data() + std::min(len, pos + maxBytes);
        // Whole lines only (memrchr walks back over one line at most); the whole tail at the
        // end of the file.
        if (!(eof && end == buffer.data() + len)) {
            const auto* last = static_cast<const char*>(
                memrchr(begin, '\n', static_cast<std::size_t>(end - begin)));
            if (!last) {
                // A line longer than maxBytes: give it whole when the buffer holds it.
                last = static_cast<const char*>(
                    std::memchr(end, '\n', static_cast<std::size_t>(buffer.data() + len - end)));
                if (!last) return PlainLines::Quoted;  // longer than the buffer: next() copes
            }
            end = last + 1;
        }
        // memchr for a quote runs at memory speed; lines before the first quote's are plain.
        if (const auto* quote = static_cast<const char*>(
                std::memchr(begin, '"', static_cast<std::size_t>(end - begin)))) {
            const auto* lineEnd = static_cast<const char*>(
                memrchr(begin, '\n', static_cast<std::size_t>(quote - begin)));
            if (!lineEnd) return PlainLines::Quoted;
            end = lineEnd + 1;
        }
        out.assign(begin, end);
        pos += static_cast<std::size_t>(end - begin);
        checked = std::max(checked, pos);  // the caller checks these bytes
        return PlainLines::Read;
    }

    bool encodingDetected = false;

    // Decides the encoding from the first block (already in the buffer, read as bytes).
    Result<void> chooseEncoding(TextEncoding given) {
        const bool bom = len >= 3 && std::memcmp(buffer.data(), "\xEF\xBB\xBF", 3) == 0;
        encoding = given;
        if (encoding == TextEncoding::Auto) {
            bool invalid = false;
            validUtf8Prefix(buffer.data(), len, eof, invalid);
            encoding = invalid && !bom ? TextEncoding::Windows1252 : TextEncoding::Utf8;
            encodingDetected = invalid && !bom;
        }
        if (singleByte()) {
            transcodeTail(0);
            checked = len;
            return {};
        }
        checked = 0;
        return checkUtf8();
    }

    Result<void> readHeader(const std::optional<CsvDialect>& given, TextEncoding named) {
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
        if (named == TextEncoding::Auto && given) named = given->encoding;
        if (auto r = chooseEncoding(named); !r) return r;
        const std::string_view text(buffer.data(), len);
        if (text.find('\n') == std::string_view::npos &&
            text.find('\r') != std::string_view::npos && text.find('\r') + 1 < text.size()) {
            return Error::badInput(quotePath(path) +
                                   " ends its lines with a carriage return alone (classic Mac "
                                   "OS); save it with Windows (CRLF) or Unix (LF) line ends");
        }
        const CsvDialect sniffed = csv::sniff(text, eof);
        dialect = given.value_or(sniffed);
        dialect.encoding = encoding;
        dialect.encodingDetected = encodingDetected;
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
            // Bounded: a file with thousands of repeated names gets a readable message.
            const std::size_t shown = std::min<std::size_t>(duplicates.size(), 10);
            const std::string more =
                shown < duplicates.size()
                    ? " and " + std::to_string(duplicates.size() - shown) + " more"
                    : "";
            duplicates.resize(shown);
            for (const std::string& name : duplicates) {
                if (!list.empty()) list += ", ";
                list.append("'").append(name.substr(0, 100)).append("' (columns");
                const auto& columns = positions[name];
                for (std::size_t c = 0; c < std::min<std::size_t>(columns.size(), 10); ++c) {
                    list.append(" ").append(std::to_string(columns[c]));
                }
                if (columns.size() > 10) list.append(" ...");
                list += ")";
            }
            return Error::badInput(where + " names a column more than once: " + list + more +
                                   "; every column needs a unique name");
        }
        return {};
    }
};

CsvReader::CsvReader() : m_impl(std::make_unique<Impl>()) {}
CsvReader::~CsvReader() = default;

Result<std::unique_ptr<CsvReader>> CsvReader::open(const std::string& path,
                                                   std::optional<CsvDialect> dialect,
                                                   TextEncoding encoding) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return Error::badInput(quotePath(path) + " is a folder, not a CSV file");
    }
    std::unique_ptr<CsvReader> reader(new CsvReader());
    Impl& d = *reader->m_impl;
    d.path = path;
    // Non-blocking open: a FIFO without a writer would block open() forever. Only regular files
    // are read (a pipe or device has no size to check progress and truncation against).
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return Error::badInput("cannot open " + quotePath(path) + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return Error::badInput(quotePath(path) +
                               " is not a regular file (a pipe, device or socket); save the data "
                               "to a file and read that");
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    d.file.reset(::fdopen(fd, "rb"));
    if (!d.file) {
        ::close(fd);
        return Error::badInput("cannot open " + quotePath(path) + ": " + std::strerror(errno));
    }
    d.fileSize = static_cast<std::uint64_t>(st.st_size);
    d.buffer.resize(kBlockSize);
    if (auto r = d.readHeader(dialect, encoding); !r) return r.error();
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

Result<CsvReader::PlainLines> CsvReader::nextPlainBlock(std::string& bytes, std::size_t maxBytes) {
    return m_impl->nextPlainBlock(bytes, std::max<std::size_t>(1, maxBytes));
}
void CsvReader::setLine(std::int64_t line) {
    m_impl->line = line;
}
std::int64_t CsvReader::nextLine() const {
    return m_impl->line;
}

// Bytes of the file read past, for progress: at most fileSize(). A transcoded file (Windows-1252,
// Latin-1) is longer in the buffer than on disk, so the buffer's offset is scaled back.
std::uint64_t CsvReader::bytesConsumed() const {
    const Impl& d = *m_impl;
    std::uint64_t consumed = d.bufferOffset + d.pos;
    // A transcoded byte takes 1 to 3 bytes in the buffer, and the buffer holds the transcoding
    // of the rawRead bytes read so far: scale by that ratio (found by fuzz_csv_reader: a file
    // with one 0xFD byte reported 709 of its 708 bytes consumed).
    const std::uint64_t decoded = d.bufferOffset + d.len;
    if (d.singleByte() && decoded > 0)
        consumed = static_cast<std::uint64_t>(static_cast<long double>(consumed) *
                                              static_cast<long double>(d.rawRead) /
                                              static_cast<long double>(decoded));
    return std::min(consumed, d.fileSize);
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
