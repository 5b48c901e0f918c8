// runAsync (ui/common/Async.h) and JobRunner as the views use them: results reach the context's
// thread, a destroyed context gets no callback, and data built by one pool task, passed through
// the GUI thread, is read by another, as TrainingView's loader and preview do. The last is for
// the tsan preset: Qt's own handoffs are invisible to ThreadSanitizer (PoolHandoff.h), so there
// it fails with a data race report unless runAsync states the order itself.

#include <QPointer>
#include <QThread>
#include <QtTest>

#include <memory>
#include <numeric>
#include <vector>

#include "ui/common/Async.h"
#include "ui/common/JobRunner.h"

using namespace cwb;
using namespace cwb::ui;

class TestAsync : public QObject {
    Q_OBJECT

private slots:
    void resultArrivesOnTheContextThread() {
        QObject context;
        QThread* workerThread = nullptr;
        QThread* doneThread = nullptr;
        bool called = false;
        runAsync(
            &context, [] { return QThread::currentThread(); },
            [&](QThread* worker) {
                workerThread = worker;
                doneThread = QThread::currentThread();
                called = true;
            });
        QTRY_VERIFY(called);
        QCOMPARE(doneThread, QThread::currentThread());
        QVERIFY(workerThread != QThread::currentThread());
    }

    void destroyedContextGetsNoCallback() {
        auto* context = new QObject;
        auto ran = std::make_shared<std::atomic<bool>>(false);
        auto release = std::make_shared<std::atomic<bool>>(false);
        bool called = false;
        runAsync(
            context,
            [ran, release] {
                while (!release->load())
                    QThread::msleep(1);
                ran->store(true);
                return 1;
            },
            [&](int) { called = true; });
        delete context;
        release->store(true);
        QTRY_VERIFY(ran->load());
        QTest::qWait(50);  // a queued callback would be delivered here
        QVERIFY(!called);
    }

    // The loader's table is written on one pool thread, kept by the GUI thread and read on
    // another; every round must see every value the first task wrote.
    void dataPassesFromTaskToTask() {
        QObject context;
        for (int round = 0; round < 20; ++round) {
            std::shared_ptr<const std::vector<long>> table;
            long sum = -1;
            runAsync(
                &context,
                [round] {
                    auto built = std::make_shared<std::vector<long>>(20000);
                    std::iota(built->begin(), built->end(), long{round});
                    return built;
                },
                [&](std::shared_ptr<std::vector<long>> built) { table = std::move(built); });
            QTRY_VERIFY(table);
            auto kept = table;
            runAsync(
                &context, [kept] { return std::accumulate(kept->begin(), kept->end(), 0L); },
                [&](long s) { sum = s; });
            QTRY_VERIFY(sum >= 0);
            QCOMPARE(sum, 20000L * round + 20000L * 19999L / 2);
        }
    }

    // The same through JobRunner: what the work wrote is what finished() reports.
    void jobRunnerPassesItsResult() {
        JobRunner job;
        for (int round = 0; round < 10; ++round) {
            auto input = std::make_shared<std::vector<long>>(20000, round);
            QString seen;
            bool done = false;
            QVERIFY(startForResult<long>(
                &job, this,
                [input](ProgressToken&, std::optional<long>& out) {
                    out = std::accumulate(input->begin(), input->end(), 0L);
                    return QString();
                },
                [&](bool canceled, const QString& error, std::shared_ptr<std::optional<long>> r) {
                    QVERIFY(!canceled);
                    QVERIFY(error.isEmpty());
                    QVERIFY(r->has_value());
                    QCOMPARE(**r, 20000L * round);
                    done = true;
                }));
            QTRY_VERIFY(done);
        }
    }
};

QTEST_MAIN(TestAsync)
#include "tst_async.moc"
