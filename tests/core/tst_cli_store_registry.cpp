// `cwb registry` end to end on the German data (issue 12): the validation gate on the shipped
// model (performance, stability, monotonicity and additivity pass; fairness figures checked
// against rates counted here from the data and `cwb score`'s decisions, and equal to
// `cwb fairness`), a model with sex as an input failing by sex, four-eyes approval with
// justifications, `--require-approved` scoring, and the champion/challenger swap set.

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>

#include "CliRunner.h"
#include "common/Hash.h"
#include "common/Sqlite.h"
#include "data/Table.h"

using namespace cwb;
using namespace cwb::test;
using nlohmann::json;

namespace {

struct Cli {
    QString store;
    CliRun operator()(const QStringList& args, const QString& user = {},
                      const QString& password = {}, const QString& newPassword = {}) const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* v : {"CWB_STORE", "CWB_USER", "CWB_PASSWORD", "CWB_NEW_PASSWORD"})
            env.remove(v);
        env.insert("CWB_STORE", store);
        if (!user.isEmpty()) env.insert("CWB_USER", user);
        if (!password.isEmpty()) env.insert("CWB_PASSWORD", password);
        if (!newPassword.isEmpty()) env.insert("CWB_NEW_PASSWORD", newPassword);
        // setsid: no terminal, so a missing password is an error, never a prompt.
        return runProgram("setsid", QStringList{"-w", cliPath()} + args, env, 240000);
    }
    CliRun as(const QString& user, const QStringList& args) const {
        return (*this)(args, user, user + "-password");
    }
};

const QString kModel = QString::fromStdString(sourcePath("models/german_credit.cwbm"));
const QString kData = QString::fromStdString(sourcePath("sample_data/german_credit.csv"));

const json* findCheck(const json& checks, const std::string& check, const std::string& subject) {
    for (const auto& c : checks)
        if (c["check"] == check && c["subject"] == subject) return &c;
    return nullptr;
}

std::vector<std::string> column(const Table& t, const char* name) {
    return t.columns[t.columnIndex(name)];
}

// A copy of the bundle with one part changed and its hash recomputed: a well-formed bundle
// that is not the one approved.
bool editPart(const QString& from, const QString& to) {
    QFile::remove(to);
    if (!QFile::copy(from, to)) return false;
    QFile::setPermissions(to, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    auto db = SqliteDatabase::open(to.toStdString(), SqliteDatabase::Mode::ReadWriteCreate);
    if (!db) return false;
    auto read = db->prepare("SELECT content FROM bundle_part WHERE name = 'reasons.json'");
    if (!read) return false;
    auto row = read->step();
    if (!row || !*row) return false;
    auto reasons = json::parse(read->columnBlob(0));
    // A characteristic's text is a string, or an object whose "text" is (texts per level).
    for (auto& [k, v] : reasons.items()) {
        json& text = v.is_object() ? v["text"] : v;
        text = "edited: " + text.get<std::string>();
    }
    const std::string text = reasons.dump();
    auto write = db->prepare("UPDATE bundle_part SET content = ?, sha256 = ? WHERE name = ?");
    if (!write) return false;
    return write->bindBlob(1, text.data(), text.size()).ok() &&
           write->bind(2, sha256Hex(text)).ok() && write->bind(3, "reasons.json").ok() &&
           write->step().ok();
}

}  // namespace

class TstCliStoreRegistry : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void shippedModelPassesTheGateExceptFairness();
    void sexAsAnInputFailsFairnessBySex();
    void approvalIsFourEyesAndNeedsJustification();
    void requireApprovedScoring();
    void serveRequiresApproval();
    void challengerSwapSet();
    void auditTrailHoldsTheJustification();
    void productionLockIsAnAdminSetting();
    void validationReportShowsTheGate();

private:
    QTemporaryDir m_dir;
    Cli m_cwb;
    QString m_sexModel;
};

void TstCliStoreRegistry::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_cwb.store = m_dir.filePath("store.sqlite");
    QVERIFY(m_cwb({"store", "init", "--admin", "root"}, {}, {}, "root-password").ok());
    for (const auto& [name, roles] :
         std::vector<std::pair<QString, QStringList>>{{"dan", {"data_scientist"}},
                                                      {"carol", {"compliance"}},
                                                      {"cid", {"compliance", "data_scientist"}}}) {
        QStringList args{"user", "add", "--name", name};
        for (const auto& r : roles)
            args << "--role" << r;
        auto add = m_cwb(args, "root", "root-password", name + "-password");
        QVERIFY2(add.ok(), add.err.constData());
    }
    // A model that uses personal status and sex as an input (age and foreign worker kept out).
    m_sexModel = m_dir.filePath("german_sex.cwbm");
    auto train = runCli({"train",
                         "--data",
                         kData,
                         "--target",
                         "class",
                         "--bad",
                         "2",
                         "--algorithm",
                         "scorecard",
                         "--cv",
                         "2",
                         "--seed",
                         "7",
                         "--id",
                         "applicant_id",
                         "--protected",
                         "age_years,foreign_worker",
                         "--name",
                         "german_sex",
                         "--out",
                         m_sexModel,
                         "--quiet"});
    QVERIFY2(train.ok(), train.err.constData());
    auto add =
        m_cwb.as("dan", {"registry", "add", "--name", "german", "--model", kModel, "--json"});
    QVERIFY2(add.ok(), add.err.constData());
    QCOMPARE(add.json()["version"].get<int>(), 1);
    QCOMPARE(add.json()["stage"].get<std::string>(), std::string("draft"));
    // cid registers the second version (and so may not approve it).
    auto second =
        m_cwb.as("cid", {"registry", "add", "--name", "german", "--model", m_sexModel, "--json"});
    QVERIFY2(second.ok(), second.err.constData());
    QCOMPARE(second.json()["version"].get<int>(), 2);
    // Registering needs the data_scientist role.
    auto refused = m_cwb.as("carol", {"registry", "add", "--name", "x", "--model", kModel});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY(refused.err.contains("needs the role data_scientist"));
}

void TstCliStoreRegistry::shippedModelPassesTheGateExceptFairness() {
    auto run = m_cwb.as("dan", {"registry", "validate", "--name", "german", "--version", "1",
                                "--data", kData, "--json"});
    QVERIFY2(run.ok(), run.err.constData());
    const json checks = run.json()["checks"];
    QCOMPARE(run.json()["rows"].get<int>(), 1000);
    for (const char* name : {"auc", "ks", "score_psi", "additivity"}) {
        const json* c = findCheck(checks, name, "");
        QVERIFY2(c, name);
        QVERIFY2((*c)["verdict"] == "pass", c->dump().c_str());
    }
    // The scorecard's numeric characteristics with a risk trend are checked and hold.
    int monotone = 0;
    for (const auto& c : checks)
        if (c["check"] == "monotone") {
            ++monotone;
            QVERIFY2(c["verdict"] == "pass", c.dump().c_str());
            QVERIFY(c["detail"]["rows_checked"].get<int>() > 0);
        }
    QVERIFY(monotone >= 1);

    // Approval rates counted here: the data's groups against `cwb score`'s decisions.
    const QString scored = m_dir.filePath("scored_v1.csv");
    QVERIFY(runCli({"score", "--model", kModel, "--in", kData, "--out", scored, "--quiet"}).ok());
    auto input = readTable(kData.toStdString());
    auto output = readTable(scored.toStdString());
    QVERIFY(input && output);
    const auto decisions = column(*output, "decision");
    const auto sex = column(*input, "personal_status_sex");
    const auto age = column(*input, "age_years");
    const auto foreign = column(*input, "foreign_worker");
    QCOMPARE(decisions.size(), std::size_t(1000));
    std::map<std::string, std::map<std::string, std::pair<int, int>>> tally;  // approved, count
    for (std::size_t i = 0; i < decisions.size(); ++i) {
        const int years = std::stoi(age[i]);
        const std::string band = years < 25   ? "under 25"
                                 : years < 40 ? "25–39"
                                 : years < 60 ? "40–59"
                                              : "60 and over";
        for (const auto& [attribute, group] :
             {std::pair<std::string, std::string>{"personal_status_sex", sex[i]},
              {"age_years", band},
              {"foreign_worker", foreign[i]}}) {
            auto& t = tally[attribute][group];
            t.first += decisions[i] == "approve";
            ++t.second;
        }
    }
    auto fairness = runCli({"fairness", "--model", kModel, "--data", kData, "--json", "--quiet"});
    QVERIFY(fairness.ok());
    std::map<std::string, double> fairnessAir;
    const json fairnessJson = fairness.json();  // kept: the loop reads into it
    for (const auto& a : fairnessJson["attributes"])
        for (const auto& g : a["groups"])
            fairnessAir[a["column"].get<std::string>() + ": " + g["group"].get<std::string>()] =
                g["adverse_impact_ratio"].get<double>();
    for (const auto& [attribute, groups] : tally) {
        double best = 0.0;
        for (const auto& [group, t] : groups)
            if (t.second >= 30) best = std::max(best, double(t.first) / t.second);
        for (const auto& [group, t] : groups) {
            const std::string subject = attribute + ": " + group;
            const json* c = findCheck(checks, "adverse_impact", subject);
            QVERIFY2(c, subject.c_str());
            const double rate = double(t.first) / t.second;
            QCOMPARE((*c)["detail"]["count"].get<int>(), t.second);
            QCOMPARE((*c)["detail"]["approved"].get<int>(), t.first);
            QVERIFY(std::abs((*c)["detail"]["approval_rate"].get<double>() - rate) < 1e-12);
            QVERIFY(std::abs((*c)["figure"].get<double>() - rate / best) < 1e-12);
            // The same figure as `cwb fairness`.
            QVERIFY2(fairnessAir.count(subject), subject.c_str());
            QCOMPARE((*c)["figure"].get<double>(), fairnessAir[subject]);
            const std::string expected =
                t.second < 30 ? "not_judged" : (rate / best >= 0.8 ? "pass" : "fail");
            QCOMPARE((*c)["verdict"].get<std::string>(), expected);
        }
    }
    // At the default cutoffs the sex groups pass; under 25 and foreign workers do not.
    for (const auto& [group, t] : tally["personal_status_sex"])
        QVERIFY2((*findCheck(checks, "adverse_impact",
                             "personal_status_sex: " + group))["verdict"] == "pass",
                 group.c_str());
    QVERIFY((*findCheck(checks, "adverse_impact", "age_years: under 25"))["verdict"] == "fail");
    QVERIFY((*findCheck(checks, "adverse_impact", "foreign_worker: yes"))["verdict"] == "fail");
    QCOMPARE(run.json()["failed"].get<int>(), 2);
    // Every figure is stored with its threshold and verdict.
    auto show =
        m_cwb.as("carol", {"registry", "show", "--name", "german", "--version", "1", "--json"});
    QVERIFY(show.ok());
    QCOMPARE(show.json()["stage"].get<std::string>(), std::string("validated"));
    QCOMPARE(show.json()["validation"]["checks"].size(), checks.size());
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const json stored = show.json()["validation"]["checks"][i];
        QVERIFY(stored["figure"] == checks[i]["figure"]);
        QVERIFY(stored["threshold"] == checks[i]["threshold"]);
        QVERIFY(stored["verdict"] == checks[i]["verdict"]);
    }
}

void TstCliStoreRegistry::sexAsAnInputFailsFairnessBySex() {
    auto run = m_cwb.as("cid", {"registry", "validate", "--name", "german", "--version", "2",
                                "--data", kData, "--protected", "personal_status_sex", "--json"});
    QVERIFY2(run.ok(), run.err.constData());
    int sexFailures = 0;
    const json result = run.json();
    for (const auto& c : result["checks"])
        if (c["check"] == "adverse_impact" && c["detail"]["attribute"] == "personal_status_sex" &&
            c["verdict"] == "fail")
            ++sexFailures;
    QVERIFY(sexFailures >= 1);
    // Not approved yet: refused at scoring time.
    auto score = m_cwb({"score", "--model", m_sexModel, "--in", kData, "--out",
                        m_dir.filePath("unapproved.csv"), "--require-approved", "--quiet"});
    QCOMPARE(score.exitCode, 1);
    QVERIFY2(score.err.contains("is not approved"), score.err.constData());
    QVERIFY(!QFile::exists(m_dir.filePath("unapproved.csv")));
}

void TstCliStoreRegistry::approvalIsFourEyesAndNeedsJustification() {
    const QStringList v1{"registry", "approve", "--name", "german", "--version", "1"};
    // A data scientist may not approve.
    QCOMPARE(m_cwb.as("dan", v1).exitCode, 1);
    // Failed checks need a justification.
    auto bare = m_cwb.as("carol", v1);
    QCOMPARE(bare.exitCode, 2);
    QVERIFY2(bare.err.contains("age_years: under 25") && bare.err.contains("--justification"),
             bare.err.constData());
    auto granted = m_cwb.as(
        "carol", v1 + QStringList{"--justification",
                                  "Under-25 and foreign-worker rates reviewed by credit risk "
                                  "committee; no protected input, drivers are credit history",
                                  "--json"});
    QVERIFY2(granted.ok(), granted.err.constData());
    QCOMPARE(granted.json()["signature"].get<std::string>().size(), std::size_t(128));
    // The registrant may not approve, although cid holds the compliance role.
    const QStringList v2{"registry",        "approve",
                         "--name",          "german",
                         "--version",       "2",
                         "--justification", "sex disparity accepted for the challenger trial"};
    auto own = m_cwb.as("cid", v2);
    QCOMPARE(own.exitCode, 1);
    QVERIFY2(own.err.contains("four eyes"), own.err.constData());
    auto second = m_cwb.as("carol", v2);
    QVERIFY2(second.ok(), second.err.constData());
    auto show =
        m_cwb.as("cid", {"registry", "show", "--name", "german", "--version", "1", "--json"});
    QVERIFY(show.ok());
    const json shown = show.json();
    QCOMPARE(shown["stage"].get<std::string>(), std::string("approved"));
    QVERIFY(show.json()["approval"]["approved"].get<bool>());
    const json* under25 =
        findCheck(shown["validation"]["checks"], "adverse_impact", "age_years: under 25");
    QVERIFY(under25 && under25->contains("justification"));
}

void TstCliStoreRegistry::requireApprovedScoring() {
    const QString out = m_dir.filePath("approved.csv");
    auto approved = m_cwb({"score", "--model", kModel, "--in", kData, "--out", out,
                           "--require-approved", "--quiet", "--json"});
    QVERIFY2(approved.ok(), approved.err.constData());
    QCOMPARE(approved.json()["rows_scored"].get<int>(), 1000);
    auto explain = m_cwb({"explain", "--model", kModel, "--in", kData, "--row", "1",
                          "--require-approved", "--json"});
    QVERIFY2(explain.ok(), explain.err.constData());
    // One part changed and re-hashed: still a valid bundle, but not the one approved.
    const QString edited = m_dir.filePath("edited.cwbm");
    QVERIFY(editPart(kModel, edited));
    QVERIFY(runCli({"info", edited}).ok());
    auto refused = m_cwb({"score", "--model", edited, "--in", kData, "--out",
                          m_dir.filePath("edited.csv"), "--require-approved", "--quiet"});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("not in the registry"), refused.err.constData());
    QCOMPARE(
        m_cwb({"explain", "--model", edited, "--in", kData, "--row", "1", "--require-approved"})
            .exitCode,
        1);
    // Without the flag the edited bundle scores as before (the setting is opt-in).
    QVERIFY(m_cwb({"score", "--model", edited, "--in", kData, "--out", m_dir.filePath("edited.csv"),
                   "--quiet"})
                .ok());
    // Disabling the approver withdraws the approval.
    QVERIFY(m_cwb({"user", "disable", "--name", "carol"}, "root", "root-password").ok());
    auto withdrawn = m_cwb({"registry", "check", "--model", kModel}, "dan", "dan-password");
    QCOMPARE(withdrawn.exitCode, 1);
    QVERIFY(withdrawn.err.contains("no longer a current compliance user"));
    QVERIFY(m_cwb({"user", "enable", "--name", "carol"}, "root", "root-password").ok());
    QVERIFY(m_cwb({"registry", "check", "--model", kModel}, "dan", "dan-password").ok());
}

void TstCliStoreRegistry::serveRequiresApproval() {
    const QString edited = m_dir.filePath("edited.cwbm");
    QVERIFY(QFile::exists(edited));
    auto refused = m_cwb({"serve", "--model", edited, "--port", "0", "--require-approved"});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("not in the registry"), refused.err.constData());
    // The approved model is served: the service logs that it listens, then stops on SIGTERM.
    QProcess serve;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("CWB_STORE", m_cwb.store);
    serve.setProcessEnvironment(env);
    serve.start(cliPath(), {"serve", "--model", kModel, "--port", "0", "--require-approved"});
    QVERIFY(serve.waitForStarted());
    QByteArray log;
    for (int i = 0; i < 300 && !log.contains("\"listening\"") && serve.state() == QProcess::Running;
         ++i)
        if (serve.waitForReadyRead(100)) log += serve.readAllStandardOutput();
    QVERIFY2(log.contains("\"listening\""), serve.readAllStandardError().constData());
    serve.terminate();
    // 3 s under ASan on an idle machine (LeakSanitizer scans at exit); over 20 s once, under
    // ASan with the other sanitizer tests running beside it.
    QVERIFY(serve.waitForFinished(90000));
    QCOMPARE(serve.exitCode(), 0);
}

void TstCliStoreRegistry::challengerSwapSet() {
    QCOMPARE(m_cwb
                 .as("dan", {"registry", "promote", "--name", "german", "--version", "1", "--stage",
                             "champion"})
                 .exitCode,
             1);
    QVERIFY(m_cwb
                .as("carol", {"registry", "promote", "--name", "german", "--version", "1",
                              "--stage", "champion"})
                .ok());
    QVERIFY(m_cwb
                .as("carol", {"registry", "promote", "--name", "german", "--version", "2",
                              "--stage", "challenger"})
                .ok());
    auto swap = m_cwb.as(
        "dan", {"registry", "swap", "--name", "german", "--data", kData, "--json", "--quiet"});
    QVERIFY2(swap.ok(), swap.err.constData());
    const json j = swap.json();
    // Counted here from both models' `cwb score` output and the labels.
    const QString a = m_dir.filePath("champion.csv"), b = m_dir.filePath("challenger.csv");
    QVERIFY(runCli({"score", "--model", kModel, "--in", kData, "--out", a, "--quiet"}).ok());
    QVERIFY(runCli({"score", "--model", m_sexModel, "--in", kData, "--out", b, "--quiet"}).ok());
    auto input = readTable(kData.toStdString());
    auto ta = readTable(a.toStdString());
    auto tb = readTable(b.toStdString());
    QVERIFY(input && ta && tb);
    const auto cls = column(*input, "class");
    const auto da = column(*ta, "decision"), db = column(*tb, "decision");
    int in = 0, out = 0, inBad = 0, outBad = 0;
    for (std::size_t i = 0; i < cls.size(); ++i) {
        const bool byA = da[i] == "approve", byB = db[i] == "approve";
        if (byB && !byA) ++in, inBad += cls[i] == "2";
        if (byA && !byB) ++out, outBad += cls[i] == "2";
    }
    QVERIFY(in + out > 0);
    QCOMPARE(j["rows"].get<int>(), 1000);
    QCOMPARE(j["swap_in"]["count"].get<int>(), in);
    QCOMPARE(j["swap_out"]["count"].get<int>(), out);
    QCOMPARE(j["swap_in"]["bads"].get<int>(), inBad);
    QCOMPARE(j["swap_out"]["bads"].get<int>(), outBad);
    if (in > 0)
        QVERIFY(std::abs(j["swap_in"]["bad_rate"].get<double>() - double(inBad) / in) < 1e-12);
    if (out > 0)
        QVERIFY(std::abs(j["swap_out"]["bad_rate"].get<double>() - double(outBad) / out) < 1e-12);
    QCOMPARE(j["swap_set"].get<int>(), in + out);
}

void TstCliStoreRegistry::auditTrailHoldsTheJustification() {
    auto verify = m_cwb.as("carol", {"audit", "verify"});
    QVERIFY2(verify.ok(), verify.err.constData());
    auto exported = m_cwb.as("carol", {"audit", "export", "--format", "jsonl"});
    QVERIFY2(exported.ok(), exported.err.constData());
    for (const char* event : {"model_registered", "model_validated", "model_approved",
                              "model_promoted", "signing_key_created"})
        QVERIFY2(exported.out.contains(event), event);
    QVERIFY(exported.out.contains("credit risk committee"));
}

// The GUI's production lock is the store setting require_approved: `cwb store set` changes it
// (admins only, true or false, audited); `cwb store settings` shows it.
void TstCliStoreRegistry::productionLockIsAnAdminSetting() {
    auto shown = m_cwb.as("carol", {"store", "settings", "--json"});
    QVERIFY2(shown.ok(), shown.err.constData());
    QCOMPARE(shown.json().value("require_approved", true), false);
    auto refused = m_cwb.as("carol", {"store", "set", "require_approved", "true"});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("admin"), refused.err.constData());
    auto bad = m_cwb({"store", "set", "require_approved", "yes"}, "root", "root-password");
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("true or false"), bad.err.constData());
    QVERIFY(m_cwb({"store", "set", "require_approved", "true"}, "root", "root-password").ok());
    shown = m_cwb.as("carol", {"store", "settings", "--json"});
    QCOMPARE(shown.json().value("require_approved", false), true);
    auto exported = m_cwb.as("carol", {"audit", "export", "--format", "jsonl"});
    QVERIFY(exported.ok());
    QVERIFY(exported.out.contains("\"setting\":\"require_approved\""));
    QVERIFY(m_cwb({"store", "set", "require_approved", "false"}, "root", "root-password").ok());
}

// `cwb report validation --name --version` for a registered model: a "Validation gate" section
// with every stored check, figure against threshold, verdict and the justification beside each
// failed figure, in the PDF (read with pdftotext) and in the workbook's sheet (read with openpyxl).
void TstCliStoreRegistry::validationReportShowsTheGate() {
    const QString pdf = m_dir.filePath("gate.pdf"), xlsx = m_dir.filePath("gate.xlsx");
    auto report = m_cwb.as("carol", {"report", "validation", "--name", "german", "--version", "1",
                                     "--data", kData, "--out", pdf, "--xlsx", xlsx, "--quiet"});
    QVERIFY2(report.ok(), report.err.constData());
    auto show =
        m_cwb.as("carol", {"registry", "show", "--name", "german", "--version", "1", "--json"});
    QVERIFY(show.ok());
    const json checks = show.json()["validation"]["checks"];
    int failed = 0;
    std::string justification;
    for (const auto& c : checks)
        if (c["verdict"] == "fail") {
            ++failed;
            justification = c["justification"].get<std::string>();
        }
    QVERIFY(failed >= 2);
    QVERIFY(!justification.empty());

    auto text = runProgram("pdftotext", {pdf, "-"});
    QVERIFY(text.ok());
    // Lines joined: a table cell wraps its text over several lines.
    const QString flat = QString::fromUtf8(text.out).replace(QChar(0xFB01), "fi").simplified();
    QVERIFY(flat.contains("Validation gate Checks") || flat.contains("Validation gate The"));
    QVERIFY(flat.contains(QString("%1 of %2 checks failed").arg(failed).arg(checks.size())));
    QCOMPARE(flat.count(QString::fromStdString(justification)), failed);
    for (const auto& c : checks) {
        if (!c["subject"].get<std::string>().empty())
            QVERIFY2(flat.contains(QString::fromStdString(c["subject"].get<std::string>())),
                     c["subject"].get<std::string>().c_str());
        QVERIFY(flat.contains(QString::number(c["figure"].get<double>(), 'f', 4)));
    }

    const QString python = QFile::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    auto sheet = runProgram(
        python, {QString::fromStdString(sourcePath("tests/core/read_gate_xlsx.py")), xlsx});
    QVERIFY2(sheet.ok(), sheet.err.constData());
    const json rows = sheet.json()["rows"];
    QCOMPARE(rows.size(), checks.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const json& r = rows[i];
        const json& c = checks[i];
        QVERIFY(r["Check"] == c["check"]);
        QVERIFY(r["Verdict"] == c["verdict"]);
        // The workbook holds the stored figure itself, not its rounded text.
        QCOMPARE(r["Figure"].get<double>(), c["figure"].get<double>());
        if (c["verdict"] == "fail")
            QCOMPARE(r["Justification"].get<std::string>(), justification);
        else
            QVERIFY(r["Justification"].is_null() || r["Justification"] == "");
    }
}

QTEST_GUILESS_MAIN(TstCliStoreRegistry)
#include "tst_cli_store_registry.moc"
