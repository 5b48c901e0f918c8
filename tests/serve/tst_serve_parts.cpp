// The parts of cwb serve that need no HTTP: bearer tokens, the model slot a reload swaps, and
// the request rules on the shipped model.

#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>

#include "../core/TestSupport.h"
#include "BearerTokens.h"
#include "ScoreRequest.h"
#include "ScoringService.h"
#include "ServedModel.h"

using namespace cwb::serve;
using nlohmann::json;

class TestServeParts : public QObject {
    Q_OBJECT

private slots:
    void tokensFromText() {
        auto tokens = BearerTokens::fromText(
            "# clients\nfirst-token-0123456789\n\n  second-token-abcdefgh, third-token-ABCDEFGH\n",
            "test");
        QVERIFY(tokens.ok());
        QCOMPARE(tokens->size(), std::size_t{3});
        QVERIFY(tokens->accepts("Bearer first-token-0123456789"));
        QVERIFY(tokens->accepts("Bearer third-token-ABCDEFGH"));
        QVERIFY(!tokens->accepts("Bearer first-token-012345678"));    // a prefix
        QVERIFY(!tokens->accepts("Bearer first-token-01234567890"));  // longer
        QVERIFY(!tokens->accepts("bearer first-token-0123456789"));   // scheme is exact
        QVERIFY(!tokens->accepts("first-token-0123456789"));
        QVERIFY(!tokens->accepts("Bearer "));
        QVERIFY(!tokens->accepts(""));
        QVERIFY(!tokens->accepts("Bearer # clients"));

        auto empty = BearerTokens::fromText("# nothing here\n", "test");
        QVERIFY(empty.ok() && empty->empty());
        auto shortToken = BearerTokens::fromText("good-token-0123456789\nshort\n", "tokens.txt");
        QVERIFY(!shortToken.ok());
        QVERIFY(shortToken.error().message.find("line 2") != std::string::npos);
        QVERIFY(shortToken.error().message.find("tokens.txt") != std::string::npos);
        auto missing = BearerTokens::load("/nonexistent/tokens", nullptr);
        QVERIFY(!missing.ok());
    }

    void slotKeepsSnapshotsAcrossReplace() {
        const std::string path = cwb::test::sourcePath("models/german_credit.cwbm");
        auto first = ServedModel::load(path);
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        auto second = ServedModel::load(path);
        QVERIFY(second.ok());
        QCOMPARE((*first)->sha256, (*second)->sha256);
        QCOMPARE((*first)->sha256.size(), std::size_t{64});

        ModelSlot slot;
        QVERIFY(!slot.current());
        slot.replace(*first);
        const auto held = slot.current();
        QCOMPARE(held.get(), first->get());
        slot.replace(*second);
        // A request that holds the first model keeps it; new requests see the second, on this
        // thread (cached snapshot) and on another.
        QCOMPARE(held.get(), first->get());
        QCOMPARE(slot.current().get(), second->get());
        const ServedModel* seenElsewhere = nullptr;
        std::thread([&] { seenElsewhere = slot.current().get(); }).join();
        QCOMPARE(seenElsewhere, second->get());
    }

    void requestRules() {
        auto model = ServedModel::load(cwb::test::sourcePath("models/german_credit.cwbm"));
        QVERIFY(model.ok());
        ScoreLimits limits;
        limits.maxBatch = 2;
        json applicant = json::object();
        for (const std::string& name : (*model)->featureNames)
            applicant[name] = nullptr;
        // All inputs present but missing: refused on the first input that allows no missing value.
        ScoreOutcome outcome = scoreBody(**model, applicant.dump(), limits);
        QCOMPARE(outcome.status, 400);
        QCOMPARE(outcome.body["field"].get<std::string>(), (*model)->featureNames.front());
        QVERIFY(outcome.decisions.empty());
        // Three applicants against a limit of two.
        outcome = scoreBody(**model, json::array({applicant, applicant, applicant}).dump(), limits);
        QCOMPARE(outcome.status, 400);
        QVERIFY(outcome.body["reason"].get<std::string>().find("at most 2") != std::string::npos);
        // Invalid UTF-8 is refused as bad JSON, not passed on.
        outcome = scoreBody(**model, "{\"purpose\": \"\xff\xfe\"}", limits);
        QCOMPARE(outcome.status, 400);
        QCOMPARE(outcome.body["error"].get<std::string>(), std::string("invalid JSON"));
    }

    // A stop asked for between start() (which logs "listening", the moment a supervisor may
    // send SIGTERM) and run() was lost in httplib, and the service never ended (seen under ASan
    // in tst_cli_store_registry). stopNow() says it could not stop yet; asked again once run()
    // listens, it ends run().
    void stopBeforeRunIsNotLost() {
        ServeOptions options;
        options.modelPath = cwb::test::sourcePath("models/german_credit.cwbm");
        options.port = 0;
        options.threads = 2;
        auto none = BearerTokens::fromText("", "none");
        auto log = EventLog::open("off");
        QVERIFY(none.ok() && log.ok());
        ScoringService service(options, *none, *none, std::move(*log));
        auto port = service.start();
        QVERIFY2(port.ok(), port.ok() ? "" : port.error().message.c_str());
        service.beginShutdown("test");
        QVERIFY(!service.stopNow());  // not listening yet: nothing stopped, and it says so
        std::atomic<bool> returned{false};
        std::thread stopper([&] {
            // What ServeRun's signal thread does: ask again on each tick until it took.
            for (int i = 0; i < 1000 && !returned && !service.stopNow(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
        });
        const bool ok = service.run();  // returns only if a stop took
        returned = true;
        stopper.join();
        QVERIFY(ok);
        QVERIFY(service.stopNow());  // already stopped: nothing more to do
    }
};

QTEST_GUILESS_MAIN(TestServeParts)
#include "tst_serve_parts.moc"
