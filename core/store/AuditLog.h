#pragma once
// The hash-chained audit trail. Each entry holds the SHA-256 of its predecessor (prev_hash) and
// its own hash over its canonical content (sequence number, time, user, event, details,
// prev_hash), so an edited, deleted, inserted or reordered entry breaks the chain where it
// happened. A rewrite of the whole chain (every hash recomputed) is caught against a head hash
// kept elsewhere (`verify(keptHead)`). Details never hold personal data in clear: applicants
// appear by pseudonym only, so erasure never has to rewrite the chain.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "store/Database.h"

namespace cwb::store {

struct AuditEntry {
    std::int64_t seq = 0;
    std::string at;  // UTC, ISO 8601 with milliseconds
    std::string user;
    std::string event;
    std::string details;  // canonical JSON text (sorted keys), hashed as stored
    std::string prevHash;
    std::string hash;
    nlohmann::json toJson() const;
};

struct ChainCheck {
    bool intact = true;
    std::int64_t entries = 0;
    std::int64_t firstBroken = 0;  // seq of the first entry that fails (0 when intact)
    std::string problem;           // what is wrong with it, in words
    std::string head;              // hash of the latest entry
    nlohmann::json toJson() const;
};

struct AuditFilter {
    std::string user;   // empty: any
    std::string event;  // empty: any
    std::string from;   // ISO time, inclusive; empty: no bound
    std::string to;     // ISO time, exclusive; empty: no bound
};

// The hash of an entry from its parts (exposed so tests can forge a consistent rewrite).
std::string auditEntryHash(std::int64_t seq, const std::string& at, const std::string& user,
                           const std::string& event, const std::string& details,
                           const std::string& prevHash);
inline const std::string kAuditGenesis(64, '0');

class AuditLog {
public:
    explicit AuditLog(Database& db) : m_db(db) {}

    // Appends one entry. Joins the caller's open transaction (so the event and what it records
    // commit together), or runs in its own.
    Result<AuditEntry> append(const std::string& user, const std::string& event,
                              const nlohmann::json& details);
    Result<std::string> head();
    // Walks the whole chain in sequence order. With `keptHead`, the chain must still contain
    // the entry with that hash (entries appended after it are fine).
    Result<ChainCheck> verify(const std::string& keptHead = {});
    Result<std::vector<AuditEntry>> entries(const AuditFilter& filter = {});
    // CSV (header seq,at,user,event,details,prev_hash,hash) or JSON lines.
    enum class Format { Csv, JsonLines };
    Result<std::size_t> exportTo(std::ostream& out, Format format, const AuditFilter& filter = {});

private:
    Result<AuditEntry> appendLocked(const std::string& user, const std::string& event,
                                    const nlohmann::json& details);
    Database& m_db;
};

std::string utcNow();

}  // namespace cwb::store
