// Monitoring over the network (issue #6), against a real prometheus-pushgateway started on a
// free loopback port: the push client and background pusher, then `cwb score` end to end with
// exact read-back of the pushed values; a dead gateway (closed port) and a silent one (accepts
// connections, never answers) must not slow scoring, and their failures must be counted.
// Sockets are plain POSIX (Qt6::Network is not linked to the tests).

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <cmath>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "../common/Pushgateway.h"
#include "TestSupport.h"
#include "monitor/JsonLog.h"
#include "monitor/MonitorConfig.h"
#include "monitor/PushClient.h"
#include "monitor/RuntimeMetrics.h"
#include "scoring/BatchScorer.h"

using namespace cwb;
using namespace cwb::test;

namespace {

struct Run {
    int exitCode = -1;
    double wallSeconds = 0.0;
    nlohmann::json json;
    QByteArray err;
};

double seconds(const QElapsedTimer& t) {
    return static_cast<double>(t.nsecsElapsed()) / 1e9;
}

}  // namespace

// Rows of the timing batch, in thousands.
constexpr int kBigCopies = 150;

class CliMonitoringTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Pushgateway m_gateway;
    std::string m_input;        // German credit rows plus three that must be rejected
    std::string m_big;          // a larger batch for timing
    std::string m_bads;         // only the bad applicants: a shifted score distribution
    double m_baselineWall = 0;  // `cwb score` on m_big with pushing off
    double m_baselineScore = 0;

    QString tmp(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    std::string gatewayUrl() const { return m_gateway.url(); }
    std::string metrics() const { return m_gateway.metrics(); }
    std::map<std::string, std::string> cliGroup() const {
        return {{"job", "credit_workbench"}, {"instance", hostName()}, {"app", "cli"}};
    }

    Run score(const std::string& input, const QString& gateway, QStringList extra = {},
              QString model = QString::fromStdString(sourcePath("models/german_credit.cwbm"))) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("CWB_PUSHGATEWAY_URL", gateway);
        env.insert("XDG_STATE_HOME", tmp("state"));
        env.insert("XDG_CONFIG_HOME", tmp("config"));  // no user settings
        env.remove("CWB_PUSH_TIMEOUT_MS");
        env.remove("CWB_PUSH_INTERVAL_S");
        p.setProcessEnvironment(env);
        const QStringList args =
            QStringList{"score", "--model",      model,    "--in",    QString::fromStdString(input),
                        "--out", tmp("out.csv"), "--json", "--quiet", "--log-level",
                        "debug"} +
            extra;
        QElapsedTimer timer;
        timer.start();
        p.start(cliPath(), args);
        Run run;
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            return run;
        }
        run.wallSeconds = seconds(timer);
        run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        run.err = p.readAllStandardError();
        run.json = nlohmann::json::parse(p.readAllStandardOutput().toStdString(), nullptr, false);
        return run;
    }

    QByteArray logText() const {
        QFile f(tmp("state") + "/credit-workbench/cli.log");
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        if (Pushgateway::executable().isEmpty()) QSKIP("prometheus-pushgateway is not installed");
        QVERIFY2(m_gateway.start(tmp("pushgateway.log")), "pushgateway did not become ready");

        // Inputs with known counts.
        QFile german(QString::fromStdString(sourcePath("sample_data/german_credit.csv")));
        QVERIFY(german.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = german.readAll().trimmed().split('\n');
        const QByteArray header = lines.takeFirst();
        QCOMPARE(lines.size(), 1000);
        QByteArray text = header + '\n' + lines.join('\n') + '\n';
        QByteArray first = lines.first();
        text += first.replace(",6,", ",abc,") + '\n';  // duration_months not a number
        text += "X0001,too,few,fields\n";
        text += QByteArray(lines[1]).replace(",48,", ",,") + '\n';  // duration missing
        m_input = writeFile(m_dir, "batch.csv", text.toStdString());
        QByteArray big = header + '\n';
        for (int i = 0; i < kBigCopies; ++i)
            big += lines.join('\n') + '\n';
        m_big = writeFile(m_dir, "big.csv", big.toStdString());
        QByteArray bads = header + '\n';
        for (const QByteArray& line : lines)
            if (line.endsWith(",2")) bads += line + '\n';
        m_bads = writeFile(m_dir, "bads.csv", bads.toStdString());

        // Baseline timing without any gateway.
        const Run base = score(m_big, "");
        QVERIFY2(base.exitCode == 0, base.err.constData());
        m_baselineWall = base.wallSeconds;
        m_baselineScore = base.json["seconds"].get<double>();
        QCOMPARE(base.json["rows_scored"].get<int>(), kBigCopies * 1000);
        QVERIFY(base.json["monitoring"]["pushgateway"].is_null());
        qInfo("baseline (no gateway): %d rows, wall %.3f s, scoring %.3f s", kBigCopies * 1000,
              m_baselineWall, m_baselineScore);
    }

    void cleanupTestCase() { m_gateway.stop(); }

    void pushClientRoundTrip() {
        RuntimeMetrics m;
        m.setModelInfo("unit_model", "3", "xgboost");
        m.setScorePsi("unit_model", 0.0625);
        PushTarget target;
        target.url = gatewayUrl();
        target.grouping = {{"instance", "unit host/1"}, {"app", "unit"}};  // needs base64
        const HttpOutcome r = pushMetrics(target, m.serialize(), std::chrono::milliseconds(2000));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.status, 200L);
        const std::string text = metrics();
        QCOMPARE(
            sampleValue(text, "cwb_score_psi",
                        {{"instance", "unit host/1"}, {"app", "unit"}, {"model", "unit_model"}}),
            0.0625);
        QCOMPARE(
            sampleValue(text, "cwb_model_info", {{"instance", "unit host/1"}, {"version", "3"}}),
            1.0);
        QVERIFY(sampleValue(text, "push_time_seconds", {{"instance", "unit host/1"}}) > 0);
        // PUT replaces the group: a second push without the PSI removes it.
        RuntimeMetrics fresh;
        QVERIFY(pushMetrics(target, fresh.serialize(), std::chrono::milliseconds(2000)).ok());
        QVERIFY(std::isnan(sampleValue(metrics(), "cwb_score_psi", {{"instance", "unit host/1"}})));
        const HttpOutcome gone = deleteGroup(target, std::chrono::milliseconds(2000));
        QCOMPARE(gone.status, 202L);
        // A refused push (a type clash with another group) is reported with the gateway's text.
        PushTarget other = target;
        other.grouping = {{"instance", "unit-other"}, {"app", "unit"}};
        QVERIFY(pushMetrics(other, "# TYPE cwb_clash gauge\ncwb_clash 1\n",
                            std::chrono::milliseconds(2000))
                    .ok());
        const HttpOutcome clash = pushMetrics(target, "# TYPE cwb_clash counter\ncwb_clash 1\n",
                                              std::chrono::milliseconds(2000));
        QVERIFY(!clash.ok());
        QCOMPARE(clash.status, 400L);
        QVERIFY2(clash.error.rfind("HTTP 400: ", 0) == 0, clash.error.c_str());
        QCOMPARE(deleteGroup(other, std::chrono::milliseconds(2000)).status, 202L);
    }

    void pushClientDeadAndSilent() {
        PushTarget dead;
        dead.url = "http://127.0.0.1:" + std::to_string(freePort());
        const HttpOutcome refused = pushMetrics(dead, "cwb_x 1\n", std::chrono::milliseconds(2000));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.curlCode, 7);  // CURLE_COULDNT_CONNECT
        QVERIFY(refused.seconds < 0.5);

        SilentServer silent;
        PushTarget hung;
        hung.url = silent.url();
        const HttpOutcome late = pushMetrics(hung, "cwb_x 1\n", std::chrono::milliseconds(300));
        QVERIFY(late.timedOut && !late.ok());
        QVERIFY2(late.seconds >= 0.29 && late.seconds < 0.8,
                 qPrintable(QString::number(late.seconds)));
        QVERIFY(silent.accepted() >= 1);
        qInfo(
            "push to closed port failed in %.3f s; to silent server timed out in %.3f s (300 ms "
            "deadline)",
            refused.seconds, late.seconds);

        // An abort from another thread ends a long request within a poll interval.
        std::atomic<bool> abort{false};
        std::thread aborter([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            abort = true;
        });
        const HttpOutcome aborted =
            pushMetrics(hung, "cwb_x 1\n", std::chrono::milliseconds(30000), &abort);
        aborter.join();
        QVERIFY(aborted.aborted && !aborted.ok());
        QVERIFY(aborted.seconds < 0.5);
        qInfo("push with a 30 s deadline aborted 100 ms in: returned after %.3f s",
              aborted.seconds);
    }

    void pusherPeriodicAndFlush() {
        RuntimeMetrics m;
        MonitorConfig config;
        config.gatewayUrl = gatewayUrl();
        config.instance = "pusher-test";
        config.app = "unit";
        config.schedule.interval = std::chrono::milliseconds(100);
        JsonLog log;  // off
        {
            MetricsPusher pusher(m, config.target(), config.schedule, log);
            // Two pushes at the 100 ms interval; waiting for them (bounded) rather than for a
            // fixed 450 ms keeps a loaded CI machine (sanitizers, two cores) from failing this.
            QTRY_VERIFY_WITH_TIMEOUT(pusher.stats().attempts >= 2, 10000);
            m.setScorePsi("p", 0.5);
            const HttpOutcome r = pusher.flush(std::chrono::milliseconds(2000));
            QVERIFY2(r.ok(), r.error.c_str());
            QCOMPARE(sampleValue(metrics(), "cwb_score_psi", {{"instance", "pusher-test"}}), 0.5);
            QCOMPARE(pusher.stats().failures, std::uint64_t(0));
        }
        QVERIFY(deleteGroup(config.target(), std::chrono::milliseconds(2000)).status == 202);
    }

    void pusherGivesUpOnSilentGateway() {
        SilentServer silent;
        RuntimeMetrics m;
        PushTarget target;
        target.url = silent.url();
        LogConfig lc;
        lc.directory = tmp("unit-log").toStdString();
        lc.level = LogLevel::Debug;
        JsonLog log(lc);
        PushSchedule schedule;
        schedule.interval = std::chrono::milliseconds(0);
        schedule.timeout = std::chrono::milliseconds(30000);  // only the flush wait bounds it
        QElapsedTimer timer;
        timer.start();
        double flushSeconds = 0, destroySeconds = 0;
        {
            MetricsPusher pusher(m, target, schedule, log);
            const HttpOutcome r = pusher.flush(std::chrono::milliseconds(400));
            flushSeconds = seconds(timer);
            QVERIFY(!r.ok() && r.timedOut);
            QCOMPARE(pusher.stats().failures, std::uint64_t(1));
            QCOMPARE(m.pushFailures(), 1.0);
            timer.restart();
        }
        destroySeconds = seconds(timer);
        QVERIFY2(flushSeconds < 1.0, qPrintable(QString::number(flushSeconds)));
        QVERIFY2(destroySeconds < 0.5, qPrintable(QString::number(destroySeconds)));
        QFile f(QString::fromStdString(log.path()));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("\"push_failed\""));
        qInfo("pusher flush gave up after %.3f s (400 ms wait); destructor took %.3f s",
              flushSeconds, destroySeconds);

        // A periodic push hanging in flight does not delay the destructor either.
        timer.restart();
        {
            PushSchedule often;
            often.interval = std::chrono::milliseconds(20);
            often.timeout = std::chrono::milliseconds(30000);
            MetricsPusher pusher(m, target, often, log);
            QThread::msleep(200);
        }
        QVERIFY(seconds(timer) < 0.8);
    }

    void cliPushesExactCounts() {
        const Run run = score(m_input, QString::fromStdString(gatewayUrl()));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto& j = run.json;
        QCOMPARE(j["rows_read"].get<int>(), 1003);
        QCOMPARE(j["rows_scored"].get<int>(), 1000);
        QCOMPARE(j["rows_rejected"].get<int>(), 3);
        QVERIFY(j["monitoring"]["pushed"].get<bool>());
        QCOMPARE(j["monitoring"]["push_failures"].get<double>(), 0.0);

        // Decisions counted independently from the output file.
        std::map<std::string, int> decisions;
        QFile out(tmp("out.csv"));
        QVERIFY(out.open(QIODevice::ReadOnly));
        QList<QByteArray> rows = out.readAll().trimmed().split('\n');
        const int column = static_cast<int>(rows.takeFirst().split(',').indexOf("decision"));
        QVERIFY(column >= 0);
        for (const QByteArray& row : rows)
            ++decisions[row.split(',').at(column).toStdString()];
        QCOMPARE(static_cast<int>(rows.size()), 1000);

        const std::string text = metrics();
        auto group = cliGroup();
        group["model"] = "german_credit";
        auto with = [&](std::map<std::string, std::string> extra) {
            extra.insert(group.begin(), group.end());
            return extra;
        };
        QCOMPARE(sampleValue(text, "cwb_batch_rows_total", with({{"status", "scored"}})), 1000.0);
        QCOMPARE(sampleValue(text, "cwb_batch_rows_total", with({{"status", "rejected"}})), 3.0);
        int total = 0;
        for (const auto& [decision, n] : decisions) {
            QCOMPARE(sampleValue(text, "cwb_scores_total", with({{"decision", decision}})),
                     double(n));
            total += n;
        }
        QCOMPARE(total, 1000);
        QCOMPARE(sampleValue(text, "cwb_model_info",
                             with({{"version", "1"}, {"algorithm", "scorecard"}})),
                 1.0);
        QCOMPARE(sampleValue(text, "cwb_batch_duration_seconds", group),
                 j["seconds"].get<double>());
        QVERIFY(std::abs(sampleValue(text, "cwb_batch_rows_per_second", group) -
                         1003.0 / j["seconds"].get<double>()) <
                1e-6 * 1003.0 / j["seconds"].get<double>());
        // The development data against itself: no drift; the pushed PSI is the reported one.
        const double psi = sampleValue(text, "cwb_score_psi", group);
        QCOMPARE(psi, j["monitoring"]["score_psi"].get<double>());
        QVERIFY(psi < 0.01);
        QCOMPARE(countSamples(text, "cwb_feature_psi{"), 17);
        QVERIFY(sampleValue(text, "cwb_feature_psi", with({{"feature", "duration_months"}})) <
                0.01);
        auto errors = cliGroup();
        errors["kind"] = "bad_input";
        QCOMPARE(sampleValue(text, "cwb_errors_total", errors), 0.0);
        QCOMPARE(sampleValue(text, "cwb_push_failures_total", cliGroup()), 0.0);
        QVERIFY(sampleValue(text, "cwb_process_resident_memory_bytes", cliGroup()) > 1e6);
        // /proc counts CPU time in 10 ms ticks: a short run may still read 0.
        QVERIFY(sampleValue(text, "cwb_process_cpu_seconds_total", cliGroup()) >= 0.0);

        // The log: JSON lines with the batch's counts and nothing about applicants or paths.
        const QByteArray log = logText();
        nlohmann::json batchScored;  // the last one: this run's
        for (const QByteArray& line : log.trimmed().split('\n')) {
            const auto e = nlohmann::json::parse(line.toStdString(), nullptr, false);
            QVERIFY2(
                e.is_object() && e.contains("time") && e.contains("level") && e.contains("fields"),
                line.constData());
            if (e["event"] == "batch_scored") batchScored = e;
        }
        QVERIFY(batchScored.is_object());
        QCOMPARE(batchScored["fields"]["rows_scored"].get<int>(), 1000);
        QCOMPARE(batchScored["fields"]["rows_rejected"].get<int>(), 3);
        QVERIFY(!log.contains("G0001") && !log.contains("batch.csv") && !log.contains("out.csv"));
    }

    void cliReportsDrift() {
        const Run run = score(m_bads, QString::fromStdString(gatewayUrl()));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const double psi = sampleValue(metrics(), "cwb_score_psi", cliGroup());
        QCOMPARE(psi, run.json["monitoring"]["score_psi"].get<double>());
        QVERIFY2(psi > 0.25, qPrintable(QString::number(psi)));  // the CwbScoreDrift threshold
        QVERIFY(logText().contains("\"score_drift\""));
    }

    void cliCountsErrors() {
        const Run run =
            score(m_input, QString::fromStdString(gatewayUrl()), {}, tmp("missing.cwbm"));
        QCOMPARE(run.exitCode, 2);
        auto labels = cliGroup();
        labels["kind"] = "bad_input";
        QCOMPARE(sampleValue(metrics(), "cwb_errors_total", labels), 1.0);
        QVERIFY(logText().contains("\"score_failed\""));
    }

    void cliWithGatewayDown() {
        const std::string url = "http://127.0.0.1:" + std::to_string(freePort());
        const Run run = score(m_big, QString::fromStdString(url));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(!run.json["monitoring"]["pushed"].get<bool>());
        // Refused at once: the push as the batch starts and the final one.
        QCOMPARE(run.json["monitoring"]["push_failures"].get<double>(), 2.0);
        QVERIFY(run.err.contains("metrics not pushed"));
        QVERIFY(logText().contains("\"push_failed\""));
        const double scoring = run.json["seconds"].get<double>();
        qInfo(
            "gateway down: wall %.3f s (baseline %.3f), scoring %.3f s (baseline %.3f), push %.3f "
            "s",
            run.wallSeconds, m_baselineWall, scoring, m_baselineScore,
            run.json["monitoring"]["push_seconds"].get<double>());
        QVERIFY(run.wallSeconds < m_baselineWall + 1.0);
        QVERIFY(scoring < m_baselineScore * 1.5 + 0.5);
    }

    void cliWithSilentGateway() {
        SilentServer silent;
        // Default push timeout (2000 ms): the push at the start of the batch hangs while rows
        // are scored (and periodic ones, every second, for a long batch); the final push is
        // abandoned 2 s after scoring ends.
        const Run run =
            score(m_big, QString::fromStdString(silent.url()), {"--push-interval", "1"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(!run.json["monitoring"]["pushed"].get<bool>());
        QVERIFY(run.json["monitoring"]["push_failures"].get<double>() >= 1.0);
        QVERIFY(silent.accepted() >= 1);
        const double scoring = run.json["seconds"].get<double>();
        qInfo(
            "silent gateway: wall %.3f s (baseline %.3f), scoring %.3f s (baseline %.3f), "
            "final push gave up after %.3f s, push failures %.0f",
            run.wallSeconds, m_baselineWall, scoring, m_baselineScore,
            run.json["monitoring"]["push_seconds"].get<double>(),
            run.json["monitoring"]["push_failures"].get<double>());
        QVERIFY(run.json["monitoring"]["push_seconds"].get<double>() < 2.3);
        QVERIFY(run.wallSeconds < m_baselineWall + 2.0 + 1.0);
        QVERIFY(scoring < m_baselineScore * 1.5 + 0.5);

        // A shorter --push-timeout shortens the wait accordingly.
        const Run quick =
            score(m_input, QString::fromStdString(silent.url()), {"--push-timeout", "300"});
        QCOMPARE(quick.exitCode, 0);
        QVERIFY(quick.json["monitoring"]["push_seconds"].get<double>() < 0.6);
        qInfo(
            "silent gateway, --push-timeout 300: wall %.3f s, scoring %.3f s, push gave up after "
            "%.3f s",
            quick.wallSeconds, quick.json["seconds"].get<double>(),
            quick.json["monitoring"]["push_seconds"].get<double>());
        QVERIFY(logText().contains("\"timed_out\":true"));
    }
};

QTEST_GUILESS_MAIN(CliMonitoringTest)
#include "tst_cli_monitoring.moc"
