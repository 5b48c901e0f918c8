#include "scoring/BundleContainer.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <iterator>

#include <nlohmann/json.hpp>

#include "common/Hash.h"
#include "common/Sqlite.h"

namespace cwb {

namespace {

constexpr int kApplicationId = 0x43574231;  // "CWB1"
constexpr std::size_t kMaxSchemaEntries = 16;
// Row counts read before anything else: above these nothing is read; below, each row must be
// a known key or part (refused by name otherwise).
constexpr std::int64_t kMaxMetaRows = 16;
constexpr std::int64_t kMaxPartRows = 16;

Error refuse(const std::string& part, const std::string& check, const std::string& detail) {
    return Error::badInput("part '" + part + "' fails the " + check + " check: " + detail);
}

template <std::size_t N>
bool listed(const char* const (&names)[N], const std::string& name) {
    return std::any_of(std::begin(names), std::end(names),
                       [&](const char* known) { return name == known; });
}

bool isSha256Hex(const std::string& text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

// SQLite's own protections for a database from an untrusted source (sqlite.org/security.html),
// set before the file's schema is read.
void guard(sqlite3* db) {
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, static_cast<int>(BundleLimits::maxModelBytes + 1));
    sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
    sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100);
    sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 100);
    sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 3);
    sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 8);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100);
    sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 16);
    sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
}

// Exactly the two tables and their primary-key indexes, defined as the writer defines them: a
// view or trigger could run arbitrary SQL (a recursive CTE without end) when the loader reads,
// a generated column could conjure gigabytes.
Result<void> checkSchema(SqliteDatabase& db) {
    auto q = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema");
    if (!q) return refuse("container", "SQLite schema", q.error().message);
    std::vector<std::string> unexpected;
    int tables = 0;
    for (std::size_t entries = 0;; ++entries) {
        auto row = q->step();
        if (!row) return refuse("container", "SQLite schema", row.error().message);
        if (!*row) break;
        if (entries >= kMaxSchemaEntries) {
            unexpected.push_back("more entries");
            break;
        }
        const std::string type = q->columnText(0), name = q->columnText(1),
                          table = q->columnText(2), sql = q->columnText(3);
        const bool metaTable =
            type == "table" && name == "bundle_meta" && table == name && sql == kBundleMetaTableSql;
        const bool partTable =
            type == "table" && name == "bundle_part" && table == name && sql == kBundlePartTableSql;
        const bool keyIndex =
            type == "index" && sql.empty() &&
            ((name == "sqlite_autoindex_bundle_meta_1" && table == "bundle_meta") ||
             (name == "sqlite_autoindex_bundle_part_1" && table == "bundle_part"));
        if (metaTable || partTable) {
            ++tables;
        } else if (!keyIndex) {
            unexpected.push_back(
                type + " '" + name + "'" +
                (type == "table" && (name == "bundle_meta" || name == "bundle_part")
                     ? " (defined differently from what Credit Workbench writes)"
                     : ""));
        }
    }
    if (!unexpected.empty()) {
        std::string list;
        for (const auto& entry : unexpected)
            list += (list.empty() ? "" : ", ") + entry;
        return refuse(
            "container", "SQLite schema",
            "it holds " + list + "; a bundle holds only the tables bundle_meta and bundle_part");
    }
    if (tables != 2)
        return refuse("container", "SQLite schema",
                      "the tables bundle_meta and bundle_part are not both there");
    return {};
}

Result<void> quickCheck(SqliteDatabase& db) {
    auto q = db.prepare("PRAGMA quick_check(1)");
    if (!q) return refuse("container", "SQLite integrity", q.error().message);
    auto row = q->step();
    if (!row) return refuse("container", "SQLite integrity", row.error().message);
    if (!*row || q->columnText(0) != "ok")
        return refuse("container", "SQLite integrity",
                      *row ? q->columnText(0) : std::string("no answer"));
    return {};
}

Result<std::int64_t> countRows(SqliteDatabase& db, const std::string& table) {
    auto q = db.prepare("SELECT count(*) FROM " + table);
    if (!q) return refuse(table, "container", q.error().message);
    auto row = q->step();
    if (!row || !*row) return refuse(table, "container", "cannot be counted");
    return q->columnInt(0);
}

Result<void> readMeta(SqliteDatabase& db, BundleContainer& out) {
    auto count = countRows(db, "bundle_meta");
    if (!count) return count.error();
    if (*count > kMaxMetaRows)
        return refuse("bundle_meta", "row count",
                      std::to_string(*count) + " rows where a bundle has " +
                          std::to_string(std::size(kBundleMetaKeys)));
    auto q = db.prepare("SELECT key, typeof(value), length(value), value FROM bundle_meta");
    if (!q) return refuse("bundle_meta", "container", q.error().message);
    for (;;) {
        auto row = q->step();
        if (!row) return refuse("bundle_meta", "container", row.error().message);
        if (!*row) break;
        const std::string key = q->columnText(0);
        if (!listed(kBundleMetaKeys, key))
            return refuse("bundle_meta", "known keys", "unknown key '" + key.substr(0, 64) + "'");
        if (q->columnText(1) != "text" ||
            q->columnInt(2) > static_cast<std::int64_t>(BundleLimits::maxMetaValueBytes))
            return refuse("bundle_meta", "value",
                          "the value of '" + key + "' is not text of at most " +
                              std::to_string(BundleLimits::maxMetaValueBytes) + " bytes");
        if (!out.meta.emplace(key, q->columnText(3)).second)
            return refuse("bundle_meta", "known keys", "the key '" + key + "' is there twice");
    }
    return {};
}

Result<void> readParts(SqliteDatabase& db, BundleContainer& out,
                       std::map<std::string, std::string>& hashes) {
    auto count = countRows(db, "bundle_part");
    if (!count) return count.error();
    if (*count > kMaxPartRows)
        return refuse("bundle_part", "part count",
                      std::to_string(*count) + " parts where a bundle has at most " +
                          std::to_string(std::size(kBundlePartNames)));
    // Names, types and sizes first: no content is read before it is known to be within bounds.
    auto q = db.prepare("SELECT name, typeof(content), length(content), sha256 FROM bundle_part");
    if (!q) return refuse("bundle_part", "container", q.error().message);
    for (;;) {
        auto row = q->step();
        if (!row) return refuse("bundle_part", "container", row.error().message);
        if (!*row) break;
        const std::string name = q->columnText(0);
        if (!listed(kBundlePartNames, name))
            return refuse(name.substr(0, 64), "known parts",
                          "a bundle holds no such part (format version 1)");
        const std::size_t limit =
            name == "model" ? BundleLimits::maxModelBytes : BundleLimits::maxPartBytes;
        if (q->columnText(1) != "blob" || q->columnInt(2) > static_cast<std::int64_t>(limit))
            return refuse(
                name, "size",
                "the content is not data of at most " + std::to_string(limit >> 20) + " MB");
        const std::string hash = q->columnText(3);
        if (!isSha256Hex(hash))
            return refuse(name, "SHA-256", "the recorded hash is not a SHA-256 in hex");
        if (!hashes.emplace(name, hash).second)
            return refuse(name, "known parts", "the part is there twice");
    }
    auto content = db.prepare("SELECT content FROM bundle_part WHERE name = ?");
    if (!content) return refuse("bundle_part", "container", content.error().message);
    for (const auto& [name, hash] : hashes) {
        if (auto r = content->bind(1, name); !r) return r;
        auto row = content->step();
        if (!row || !*row) return refuse(name, "container", "the content cannot be read");
        auto bytes = content->columnBlob(0);
        if (sha256Hex(bytes) != hash)
            return refuse(name, "SHA-256", "the content does not match its hash (damaged)");
        out.parts.emplace(name, std::move(bytes));
        if (auto r = content->reset(); !r) return r;
    }
    return {};
}

}  // namespace

std::string manifestSha256(const std::map<std::string, std::string>& meta,
                           const std::map<std::string, std::string>& partHashes) {
    std::string manifest;
    for (const auto& [key, value] : meta)
        manifest +=
            "meta " + nlohmann::json(key).dump() + " " + nlohmann::json(value).dump() + "\n";
    for (const auto& [name, hash] : partHashes)
        manifest += "part " + nlohmann::json(name).dump() + " " + hash + "\n";
    return sha256Hex(manifest);
}

Result<BundleContainer> readBundleContainer(std::span<const std::uint8_t> file) {
    static constexpr char kMagic[] = "SQLite format 3";  // with its NUL: 16 bytes
    if (file.size() > BundleLimits::maxFileBytes)
        return refuse("container", "size",
                      "larger than " + std::to_string(BundleLimits::maxFileBytes >> 20) + " MB");
    if (file.size() < 512 || std::memcmp(file.data(), kMagic, sizeof kMagic) != 0)
        return refuse("container", "format", "not a model bundle (.cwbm) file");

    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    SqliteDatabase db = SqliteDatabase::adopt(raw);
    if (rc != SQLITE_OK) return Error::failure("SQLite cannot open a database in memory");
    guard(raw);
    // Read-only over the caller's bytes: SQLite neither copies nor writes them.
    auto* data = const_cast<unsigned char*>(file.data());
    if (sqlite3_deserialize(raw, "main", data, static_cast<sqlite3_int64>(file.size()),
                            static_cast<sqlite3_int64>(file.size()),
                            SQLITE_DESERIALIZE_READONLY) != SQLITE_OK)
        return refuse("container", "format", "SQLite cannot read it: " + db.lastError());

    {
        auto appId = db.prepare("PRAGMA application_id");
        if (!appId) return refuse("container", "format", appId.error().message);
        if (auto row = appId->step(); !row || !*row || appId->columnInt(0) != kApplicationId)
            return refuse("container", "format", "not a model bundle (a foreign SQLite database)");
    }
    if (auto r = checkSchema(db); !r) return r.error();
    if (auto r = quickCheck(db); !r) return r.error();
    BundleContainer out;
    if (auto r = readMeta(db, out); !r) return r.error();
    std::map<std::string, std::string> hashes;
    if (auto r = readParts(db, out, hashes); !r) return r.error();
    out.manifestSha256 = manifestSha256(out.meta, hashes);
    return out;
}

}  // namespace cwb
