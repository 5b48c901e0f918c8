#include "store/Applicants.h"

#include <QDateTime>

#include <algorithm>

#include "data/CsvParse.h"

namespace cwb::store {

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

nlohmann::json parsed(const QVariant& v) {
    auto j = nlohmann::json::parse(v.toString().toStdString(), nullptr, false);
    return j.is_discarded() ? nlohmann::json(v.toString().toStdString()) : j;
}

Result<void> checkId(const std::string& id) {
    if (id.empty() || id.size() > 256)
        return Error::badInput("an applicant id is 1 to 256 characters");
    return {};
}

}  // namespace

Result<nlohmann::json> Applicants::collect(const std::string& pseudonym, bool unmasked) {
    nlohmann::json result = {{"applicant", pseudonym}};
    auto a = m_db.run(
        "SELECT first_seen_at, last_seen_at, erased_at FROM applicants WHERE pseudonym = ?",
        {q(pseudonym)});
    if (!a) return a.error();
    if (a->next()) {
        result["first_seen_at"] = a->value(0).toString().toStdString();
        result["last_seen_at"] = a->value(1).toString().toStdString();
        result["erased_at"] = a->value(2).isNull()
                                  ? nlohmann::json(nullptr)
                                  : nlohmann::json(a->value(2).toString().toStdString());
    }
    a->finish();
    auto d = m_db.run(
        "SELECT d.id, d.at, d.user_name, d.source, d.model_name, d.model_version, "
        "d.bundle_sha256, d.pd, d.score, d.decision, d.reasons, x.inputs, x.pii_fields FROM "
        "decisions d LEFT JOIN applicant_data x ON x.decision_id = d.id WHERE d.pseudonym = ? "
        "ORDER BY d.id",
        {q(pseudonym)});
    if (!d) return d.error();
    nlohmann::json decisions = nlohmann::json::array();
    while (d->next()) {
        nlohmann::json inputs = nullptr;  // null: erased or purged
        if (!d->value(11).isNull()) {
            inputs = parsed(d->value(11));
            if (!unmasked) {
                const nlohmann::json pii = parsed(d->value(12));
                for (const auto& field : pii)
                    if (field.is_string() && inputs.contains(field.get<std::string>()))
                        inputs[field.get<std::string>()] = kMask;
            }
        }
        decisions.push_back({{"id", d->value(0).toLongLong()},
                             {"at", d->value(1).toString().toStdString()},
                             {"user", d->value(2).toString().toStdString()},
                             {"source", d->value(3).toString().toStdString()},
                             {"model", d->value(4).toString().toStdString()},
                             {"model_version", d->value(5).toString().toStdString()},
                             {"bundle_sha256", d->value(6).toString().toStdString()},
                             {"pd", d->value(7).toDouble()},
                             {"score", d->value(8).toLongLong()},
                             {"decision", d->value(9).toString().toStdString()},
                             {"reasons", parsed(d->value(10))},
                             {"inputs", inputs}});
    }
    d->finish();
    for (auto& decision : decisions) {
        auto o = m_db.run(
            "SELECT at, user_name, original_decision, new_decision, reason_code, comment FROM "
            "overrides WHERE decision_id = ? ORDER BY id",
            {QVariant::fromValue<qlonglong>(decision["id"].get<std::int64_t>())});
        if (!o) return o.error();
        nlohmann::json overrides = nlohmann::json::array();
        while (o->next()) {
            nlohmann::json comment = nullptr;
            if (!o->value(5).isNull())
                comment = unmasked ? nlohmann::json(o->value(5).toString().toStdString())
                                   : nlohmann::json(kMask);
            overrides.push_back({{"at", o->value(0).toString().toStdString()},
                                 {"user", o->value(1).toString().toStdString()},
                                 {"from", o->value(2).toString().toStdString()},
                                 {"to", o->value(3).toString().toStdString()},
                                 {"reason_code", o->value(4).toString().toStdString()},
                                 {"comment", comment}});
        }
        decision["overrides"] = overrides;
    }
    result["decisions"] = decisions;
    // Batch results carry no inputs (those stay in the batch's input file). They are kept as
    // the lines the scorer wrote, by pseudonym (store/BatchRecorder.h): found by scanning.
    auto b = m_db.run(
        "SELECT r.id, r.started_at, r.model_name, r.model_version, b.first_row, b.lines FROM "
        "batch_results b JOIN batch_runs r ON r.id = b.batch_id ORDER BY r.id, b.first_row");
    if (!b) return b.error();
    nlohmann::json batch = nlohmann::json::array();
    const std::string key = pseudonym + ",";
    std::vector<char> scratch;
    CsvRecord record;
    while (b->next()) {
        const std::string lines = b->value(5).toString().toStdString();
        for (std::size_t at = lines.find(key); at != std::string::npos;
             at = lines.find(key, at + 1)) {
            if (at != 0 && lines[at - 1] != '\n') continue;
            const std::int64_t row =
                b->value(4).toLongLong() +
                std::count(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(at), '\n');
            const csv::Parsed parsed = csv::parseRecord(
                lines.data() + at, lines.data() + lines.size(), true, ',', scratch, record);
            if (parsed.outcome != csv::Outcome::Complete || record.fields.size() < 4) continue;
            nlohmann::json reasons = nlohmann::json::array();
            for (std::size_t k = 4; k < record.fields.size(); ++k)
                if (!record.fields[k].empty()) reasons.push_back(std::string(record.fields[k]));
            batch.push_back({{"batch", b->value(0).toLongLong()},
                             {"at", b->value(1).toString().toStdString()},
                             {"model", b->value(2).toString().toStdString()},
                             {"model_version", b->value(3).toString().toStdString()},
                             {"row", row},
                             {"pd", std::stod(std::string(record.fields[1]))},
                             {"score", std::stol(std::string(record.fields[2]))},
                             {"decision", std::string(record.fields[3])},
                             {"reasons", reasons}});
        }
    }
    result["batch_results"] = batch;
    return result;
}

Result<nlohmann::json> Applicants::show(const Actor& by, const std::string& applicantId) {
    if (auto r = require(by, Action::ViewApplicant); !r) return r.error();
    if (auto r = checkId(applicantId); !r) return r.error();
    const std::string pseudonym = m_pseudonym(applicantId);
    auto data = collect(pseudonym, by.may(Action::ViewPii));
    if (!data) return data;
    (*data)["id"] = by.may(Action::ViewPii) ? applicantId : kMask;
    (*data)["masked"] = !by.may(Action::ViewPii);
    if (auto a = m_audit.append(by.name, "applicant_viewed", {{"applicant", pseudonym}}); !a)
        return a.error();
    return data;
}

Result<nlohmann::json> Applicants::exportSubject(const Actor& by, const std::string& applicantId) {
    if (auto r = require(by, Action::ExportApplicant); !r) return r.error();
    if (auto r = checkId(applicantId); !r) return r.error();
    const std::string pseudonym = m_pseudonym(applicantId);
    auto data = collect(pseudonym, true);
    if (!data) return data;
    (*data)["id"] = applicantId;
    (*data)["exported_at"] = utcNow();
    (*data)["format"] = "credit-workbench-subject-access-1";
    if (auto a = m_audit.append(by.name, "applicant_exported", {{"applicant", pseudonym}}); !a)
        return a.error();
    return data;
}

Result<void> Applicants::truncateWal(nlohmann::json& summary) {
    if (m_db.dialect() != Dialect::Sqlite) return {};
    // The write-ahead log still holds the old pages; folding it into the file and truncating
    // it to zero bytes removes them. Readers in other processes can keep a checkpoint from
    // completing: then the summary says so, and the next checkpoint finishes the job.
    auto r = m_db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    if (!r) return r.error();
    const bool busy = r->next() && r->value(0).toInt() != 0;
    r->finish();
    summary["wal_truncated"] = !busy;
    return {};
}

Result<nlohmann::json> Applicants::erase(const Actor& by, const std::string& applicantId) {
    if (auto r = require(by, Action::EraseApplicant); !r) return r.error();
    if (auto r = checkId(applicantId); !r) return r.error();
    const std::string pseudonym = m_pseudonym(applicantId);
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    auto inputs = m_db.run("DELETE FROM applicant_data WHERE pseudonym = ?", {q(pseudonym)});
    if (!inputs) return inputs.error();
    const int inputsRemoved = inputs->numRowsAffected();
    auto comments = m_db.run(
        "UPDATE overrides SET comment = NULL WHERE comment IS NOT NULL AND decision_id IN "
        "(SELECT id FROM decisions WHERE pseudonym = ?)",
        {q(pseudonym)});
    if (!comments) return comments.error();
    const int commentsRemoved = comments->numRowsAffected();
    auto mark = m_db.run("UPDATE applicants SET erased_at = ? WHERE pseudonym = ?",
                         {q(utcNow()), q(pseudonym)});
    if (!mark) return mark.error();
    const bool known = mark->numRowsAffected() > 0;
    nlohmann::json summary = {{"applicant", pseudonym},
                              {"known", known},
                              {"inputs_removed", inputsRemoved},
                              {"comments_removed", commentsRemoved}};
    if (auto a = m_audit.append(by.name, "applicant_erased", summary); !a) return a.error();
    if (auto r = tx.commit(); !r) return r.error();
    if (auto r = truncateWal(summary); !r) return r.error();
    return summary;
}

Result<nlohmann::json> Applicants::purge(const Actor& by) {
    if (auto r = require(by, Action::PurgeStore); !r) return r.error();
    auto days = m_settings.retentionDays();
    if (!days) return days.error();
    if (*days == 0)
        return Error::badInput(
            "no retention period is set (cwb store set retention_days N): "
            "nothing to purge");
    const std::string cutoff =
        QDateTime::currentDateTimeUtc().addDays(-*days).toString(Qt::ISODateWithMs).toStdString();
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    // numRowsAffected() reads the connection's latest change count: taken after each statement.
    const auto changed = [&](const QString& sql) -> Result<int> {
        auto r = m_db.run(sql, {q(cutoff)});
        if (!r) return r.error();
        return r->numRowsAffected();
    };
    auto inputs = changed("DELETE FROM applicant_data WHERE at < ?");
    if (!inputs) return inputs.error();
    auto comments =
        changed("UPDATE overrides SET comment = NULL WHERE comment IS NOT NULL AND at < ?");
    if (!comments) return comments.error();
    auto batch = changed(
        "DELETE FROM batch_results WHERE batch_id IN (SELECT id FROM batch_runs WHERE "
        "started_at < ?)");
    if (!batch) return batch.error();
    nlohmann::json summary = {{"retention_days", *days},
                              {"cutoff", cutoff},
                              {"inputs_removed", *inputs},
                              {"comments_removed", *comments},
                              {"batch_rows_removed", *batch}};
    if (auto a = m_audit.append(by.name, "store_purged", summary); !a) return a.error();
    if (auto r = tx.commit(); !r) return r.error();
    if (auto r = truncateWal(summary); !r) return r.error();
    return summary;
}

}  // namespace cwb::store
