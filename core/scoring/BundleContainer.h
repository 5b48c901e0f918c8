#pragma once
// A model bundle's SQLite container read as untrusted data (docs/file-formats.md): the bytes
// are opened in memory, read-only, with SQLite's guards for hostile files (defensive mode,
// untrusted schema, length limits); the schema must be exactly the two tables the writer
// creates, with no views or triggers; PRAGMA quick_check must pass; meta keys and part names
// must be known, their count and sizes within BundleLimits, and each part must match its
// SHA-256. Only then does anything parse a part.

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "common/Result.h"

namespace cwb {

struct BundleLimits {
    static constexpr std::size_t maxFileBytes = std::size_t{512} << 20;
    static constexpr std::size_t maxModelBytes = std::size_t{256} << 20;  // the "model" part
    static constexpr std::size_t maxPartBytes = std::size_t{16} << 20;    // every other part
    static constexpr std::size_t maxMetaValueBytes = 4096;
    static constexpr std::size_t maxSchemaLevels = 65536;  // levels of one categorical column
};

// The parts and meta keys a bundle of format version 1 may hold; anything else is refused.
inline constexpr const char* kBundlePartNames[] = {
    "schema.json",  "model",        "scaling.json",  "policy.json",
    "reasons.json", "metrics.json", "training.json", "parameters.json"};
inline constexpr const char* kBundleMetaKeys[] = {"format",  "format_version", "name",
                                                  "version", "algorithm",      "model_kind"};

// The SQL the writer creates the tables with; the reader accepts exactly this.
inline constexpr const char* kBundleMetaTableSql =
    "CREATE TABLE bundle_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)";
inline constexpr const char* kBundlePartTableSql =
    "CREATE TABLE bundle_part(name TEXT PRIMARY KEY, content BLOB NOT NULL, sha256 TEXT NOT NULL)";

struct BundleContainer {
    std::map<std::string, std::string> meta;
    std::map<std::string, std::vector<std::uint8_t>> parts;  // each verified against its hash
    std::string manifestSha256;                              // see manifestSha256()
};

// The bundle's identity: SHA-256 over the manifest text, one line per meta row and per part in
// name order, `meta <key> <value>` and `part <name> <sha256 of content>`, key, value and name
// written as JSON strings. It changes when any meta row or part changes. It detects damage and
// names the content; it does not prove who made it (that is for signatures).
std::string manifestSha256(const std::map<std::string, std::string>& meta,
                           const std::map<std::string, std::string>& partHashes);

// BadInput "part 'P' fails the C check: ..." (P a part, a meta key or the container) for any
// refusal; Failure only when SQLite itself cannot run.
Result<BundleContainer> readBundleContainer(std::span<const std::uint8_t> file);

}  // namespace cwb
