#include "store/Registry.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <set>

#include "common/Hash.h"
#include "scoring/ModelBundle.h"

namespace cwb::store {

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}
QVariant id(std::int64_t v) {
    return QVariant::fromValue<qlonglong>(v);
}

const char* kVersionColumns =
    "id, name, version, stage, bundle_sha256, file_sha256, bundle_name, bundle_version, "
    "algorithm, file_bytes, registered_by, registered_at, stage_changed_at";

RegistryVersion readVersion(const QSqlQuery& r) {
    RegistryVersion v;
    v.id = r.value(0).toLongLong();
    v.name = r.value(1).toString().toStdString();
    v.version = r.value(2).toLongLong();
    v.stage = r.value(3).toString().toStdString();
    v.bundleSha256 = r.value(4).toString().toStdString();
    v.fileSha256 = r.value(5).toString().toStdString();
    v.bundleName = r.value(6).toString().toStdString();
    v.bundleVersion = r.value(7).toString().toStdString();
    v.algorithm = r.value(8).toString().toStdString();
    v.fileBytes = r.value(9).toLongLong();
    v.registeredBy = r.value(10).toString().toStdString();
    v.registeredAt = r.value(11).toString().toStdString();
    v.stageChangedAt = r.value(12).toString().toStdString();
    return v;
}

// Model names: 1 to 64 of letters, digits, '.', '_', '-'.
Result<void> checkModelName(const std::string& name) {
    const bool valid =
        !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-';
        });
    if (!valid)
        return Error::badInput("invalid model name '" + name.substr(0, 64) +
                               "': 1 to 64 letters, digits, '.', '_' or '-'");
    return {};
}

Error notFound(const std::string& name, std::int64_t version) {
    return Error::badInput("no version " + std::to_string(version) + " of model '" + name +
                           "' in the registry");
}

Result<void> setStage(Database& db, std::int64_t versionId, const std::string& stage) {
    auto upd = db.run("UPDATE registry_versions SET stage = ?, stage_changed_at = ? WHERE id = ?",
                      {q(stage), q(utcNow()), id(versionId)});
    if (!upd) return upd.error();
    return {};
}

}  // namespace

std::string approvalMessage(const std::string& bundleSha256) {
    return "credit-workbench model approval v1: bundle manifest sha256 " + bundleSha256;
}

nlohmann::json RegistryVersion::toJson() const {
    return {{"name", name},
            {"version", version},
            {"stage", stage},
            {"bundle_sha256", bundleSha256},
            {"file_sha256", fileSha256},
            {"bundle_name", bundleName},
            {"bundle_version", bundleVersion},
            {"algorithm", algorithm},
            {"file_bytes", fileBytes},
            {"registered_by", registeredBy},
            {"registered_at", registeredAt},
            {"stage_changed_at", stageChangedAt}};
}

nlohmann::json ApprovalCheck::toJson() const {
    nlohmann::json j = {{"approved", approved}};
    if (approved) {
        j["name"] = name;
        j["version"] = version;
        j["approver"] = approver;
        j["approved_at"] = at;
    } else {
        j["reason"] = reason;
    }
    return j;
}

Result<std::optional<RegistryVersion>> Registry::findWhere(const QString& where,
                                                           const QVariantList& binds) {
    auto r = m_db.run(QString("SELECT ") + kVersionColumns + " FROM registry_versions WHERE " +
                          where + " ORDER BY id",
                      binds);
    if (!r) return r.error();
    if (!r->next()) return std::optional<RegistryVersion>();
    RegistryVersion v = readVersion(*r);
    r->finish();
    return std::optional<RegistryVersion>(v);
}

Result<RegistryVersion> Registry::find(const std::string& name, std::int64_t version) {
    auto v = findWhere("name = ? AND version = ?", {q(name), id(version)});
    if (!v) return v.error();
    if (!*v) return notFound(name, version);
    return **v;
}

Result<std::vector<RegistryVersion>> Registry::list(const std::string& name) {
    auto r = name.empty() ? m_db.run(QString("SELECT ") + kVersionColumns +
                                     " FROM registry_versions ORDER BY name, version")
                          : m_db.run(QString("SELECT ") + kVersionColumns +
                                         " FROM registry_versions WHERE name = ? ORDER BY version",
                                     {q(name)});
    if (!r) return r.error();
    std::vector<RegistryVersion> out;
    while (r->next())
        out.push_back(readVersion(*r));
    return out;
}

Result<RegistryVersion> Registry::add(const Actor& by, const std::string& name,
                                      const std::string& bundlePath) {
    if (auto r = require(by, Action::RegisterModel); !r) return r.error();
    if (auto r = checkModelName(name); !r) return r.error();
    const QFileInfo info(q(bundlePath));
    if (!info.isFile()) return Error::badInput("model '" + bundlePath + "' is not a file");
    if (info.size() > kMaxRegisteredBundleBytes)
        return Error::badInput("model '" + bundlePath + "' is larger than the registry's " +
                               std::to_string(kMaxRegisteredBundleBytes >> 20) + " MiB");
    QFile file(q(bundlePath));
    if (!file.open(QIODevice::ReadOnly))
        return Error::badInput("cannot read model '" + bundlePath +
                               "': " + file.errorString().toStdString());
    const QByteArray bytes = file.read(kMaxRegisteredBundleBytes + 1);
    if (bytes.size() > kMaxRegisteredBundleBytes)
        return Error::badInput("model '" + bundlePath + "' is too large for the registry");
    // Checked in full (every part against its hash, every limit) before it is stored.
    auto bundle = loadBundleFromBytes({reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                       static_cast<std::size_t>(bytes.size())},
                                      bundlePath);
    if (!bundle) return bundle.error();
    const std::string fileSha =
        sha256Hex(bytes.constData(), static_cast<std::size_t>(bytes.size()));

    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    auto same = findWhere("name = ? AND bundle_sha256 = ?", {q(name), q(bundle->sha256)});
    if (!same) return same.error();
    if (*same)
        return Error::badInput("this bundle is already version " +
                               std::to_string((*same)->version) + " of model '" + name + "'");
    auto last = m_db.scalar("SELECT MAX(version) FROM registry_versions WHERE name = ?", {q(name)});
    if (!last) return last.error();
    const std::int64_t version = last->isNull() ? 1 : last->toLongLong() + 1;
    const QString now = q(utcNow());
    auto ins = m_db.run(
        "INSERT INTO registry_versions (name, version, stage, bundle_sha256, file_sha256, "
        "bundle_name, bundle_version, algorithm, file_bytes, bundle_base64, registered_by, "
        "registered_at, stage_changed_at) VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {q(name), id(version), q(bundle->sha256), q(fileSha), q(bundle->name), q(bundle->version),
         q(bundle->model->algorithm()), id(bytes.size()), QString::fromLatin1(bytes.toBase64()),
         q(by.name), now, now});
    if (!ins) return ins.error();
    if (auto a = m_audit.append(by.name, "model_registered",
                                {{"model", name},
                                 {"version", version},
                                 {"bundle_sha256", bundle->sha256},
                                 {"file_sha256", fileSha},
                                 {"stage", "draft"}});
        !a)
        return a.error();
    auto added = find(name, version);
    if (!added) return added.error();
    if (auto r = tx.commit(); !r) return r.error();
    return added;
}

Result<std::vector<std::uint8_t>> Registry::bundleBytes(const std::string& name,
                                                        std::int64_t version) {
    auto v =
        m_db.scalar("SELECT bundle_base64 FROM registry_versions WHERE name = ? AND version = ?",
                    {q(name), id(version)});
    if (!v) return v.error();
    if (v->isNull()) return notFound(name, version);
    const QByteArray bytes = QByteArray::fromBase64(v->toString().toLatin1());
    return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

Result<GateThresholds> Registry::thresholds() {
    GateThresholds t;
    auto r = m_db.run("SELECT key, value FROM registry_thresholds");
    if (!r) return r.error();
    while (r->next())
        // A key this program does not know (a newer version's) is ignored, not fatal.
        (void)t.set(r->value(0).toString().toStdString(), r->value(1).toDouble());
    return t;
}

Result<void> Registry::setThreshold(const Actor& by, const std::string& key, double value) {
    if (auto r = require(by, Action::ChangeThresholds); !r) return r.error();
    auto current = thresholds();
    if (!current) return current.error();
    const double previous = current->toJson().value(key, 0.0);
    if (auto r = current->set(key, value); !r) return r;
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    auto del = m_db.run("DELETE FROM registry_thresholds WHERE key = ?", {q(key)});
    if (!del) return del.error();
    auto ins =
        m_db.run("INSERT INTO registry_thresholds (key, value) VALUES (?, ?)", {q(key), value});
    if (!ins) return ins.error();
    if (auto a = m_audit.append(by.name, "threshold_changed",
                                {{"threshold", key}, {"value", value}, {"previous", previous}});
        !a)
        return a.error();
    return tx.commit();
}

Result<std::int64_t> Registry::recordValidation(const Actor& by, const std::string& name,
                                                std::int64_t version, const GateResult& gate,
                                                const ValidationInfo& info) {
    if (auto r = require(by, Action::ValidateModel); !r) return r.error();
    auto thresholdsNow = thresholds();
    if (!thresholdsNow) return thresholdsNow.error();
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    auto v = find(name, version);
    if (!v) return v.error();
    if (v->stage == "retired")
        return Error::badInput("version " + std::to_string(version) + " of '" + name +
                               "' is retired");
    auto ins = m_db.run(
        "INSERT INTO registry_validations (version_id, at, user_name, data_name, data_sha256, "
        "target, bad_value, rows_used, failed_checks, thresholds) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?) RETURNING id",
        {id(v->id), q(utcNow()), q(by.name), q(info.dataName), q(info.dataSha256), q(info.target),
         q(info.badValue), id(static_cast<std::int64_t>(gate.report.performance.rows)),
         id(static_cast<std::int64_t>(gate.failed())), q(thresholdsNow->toJson().dump())});
    if (!ins) return ins.error();
    if (!ins->next()) return Error::failure("store: inserting a validation returned no id");
    const std::int64_t validationId = ins->value(0).toLongLong();
    ins->finish();
    nlohmann::json failed = nlohmann::json::array();
    for (std::size_t i = 0; i < gate.checks.size(); ++i) {
        const GateCheck& c = gate.checks[i];
        auto row = m_db.run(
            "INSERT INTO registry_checks (validation_id, check_index, check_name, subject, figure, "
            "threshold, comparison, verdict, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {id(validationId), id(static_cast<std::int64_t>(i)), q(c.check), q(c.subject),
             c.figure ? QVariant(*c.figure) : QVariant(QMetaType(QMetaType::Double)), c.threshold,
             q(c.comparison), q(c.verdict), q(c.detail.dump())});
        if (!row) return row.error();
        if (c.verdict == "fail")
            failed.push_back({{"check", c.check},
                              {"subject", c.subject},
                              {"figure", c.figure ? nlohmann::json(*c.figure) : nullptr},
                              {"threshold", c.threshold}});
    }
    if (v->stage == "draft")
        if (auto r = setStage(m_db, v->id, "validated"); !r) return r.error();
    if (auto a = m_audit.append(by.name, "model_validated",
                                {{"model", name},
                                 {"version", version},
                                 {"validation_id", validationId},
                                 {"data_sha256", info.dataSha256},
                                 {"checks", gate.checks.size()},
                                 {"failed", failed}});
        !a)
        return a.error();
    if (auto r = tx.commit(); !r) return r.error();
    return validationId;
}

Result<nlohmann::json> Registry::approve(const Actor& by, const SecretString& password,
                                         const std::string& name, std::int64_t version,
                                         const std::string& justification) {
    if (auto r = require(by, Action::ApproveModel); !r) return r.error();
    if (justification.size() > kMaxJustificationLength)
        return Error::badInput("the justification is longer than " +
                               std::to_string(kMaxJustificationLength) + " characters");
    auto v = find(name, version);
    if (!v) return v.error();
    if (v->registeredBy == by.name)
        return Error::failure("four eyes: '" + by.name + "' registered version " +
                              std::to_string(version) + " of '" + name +
                              "' and may not approve it; another compliance user must");
    if (v->stage != "validated")
        return Error::badInput("version " + std::to_string(version) + " of '" + name + "' is " +
                               v->stage +
                               (v->stage == "draft" ? ": run `cwb registry validate` first"
                                                    : ": only a validated version is approved"));
    auto latest = m_db.run(
        "SELECT id FROM registry_validations WHERE version_id = ? ORDER BY id DESC", {id(v->id)});
    if (!latest) return latest.error();
    if (!latest->next()) return Error::badInput("version has no validation");
    const std::int64_t validationId = latest->value(0).toLongLong();
    latest->finish();
    auto checks = m_db.run(
        "SELECT check_name, subject, figure, threshold FROM registry_checks WHERE validation_id "
        "= ? AND verdict = 'fail' ORDER BY check_index",
        {id(validationId)});
    if (!checks) return checks.error();
    nlohmann::json failed = nlohmann::json::array();
    std::string failedText;
    while (checks->next()) {
        const std::string check = checks->value(0).toString().toStdString();
        const std::string subject = checks->value(1).toString().toStdString();
        failed.push_back(
            {{"check", check},
             {"subject", subject},
             {"figure", checks->value(2).isNull() ? nlohmann::json(nullptr)
                                                  : nlohmann::json(checks->value(2).toDouble())},
             {"threshold", checks->value(3).toDouble()}});
        failedText += (failedText.empty() ? "" : "; ") + check +
                      (subject.empty() ? "" : " (" + subject + ")");
    }
    checks->finish();
    const bool blank = std::all_of(justification.begin(), justification.end(),
                                   [](unsigned char c) { return std::isspace(c); });
    if (!failed.empty() && blank)
        return Error::badInput(std::to_string(failed.size()) +
                               " check(s) failed the validation gate (" + failedText +
                               "): approval needs a written justification (--justification)");
    // Signing derives the sealing key (Argon2id): done before the write lock is taken.
    auto signature = m_keys.sign(by.name, password, approvalMessage(v->bundleSha256));
    if (!signature) return signature.error();
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    const std::string now = utcNow();
    auto ins = m_db.run(
        "INSERT INTO registry_approvals (version_id, validation_id, at, approver, key_id, "
        "bundle_sha256, signature, justification) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {id(v->id), id(validationId), q(now), q(by.name), id(signature->keyId), q(v->bundleSha256),
         q(signature->signature),
         failed.empty() && blank ? QVariant(QMetaType(QMetaType::QString)) : q(justification)});
    if (!ins) return ins.error();
    if (auto r = setStage(m_db, v->id, "approved"); !r) return r.error();
    nlohmann::json details = {{"model", name},
                              {"version", version},
                              {"bundle_sha256", v->bundleSha256},
                              {"validation_id", validationId},
                              {"key_id", signature->keyId},
                              {"signature", signature->signature},
                              {"failed_checks", failed}};
    if (!blank) details["justification"] = justification;
    if (auto a = m_audit.append(by.name, "model_approved", details); !a) return a.error();
    if (auto r = tx.commit(); !r) return r.error();
    details["approver"] = by.name;
    details["approved_at"] = now;
    return details;
}

Result<std::optional<RegistryVersion>> Registry::inStage(const std::string& name,
                                                         const std::string& stage) {
    return findWhere("name = ? AND stage = ?", {q(name), q(stage)});
}

Result<nlohmann::json> Registry::promote(const Actor& by, const std::string& name,
                                         std::int64_t version, const std::string& stage) {
    if (auto r = require(by, Action::PromoteModel); !r) return r.error();
    if (stage != "champion" && stage != "challenger" && stage != "retired")
        return Error::badInput("unknown stage '" + stage.substr(0, 32) +
                               "': champion, challenger or retired");
    auto v = find(name, version);
    if (!v) return v.error();
    if (v->stage == stage)
        return Error::badInput("version " + std::to_string(version) + " of '" + name +
                               "' is already " + stage);
    if (stage != "retired") {
        if (v->stage == "retired" || v->stage == "draft" || v->stage == "validated")
            return Error::badInput("version " + std::to_string(version) + " of '" + name + "' is " +
                                   v->stage + ": only an approved version becomes " + stage);
        auto approval = checkVersionApproved(*v);
        if (!approval) return approval.error();
        if (!approval->approved)
            return Error::failure("version " + std::to_string(version) + " of '" + name +
                                  "' has no valid approval: " + approval->reason);
    }
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) return r.error();
    nlohmann::json details = {
        {"model", name}, {"version", version}, {"stage", stage}, {"previous_stage", v->stage}};
    if (stage != "retired") {
        auto previous = inStage(name, stage);
        if (!previous) return previous.error();
        if (*previous) {
            // The version it replaces stays approved (and signed): it can come back.
            if (auto r = setStage(m_db, (*previous)->id, "approved"); !r) return r.error();
            details["demoted_version"] = (*previous)->version;
        }
    }
    if (auto r = setStage(m_db, v->id, stage); !r) return r.error();
    if (auto a = m_audit.append(by.name, stage == "retired" ? "model_retired" : "model_promoted",
                                details);
        !a)
        return a.error();
    if (auto r = tx.commit(); !r) return r.error();
    return details;
}

Result<ApprovalCheck> Registry::checkVersionApproved(const RegistryVersion& v) {
    ApprovalCheck out;
    out.name = v.name;
    out.version = v.version;
    if (v.stage == "retired") {
        out.reason = "version " + std::to_string(v.version) + " of '" + v.name + "' is retired";
        return out;
    }
    auto r = m_db.run(
        "SELECT approver, at, key_id, bundle_sha256, signature FROM registry_approvals WHERE "
        "version_id = ? ORDER BY id DESC",
        {id(v.id)});
    if (!r) return r.error();
    struct Row {
        std::string approver, at, sha, signature;
        std::int64_t keyId;
    };
    std::vector<Row> rows;
    while (r->next())
        rows.push_back({r->value(0).toString().toStdString(), r->value(1).toString().toStdString(),
                        r->value(3).toString().toStdString(), r->value(4).toString().toStdString(),
                        r->value(2).toLongLong()});
    r->finish();
    out.reason = "version " + std::to_string(v.version) + " of '" + v.name + "' is not approved";
    for (const Row& row : rows) {
        auto key = m_keys.byId(row.keyId);
        if (!key) return key.error();
        if (!*key || (*key)->user != row.approver || row.sha != v.bundleSha256 ||
            !verifySignature((*key)->publicKey, approvalMessage(v.bundleSha256), row.signature)) {
            out.reason = "the approval by '" + row.approver + "' has no valid signature";
            continue;
        }
        auto user = m_users.find(row.approver);
        if (!user) return user.error();
        if (!*user || (*user)->disabled || !(*user)->roles.count(Role::Compliance)) {
            out.reason =
                "the approver '" + row.approver + "' is no longer a current compliance user";
            continue;
        }
        out.approved = true;
        out.reason.clear();
        out.approver = row.approver;
        out.at = row.at;
        return out;
    }
    return out;
}

Result<ApprovalCheck> Registry::checkApproved(const std::string& bundleSha256) {
    auto r = m_db.run(QString("SELECT ") + kVersionColumns +
                          " FROM registry_versions WHERE bundle_sha256 = ? ORDER BY id",
                      {q(bundleSha256)});
    if (!r) return r.error();
    std::vector<RegistryVersion> versions;
    while (r->next())
        versions.push_back(readVersion(*r));
    r->finish();
    ApprovalCheck out;
    out.reason = "the bundle (manifest sha256 " + bundleSha256 + ") is not in the registry";
    for (const auto& v : versions) {
        auto check = checkVersionApproved(v);
        if (!check) return check.error();
        if (check->approved) return check;
        out = *check;
    }
    return out;
}

Result<nlohmann::json> Registry::show(const std::string& name, std::int64_t version) {
    auto v = find(name, version);
    if (!v) return v.error();
    nlohmann::json j = v->toJson();
    // Approvals first: the justification is shown beside each failed figure below.
    auto a = m_db.run(
        "SELECT a.at, a.approver, a.key_id, a.validation_id, a.justification, a.signature, "
        "k.public_key FROM registry_approvals a JOIN signing_keys k ON k.id = a.key_id WHERE "
        "a.version_id = ? ORDER BY a.id",
        {id(v->id)});
    if (!a) return a.error();
    nlohmann::json approvals = nlohmann::json::array();
    std::map<std::int64_t, std::string> justifications;  // validation id -> text
    while (a->next()) {
        const std::int64_t validationId = a->value(3).toLongLong();
        const std::string justification = a->value(4).toString().toStdString();
        if (!justification.empty()) justifications[validationId] = justification;
        approvals.push_back(
            {{"approved_at", a->value(0).toString().toStdString()},
             {"approver", a->value(1).toString().toStdString()},
             {"key_id", a->value(2).toLongLong()},
             {"validation_id", validationId},
             {"justification",
              a->value(4).isNull() ? nlohmann::json(nullptr) : nlohmann::json(justification)},
             {"signature_valid", verifySignature(a->value(6).toString().toStdString(),
                                                 approvalMessage(v->bundleSha256),
                                                 a->value(5).toString().toStdString())}});
    }
    a->finish();
    auto state = checkVersionApproved(*v);
    if (!state) return state.error();
    j["approvals"] = approvals;
    j["approval"] = state->toJson();
    auto val = m_db.run(
        "SELECT id, at, user_name, data_name, data_sha256, target, bad_value, rows_used, "
        "failed_checks, thresholds FROM registry_validations WHERE version_id = ? ORDER BY id "
        "DESC",
        {id(v->id)});
    if (!val) return val.error();
    if (!val->next()) {
        j["validation"] = nullptr;
        return j;
    }
    const std::int64_t validationId = val->value(0).toLongLong();
    nlohmann::json validation = {
        {"id", validationId},
        {"at", val->value(1).toString().toStdString()},
        {"user", val->value(2).toString().toStdString()},
        {"data", val->value(3).toString().toStdString()},
        {"data_sha256", val->value(4).toString().toStdString()},
        {"target", val->value(5).toString().toStdString()},
        {"bad_value", val->value(6).toString().toStdString()},
        {"rows", val->value(7).toLongLong()},
        {"failed", val->value(8).toLongLong()},
        {"thresholds",
         nlohmann::json::parse(val->value(9).toString().toStdString(), nullptr, false)}};
    val->finish();
    auto c = m_db.run(
        "SELECT check_name, subject, figure, threshold, comparison, verdict, detail FROM "
        "registry_checks WHERE validation_id = ? ORDER BY check_index",
        {id(validationId)});
    if (!c) return c.error();
    nlohmann::json checks = nlohmann::json::array();
    while (c->next()) {
        nlohmann::json check = {
            {"check", c->value(0).toString().toStdString()},
            {"subject", c->value(1).toString().toStdString()},
            {"figure", c->value(2).isNull() ? nlohmann::json(nullptr)
                                            : nlohmann::json(c->value(2).toDouble())},
            {"threshold", c->value(3).toDouble()},
            {"comparison", c->value(4).toString().toStdString()},
            {"verdict", c->value(5).toString().toStdString()},
            {"detail",
             nlohmann::json::parse(c->value(6).toString().toStdString(), nullptr, false)}};
        if (check["verdict"] == "fail" && justifications.count(validationId))
            check["justification"] = justifications[validationId];
        checks.push_back(check);
    }
    validation["checks"] = checks;
    j["validation"] = validation;
    return j;
}

}  // namespace cwb::store
