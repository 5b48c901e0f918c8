#include "store/Decisions.h"

#include <algorithm>
#include <cmath>

namespace cwb::store {

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

QVariant qll(std::int64_t v) {
    return QVariant::fromValue<qlonglong>(v);
}

}  // namespace

Result<std::int64_t> Decisions::record(const Actor& by, const DecisionInput& input) {
    if (auto r = require(by, Action::RecordDecision); !r) return r.error();
    if (input.applicantId.empty())
        return Error::badInput(
            "recording a decision needs the applicant's id (the model's id "
            "column, or --applicant-id)");
    if (input.applicantId.size() > 256)
        return Error::badInput("the applicant id is longer than 256 characters");
    if (std::find(kDecisionValues.begin(), kDecisionValues.end(), input.decision) ==
        kDecisionValues.end())
        return Error::failure("store: unknown decision '" + input.decision + "' (a bug)");
    const std::string pseudonym = m_pseudonym(input.applicantId);
    nlohmann::json inputs = nlohmann::json::object();
    for (const auto& [k, v] : input.inputs)
        inputs[k] = v;
    const std::string at = utcNow();
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    auto seen =
        m_db.run("UPDATE applicants SET last_seen_at = ?, erased_at = NULL WHERE pseudonym = ?",
                 {q(at), q(pseudonym)});
    if (!seen) return seen.error();
    if (seen->numRowsAffected() == 0) {
        auto ins = m_db.run(
            "INSERT INTO applicants (pseudonym, first_seen_at, last_seen_at) VALUES (?, ?, ?)",
            {q(pseudonym), q(at), q(at)});
        if (!ins) return ins.error();
    }
    auto ins = m_db.run(
        "INSERT INTO decisions (at, user_name, pseudonym, source, model_name, model_version, "
        "bundle_sha256, pd, score, decision, reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        {q(at), q(by.name), q(pseudonym), q(input.source), q(input.modelName),
         q(input.modelVersion), q(input.bundleSha256), input.pd, qll(input.score),
         q(input.decision), q(input.reasons.dump())});
    if (!ins) return ins.error();
    if (!ins->next()) return Error::failure("store: recording a decision returned no id");
    const std::int64_t id = ins->value(0).toLongLong();
    ins->finish();
    auto data = m_db.run(
        "INSERT INTO applicant_data (decision_id, pseudonym, at, inputs, pii_fields) VALUES (?, "
        "?, ?, ?, ?)",
        {qll(id), q(pseudonym), q(at), q(inputs.dump()),
         q(nlohmann::json(input.piiFields).dump())});
    if (!data) return data.error();
    if (auto a = m_audit.append(by.name, "decision_recorded",
                                {{"decision_id", id},
                                 {"applicant", pseudonym},
                                 {"source", input.source},
                                 {"model", input.modelName},
                                 {"model_version", input.modelVersion},
                                 {"bundle_sha256", input.bundleSha256},
                                 {"score", input.score},
                                 {"decision", input.decision}});
        !a)
        return a.error();
    if (auto r = tx.commit(); !r) return r.error();
    return id;
}

Result<std::int64_t> Decisions::override(const Actor& by, std::int64_t decisionId,
                                         const std::string& newDecision,
                                         const std::string& reasonCode,
                                         const std::string& comment) {
    if (auto r = require(by, Action::OverrideDecision); !r) return r.error();
    if (std::find(kDecisionValues.begin(), kDecisionValues.end(), newDecision) ==
        kDecisionValues.end())
        return Error::badInput("a decision is approve, refer or decline, not '" + newDecision +
                               "'");
    auto codes = m_settings.overrideReasons();
    if (!codes) return codes.error();
    if (std::find(codes->begin(), codes->end(), reasonCode) == codes->end()) {
        std::string list;
        for (const auto& c : *codes)
            list += (list.empty() ? "" : ", ") + c;
        return Error::badInput("unknown override reason '" + reasonCode + "': one of " + list);
    }
    if (comment.find_first_not_of(" \t\r\n") == std::string::npos)
        return Error::badInput("an override needs a comment");
    if (comment.size() > 2000) return Error::badInput("the comment is longer than 2000 characters");
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    // The decision in force: the latest override's, else the recorded one.
    auto current = m_db.run(
        "SELECT d.decision, d.pseudonym, (SELECT o.new_decision FROM overrides o WHERE "
        "o.decision_id = d.id ORDER BY o.id DESC LIMIT 1) FROM decisions d WHERE d.id = ?",
        {qll(decisionId)});
    if (!current) return current.error();
    if (!current->next()) return Error::badInput("no decision " + std::to_string(decisionId));
    const std::string original = current->value(2).isNull()
                                     ? current->value(0).toString().toStdString()
                                     : current->value(2).toString().toStdString();
    const std::string pseudonym = current->value(1).toString().toStdString();
    current->finish();
    if (original == newDecision)
        return Error::badInput("decision " + std::to_string(decisionId) + " is already " +
                               newDecision);
    auto ins = m_db.run(
        "INSERT INTO overrides (decision_id, at, user_name, original_decision, new_decision, "
        "reason_code, comment) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {qll(decisionId), q(utcNow()), q(by.name), q(original), q(newDecision), q(reasonCode),
         q(comment)});
    if (!ins) return ins.error();
    if (!ins->next()) return Error::failure("store: recording an override returned no id");
    const std::int64_t id = ins->value(0).toLongLong();
    ins->finish();
    // The comment stays out of the audit trail: free text may hold personal data.
    if (auto a = m_audit.append(by.name, "decision_overridden",
                                {{"decision_id", decisionId},
                                 {"override_id", id},
                                 {"applicant", pseudonym},
                                 {"from", original},
                                 {"to", newDecision},
                                 {"reason_code", reasonCode}});
        !a)
        return a.error();
    if (auto r = tx.commit(); !r) return r.error();
    return id;
}

Result<std::optional<nlohmann::json>> Decisions::find(std::int64_t decisionId) {
    auto d = m_db.run(
        "SELECT id, at, user_name, pseudonym, source, model_name, model_version, bundle_sha256, "
        "pd, score, decision, reasons FROM decisions WHERE id = ?",
        {qll(decisionId)});
    if (!d) return d.error();
    if (!d->next()) return std::optional<nlohmann::json>();
    nlohmann::json j = {
        {"id", d->value(0).toLongLong()},
        {"at", d->value(1).toString().toStdString()},
        {"user", d->value(2).toString().toStdString()},
        {"applicant", d->value(3).toString().toStdString()},
        {"source", d->value(4).toString().toStdString()},
        {"model", d->value(5).toString().toStdString()},
        {"model_version", d->value(6).toString().toStdString()},
        {"bundle_sha256", d->value(7).toString().toStdString()},
        {"pd", d->value(8).toDouble()},
        {"score", d->value(9).toLongLong()},
        {"decision", d->value(10).toString().toStdString()},
        {"reasons", nlohmann::json::parse(d->value(11).toString().toStdString(), nullptr, false)}};
    d->finish();
    auto o = m_db.run(
        "SELECT id, at, user_name, original_decision, new_decision, reason_code, comment FROM "
        "overrides WHERE decision_id = ? ORDER BY id",
        {qll(decisionId)});
    if (!o) return o.error();
    nlohmann::json overrides = nlohmann::json::array();
    std::string inForce = j["decision"];
    while (o->next()) {
        overrides.push_back(
            {{"id", o->value(0).toLongLong()},
             {"at", o->value(1).toString().toStdString()},
             {"user", o->value(2).toString().toStdString()},
             {"from", o->value(3).toString().toStdString()},
             {"to", o->value(4).toString().toStdString()},
             {"reason_code", o->value(5).toString().toStdString()},
             {"comment", o->value(6).isNull()
                             ? nlohmann::json(nullptr)
                             : nlohmann::json(o->value(6).toString().toStdString())}});
        inForce = o->value(4).toString().toStdString();
    }
    j["overrides"] = overrides;
    j["decision_in_force"] = inForce;
    return std::optional<nlohmann::json>(j);
}

Result<nlohmann::json> Decisions::overrideReport(const Actor& by, int bandWidth) {
    if (auto r = require(by, Action::ReportDecisions); !r) return r.error();
    if (bandWidth < 1 || bandWidth > 1000)
        return Error::badInput("the score band width must be 1 to 1000 points");
    // Each recorded decision once, with whether (and by whom, why) it was overridden last.
    auto rows = m_db.run(
        "SELECT d.score, d.user_name, o.user_name, o.reason_code FROM decisions d LEFT JOIN "
        "overrides o ON o.id = (SELECT MAX(x.id) FROM overrides x WHERE x.decision_id = d.id)");
    if (!rows) return rows.error();
    struct Count {
        std::int64_t decisions = 0, overrides = 0;
    };
    Count total;
    std::map<std::string, Count> byOfficer;  // decisions recorded by, overrides made by
    std::map<std::string, std::int64_t> byReason;
    std::map<long, Count> byBand;
    while (rows->next()) {
        const long score = static_cast<long>(rows->value(0).toLongLong());
        const long band = static_cast<long>(std::floor(double(score) / bandWidth)) * bandWidth;
        const bool overridden = !rows->value(2).isNull();
        ++total.decisions;
        ++byBand[band].decisions;
        ++byOfficer[rows->value(1).toString().toStdString()].decisions;
        if (overridden) {
            ++total.overrides;
            ++byBand[band].overrides;
            ++byOfficer[rows->value(2).toString().toStdString()].overrides;
            ++byReason[rows->value(3).toString().toStdString()];
        }
    }
    const auto rate = [](std::int64_t part, std::int64_t whole) {
        return whole > 0 ? nlohmann::json(double(part) / double(whole)) : nlohmann::json(nullptr);
    };
    nlohmann::json officers = nlohmann::json::array();
    for (const auto& [user, c] : byOfficer)
        officers.push_back({{"user", user},
                            {"decisions_recorded", c.decisions},
                            {"overrides", c.overrides},
                            {"share_of_overrides", rate(c.overrides, total.overrides)}});
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& [code, n] : byReason)
        reasons.push_back(
            {{"reason_code", code}, {"overrides", n}, {"share", rate(n, total.overrides)}});
    nlohmann::json bands = nlohmann::json::array();
    for (const auto& [band, c] : byBand)
        bands.push_back({{"from", band},
                         {"to", band + bandWidth},
                         {"decisions", c.decisions},
                         {"overrides", c.overrides},
                         {"rate", rate(c.overrides, c.decisions)}});
    return nlohmann::json{{"decisions", total.decisions},
                          {"overrides", total.overrides},
                          {"rate", rate(total.overrides, total.decisions)},
                          {"band_width", bandWidth},
                          {"by_officer", officers},
                          {"by_reason", reasons},
                          {"by_score_band", bands}};
}

}  // namespace cwb::store
