#pragma once
// Streaming CSV reader: header row, RFC 4180 quoting (delimiters, quotes and newlines inside
// quoted fields), delimiter sniffed among comma, semicolon and tab, decimal comma detected,
// UTF-8 with or without BOM, LF or CRLF. Reads the file in blocks; memory use does not grow
// with the file's size. Not thread-safe; one reader per thread.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"
#include "data/TextEncoding.h"

namespace cwb {

struct CsvDialect {
    char delimiter = ',';
    char decimalSeparator = '.';  // ',' when the file writes numbers with a decimal comma
    bool hasBom = false;
    bool crlf = false;
    // The file's character encoding. Given as Auto (the default), open() reads UTF-8 and
    // switches to Windows-1252 when the first block is not valid UTF-8 (encodingDetected is set
    // then); after open() it is the encoding in use. Windows-1252 and ISO-8859-1 are transcoded
    // to UTF-8 as the file is read; invalid UTF-8 later in a UTF-8 file is an error naming the
    // line.
    TextEncoding encoding = TextEncoding::Auto;
    bool encodingDetected = false;
};

struct CsvRecord {
    // Unescaped fields. The views stay valid until the next call of CsvReader::next().
    std::vector<std::string_view> fields;
    std::int64_t lineNumber = 0;  // physical line (1-based, header is line 1) where it starts
    std::string_view raw;         // the record's raw text without the line ending
    std::string error;            // non-empty: the record is malformed (e.g. unterminated quote)
};

class CsvReader {
public:
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    // Opens the file, sniffs the dialect (unless given) and reads the header.
    // Fails with a message naming the file when it is missing, empty, binary or has no header.
    // `encoding` other than Auto overrides the given dialect's (CsvDialect::encoding).
    static Result<std::unique_ptr<CsvReader>> open(const std::string& path,
                                                   std::optional<CsvDialect> dialect = {},
                                                   TextEncoding encoding = TextEncoding::Auto);

    const std::string& path() const;
    const std::vector<std::string>& header() const;
    const CsvDialect& dialect() const;

    // Reads the next record; returns false at the end of the file. Blank lines are skipped.
    // I/O errors are returned as Error.
    Result<bool> next(CsvRecord& record);

    // For callers that split records on several threads: the raw text of up to maxLines whole
    // lines from the current position (blank lines included, what one buffer holds at most),
    // copied into `lines`, and the physical line number of the first. Given only while the text
    // holds no quote character, so that every line is exactly one record (parse each with
    // parsePlainRecord); otherwise nothing is consumed and the answer is Quoted: read on with
    // next(), then try again. End at the end of the file.
    enum class PlainLines { Read, Quoted, End };
    Result<PlainLines> nextPlainLines(std::string& lines, std::int64_t& firstLine,
                                      std::size_t maxLines);

    // Block mode, for a pipeline whose single reading thread only copies bytes: up to maxBytes
    // of whole lines (at least one line; blank lines included) from the current position,
    // stopping before the line of the first quote character, copied into `bytes`. Unlike
    // nextPlainLines, lines are not counted and UTF-8 is not checked here: the caller checks
    // the bytes it gets (validUtf8Prefix; only when the encoding is UTF-8, transcoded text is
    // valid) and, before the next call of next(), sets the line counter with setLine() to the
    // physical line that follows the blocks it was given. Quoted and End as for nextPlainLines.
    Result<PlainLines> nextPlainBlock(std::string& bytes, std::size_t maxBytes);
    // Physical line number of the next unread line (after blocks from nextPlainBlock).
    void setLine(std::int64_t line);
    std::int64_t nextLine() const;

    std::uint64_t bytesConsumed() const;  // for progress
    std::uint64_t fileSize() const;
    // Bytes the reader holds for its block buffer: one block (1 MiB) unless a single record is
    // longer, never more than about 2 x kMaxRecordBytes.
    std::size_t bufferCapacity() const;

    static constexpr std::size_t kBlockSize = std::size_t{1} << 20;
    // A record longer than this is reported as malformed (almost always a quote left open) and
    // reading resumes on the line after its start, so memory stays bounded.
    static constexpr std::size_t kMaxRecordBytes = std::size_t{64} << 20;

private:
    CsvReader();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Splits one line of text without quotes (from CsvReader::nextPlainLines; no line ending) into
// record.fields, exactly as next() would; sets record.raw. False for a blank line, which next()
// skips.
bool parsePlainRecord(std::string_view line, char delimiter, CsvRecord& record);

// Sniffs the dialect from the first bytes of a file (exposed for tests and the GUI preview).
CsvDialect sniffDialect(std::string_view sample);

enum class NumberStatus { Ok, Missing, Invalid, OutOfRange };
// Parses a numeric field (spaces trimmed; missing tokens give Missing; inf/nan and values
// beyond float range give OutOfRange).
NumberStatus parseNumber(std::string_view field, char decimalSeparator, double& value);

}  // namespace cwb
