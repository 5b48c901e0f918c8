// cwb serve --store over real HTTP on loopback: every applicant the service scores is recorded
// in a real store file as `cwb explain --store` records one (same pseudonym, pd, score, decision,
// model and bundle SHA-256; source "serve"), under the user the service signed in as. A request
// without the applicant's id is refused; a user who may not record, a wrong password or a
// model without an id column stops the service at start.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "../core/CliRunner.h"
#include "ServeProcess.h"
#include "data/DataRow.h"

using namespace cwb::test;
using nlohmann::json;

namespace {

json recordFromRow(long row) {
    auto data = cwb::readDataRow(sourcePath("sample_data/applicants.csv"), row);
    if (!data) return json();
    json record = json::object();
    for (const auto& [name, text] : data->values) {
        auto number = json::parse(text, nullptr, false);
        if (text.empty())
            record[name] = nullptr;
        else if (!number.is_discarded() && number.is_number())
            record[name] = number;
        else
            record[name] = text;
    }
    return record;
}

QProcessEnvironment storeEnvironment(const QString& user, const QString& password) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* v : {"CWB_STORE", "CWB_USER", "CWB_PASSWORD", "CWB_NEW_PASSWORD"})
        env.remove(v);
    if (!user.isEmpty()) env.insert("CWB_USER", user);
    if (!password.isEmpty()) env.insert("CWB_PASSWORD", password);
    return env;
}

// cwb without a terminal (setsid), so a missing password fails instead of prompting.
CliRun cwbAs(const QStringList& args, const QString& user, const QString& password,
             const QString& newPassword = {}) {
    QProcessEnvironment env = storeEnvironment(user, password);
    if (!newPassword.isEmpty()) env.insert("CWB_NEW_PASSWORD", newPassword);
    return runProgram("setsid", QStringList{"-w", cliPath()} + args, env, 120000);
}

}  // namespace

class TestServeStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_store;
    const QString m_model = QString::fromStdString(sourcePath("models/german_credit.cwbm"));

    QString path(const char* name) const { return m_dir.filePath(QString::fromUtf8(name)); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_store = path("work.sqlite");
        QVERIFY(
            cwbAs({"store", "init", "--store", m_store, "--admin", "root"}, {}, {}, "root-password")
                .ok());
        QVERIFY(cwbAs({"user", "add", "--store", m_store, "--name", "svc", "--role", "analyst"},
                      "root", "root-password", "svc-password")
                    .ok());
        QVERIFY(
            cwbAs({"user", "add", "--store", m_store, "--name", "carol", "--role", "compliance"},
                  "root", "root-password", "carol-password")
                .ok());
    }

    void scoredApplicantsAreRecorded() {
        ServeProcess service(cliPath(), path("serve.log"));
        QVERIFY2(service.start({"--model", m_model, "--store", m_store},
                               storeEnvironment("svc", "svc-password")),
                 service.errorOutput().constData());
        auto client = service.client();
        json batch = json::array();
        for (long row = 1; row <= 3; ++row)
            batch.push_back(recordFromRow(row));
        auto res = client->Post("/v1/score", batch.dump(), "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        const json answer = json::parse(res->body);
        res = client->Post("/v1/score", recordFromRow(4).dump(), "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        const json single = json::parse(res->body);

        // Without the applicant's id nothing can be recorded: refused, naming the field.
        json anonymous = recordFromRow(5);
        anonymous.erase("applicant_id");
        res = client->Post("/v1/score", anonymous.dump(), "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 400);
        QCOMPARE(json::parse(res->body)["field"].get<std::string>(), std::string("applicant_id"));
        service.signal(SIGTERM);
        QCOMPARE(service.waitForExit(30000), 0);
        // The log holds no applicant data.
        QVERIFY(!service.logText().contains("N0001"));

        std::vector<json> results = answer["results"];
        results.push_back(single);
        for (std::size_t k = 0; k < results.size(); ++k) {
            const json& served = results[k];
            const QString id = QString::fromStdString(served["id"].get<std::string>());
            const CliRun shown =
                cwbAs({"applicant", "show", "--store", m_store, "--id", id, "--json"}, "carol",
                      "carol-password");
            QVERIFY2(shown.ok(), shown.err.constData());
            const json decisions = shown.json()["decisions"];
            QCOMPARE(decisions.size(), std::size_t(1));
            const json& d = decisions[0];
            QCOMPARE(d["source"].get<std::string>(), std::string("serve"));
            QCOMPARE(d["user"].get<std::string>(), std::string("svc"));
            QVERIFY(d["decision"] == served["decision"]);
            QCOMPARE(d["score"].get<long>(), served["score"].get<long>());
            QCOMPARE(d["pd"].get<double>(), served["pd"].get<double>());
            QVERIFY(d["bundle_sha256"] == served["model"]["sha256"]);
            QCOMPARE(d["reasons"].size(), served["reasons"].size());
            // The inputs are kept, and compliance sees them unmasked.
            QCOMPARE(d["inputs"]["applicant_id"].get<std::string>(), id.toStdString());
        }
        // Each decision is in the audit trail, and the chain verifies.
        const CliRun verify =
            cwbAs({"audit", "verify", "--store", m_store}, "carol", "carol-password");
        QVERIFY2(verify.ok(), verify.err.constData());
    }

    void refusedAtStart() {
        // A compliance user may not record decisions: the service does not start.
        ServeProcess compliance(cliPath(), path("c.log"));
        QVERIFY(!compliance.start({"--model", m_model, "--store", m_store},
                                  storeEnvironment("carol", "carol-password")));
        QCOMPARE(compliance.waitForExit(30000), 1);
        QVERIFY(compliance.errorOutput().contains("needs the role analyst or loan_officer"));
        // A wrong password, or none.
        ServeProcess wrong(cliPath(), path("w.log"));
        QVERIFY(!wrong.start({"--model", m_model, "--store", m_store},
                             storeEnvironment("svc", "not-the-password")));
        QCOMPARE(wrong.waitForExit(30000), 1);
        ServeProcess none(cliPath(), path("n.log"));
        QVERIFY(!none.start({"--model", m_model, "--store", m_store}, storeEnvironment("svc", {})));
        QCOMPARE(none.waitForExit(30000), 2);
        QVERIFY(none.errorOutput().contains("CWB_PASSWORD"));
        // The service never creates a store.
        ServeProcess missing(cliPath(), path("m.log"));
        QVERIFY(!missing.start({"--model", m_model, "--store", path("absent.sqlite")},
                               storeEnvironment("svc", "svc-password")));
        QVERIFY(missing.waitForExit(30000) > 0);
        QVERIFY(!QFile::exists(path("absent.sqlite")));
    }
};

QTEST_GUILESS_MAIN(TestServeStore)
#include "tst_serve_store.moc"
