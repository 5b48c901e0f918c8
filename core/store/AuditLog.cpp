#include "store/AuditLog.h"

#include <QDateTime>

#include <ostream>

#include "common/Hash.h"
#include "data/TextUtil.h"

namespace cwb::store {

namespace {

AuditEntry readEntry(const QSqlQuery& q) {
    AuditEntry e;
    e.seq = q.value(0).toLongLong();
    e.at = q.value(1).toString().toStdString();
    e.user = q.value(2).toString().toStdString();
    e.event = q.value(3).toString().toStdString();
    e.details = q.value(4).toString().toStdString();
    e.prevHash = q.value(5).toString().toStdString();
    e.hash = q.value(6).toString().toStdString();
    return e;
}

}  // namespace

std::string utcNow() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
}

nlohmann::json AuditEntry::toJson() const {
    nlohmann::json d = nlohmann::json::parse(details, nullptr, false);
    if (d.is_discarded()) d = details;
    return {{"seq", seq},     {"at", at},     {"user", user},
            {"event", event}, {"details", d}, {"prev_hash", prevHash},
            {"hash", hash}};
}

nlohmann::json ChainCheck::toJson() const {
    nlohmann::json j = {{"intact", intact}, {"entries", entries}, {"head", head}};
    if (!intact) {
        j["first_broken"] = firstBroken;
        j["problem"] = problem;
    }
    return j;
}

std::string auditEntryHash(std::int64_t seq, const std::string& at, const std::string& user,
                           const std::string& event, const std::string& details,
                           const std::string& prevHash) {
    // A JSON array is an unambiguous encoding of the parts (no separator can be forged).
    const nlohmann::json canonical = {seq, at, user, event, details, prevHash};
    return sha256Hex(canonical.dump());
}

Result<AuditEntry> AuditLog::append(const std::string& user, const std::string& event,
                                    const nlohmann::json& details) {
    if (m_db.inTransaction()) return appendLocked(user, event, details);
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    auto entry = appendLocked(user, event, details);
    if (!entry) return entry;
    if (auto r = tx.commit(); !r) return r.error();
    return entry;
}

Result<AuditEntry> AuditLog::appendLocked(const std::string& user, const std::string& event,
                                          const nlohmann::json& details) {
    // The write transaction holds the store's write lock, so reading the latest entry and
    // appending after it cannot interleave with another writer.
    auto last = m_db.run("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!last) return last.error();
    AuditEntry e;
    e.seq = 1;
    e.prevHash = kAuditGenesis;
    if (last->next()) {
        e.seq = last->value(0).toLongLong() + 1;
        e.prevHash = last->value(1).toString().toStdString();
    }
    last->finish();
    e.at = utcNow();
    e.user = user;
    e.event = event;
    e.details = (details.is_null() ? nlohmann::json::object() : details)
                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    e.hash = auditEntryHash(e.seq, e.at, e.user, e.event, e.details, e.prevHash);
    auto ins = m_db.run(
        "INSERT INTO audit_log (seq, at, user_name, event, details, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {QVariant::fromValue<qlonglong>(e.seq), QString::fromStdString(e.at),
         QString::fromStdString(e.user), QString::fromStdString(e.event),
         QString::fromStdString(e.details), QString::fromStdString(e.prevHash),
         QString::fromStdString(e.hash)});
    if (!ins) return ins.error();
    return e;
}

Result<std::string> AuditLog::head() {
    auto v = m_db.scalar("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!v) return v.error();
    return v->toString().toStdString();
}

Result<ChainCheck> AuditLog::verify(const std::string& keptHead) {
    auto q = m_db.run(
        "SELECT seq, at, user_name, event, details, prev_hash, hash FROM audit_log ORDER BY seq");
    if (!q) return q.error();
    ChainCheck check;
    std::string previous = kAuditGenesis;
    std::int64_t expectedSeq = 1;
    bool keptHeadFound = keptHead.empty();
    const auto broken = [&](std::int64_t seq, std::string problem) {
        if (!check.intact) return;
        check.intact = false;
        check.firstBroken = seq;
        check.problem = std::move(problem);
    };
    while (q->next()) {
        const AuditEntry e = readEntry(*q);
        ++check.entries;
        if (e.seq != expectedSeq)
            broken(e.seq, e.seq > expectedSeq
                              ? "entry " + std::to_string(expectedSeq) + " is missing (deleted)"
                              : "entry out of sequence");
        if (e.prevHash != previous)
            broken(e.seq, "does not follow the entry before it (deleted, inserted or reordered)");
        if (auditEntryHash(e.seq, e.at, e.user, e.event, e.details, e.prevHash) != e.hash)
            broken(e.seq, "content does not match its hash (edited)");
        if (!keptHeadFound && e.hash == keptHead) keptHeadFound = true;
        previous = e.hash;
        expectedSeq = e.seq + 1;
        check.head = e.hash;
    }
    q->finish();
    if (!keptHeadFound)
        broken(0, "the kept head " + keptHead +
                      " is not in the chain: the trail was rewritten or truncated");
    return check;
}

Result<std::vector<AuditEntry>> AuditLog::entries(const AuditFilter& filter) {
    QString sql =
        "SELECT seq, at, user_name, event, details, prev_hash, hash FROM audit_log WHERE 1 = 1";
    QVariantList binds;
    if (!filter.user.empty()) {
        sql += " AND user_name = ?";
        binds << QString::fromStdString(filter.user);
    }
    if (!filter.event.empty()) {
        sql += " AND event = ?";
        binds << QString::fromStdString(filter.event);
    }
    if (!filter.from.empty()) {
        sql += " AND at >= ?";
        binds << QString::fromStdString(filter.from);
    }
    if (!filter.to.empty()) {
        sql += " AND at < ?";
        binds << QString::fromStdString(filter.to);
    }
    auto q = m_db.run(sql + " ORDER BY seq", binds);
    if (!q) return q.error();
    std::vector<AuditEntry> result;
    while (q->next())
        result.push_back(readEntry(*q));
    return result;
}

Result<std::size_t> AuditLog::exportTo(std::ostream& out, Format format,
                                       const AuditFilter& filter) {
    auto list = entries(filter);
    if (!list) return list.error();
    if (format == Format::Csv) out << "seq,at,user,event,details,prev_hash,hash\n";
    for (const AuditEntry& e : *list) {
        if (format == Format::Csv) {
            std::string line = std::to_string(e.seq);
            for (const std::string* field :
                 {&e.at, &e.user, &e.event, &e.details, &e.prevHash, &e.hash}) {
                line.push_back(',');
                text::appendCsvField(line, *field);
            }
            out << line << '\n';
        } else
            out << e.toJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << '\n';
    }
    return list->size();
}

}  // namespace cwb::store
