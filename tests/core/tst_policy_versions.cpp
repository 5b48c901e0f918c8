// Policy versions of a model (issue 17): cutoffs and scaling changed for a model make a new
// version in a JSON-lines log; a damaged log is refused, never guessed.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include "TestSupport.h"
#include "scoring/ModelBundle.h"
#include "scoring/PolicyVersions.h"

using namespace cwb;
using namespace cwb::test;

class TestPolicyVersions : public QObject {
    Q_OBJECT
private slots:
    void versionsFollowChanges() {
        QTemporaryDir dir;
        auto bundle = loadBundle(sourcePath("models/german_credit.cwbm"));
        QVERIFY(bundle);
        PolicyLog log(dir.filePath("policies.jsonl").toStdString());
        auto first = log.apply(*bundle, bundle->policy, bundle->scaling, "model", "ann", "t0");
        QVERIFY(first);
        QCOMPARE(first->version, 1);
        QVERIFY(!QFile::exists(dir.filePath("policies.jsonl")));

        DecisionPolicy stricter = bundle->policy;
        stricter.approveFrom += 15;
        auto second = log.apply(*bundle, stricter, bundle->scaling, "settings", "ann", "t1");
        QVERIFY(second);
        QCOMPARE(second->version, 2);
        QCOMPARE(second->changedBy, std::string("ann"));
        auto again = log.apply(*bundle, stricter, bundle->scaling, "settings", "bob", "t2");
        QCOMPARE(again->version, 2);
        QCOMPARE(again->changedBy, std::string("ann"));  // nothing changed, nothing recorded

        auto all = log.versions(*bundle);
        QVERIFY(all);
        QCOMPARE(all->size(), std::size_t{2});
        QCOMPARE(all->back().policy.approveFrom, stricter.approveFrom);

        // Another bundle version has its own history.
        ModelBundle other = *bundle;
        other.version = "9.9";
        auto otherVersions = log.versions(other);
        QVERIFY(otherVersions);
        QCOMPARE(otherVersions->size(), std::size_t{1});
    }

    void damagedLogIsRefused() {
        QTemporaryDir dir;
        auto bundle = loadBundle(sourcePath("models/german_credit.cwbm"));
        QVERIFY(bundle);
        const std::string path =
            writeFile(dir, "policies.jsonl", "{\"model\": \"german_credit\"\n");
        PolicyLog log(path);
        auto all = log.versions(*bundle);
        QVERIFY(!all);
        QVERIFY2(all.error().message.find("line 1") != std::string::npos,
                 all.error().message.c_str());
        QVERIFY(!log.apply(*bundle, bundle->policy, bundle->scaling, "model", "ann", "t"));
    }
};

QTEST_APPLESS_MAIN(TestPolicyVersions)
#include "tst_policy_versions.moc"
