// Monitoring without a network (issue #6): the metric registry and its exposition, drift
// counting and PSI, JSON logs with rotation, /proc readers, push URLs and settings, and the
// shipped Prometheus config, alert rules (promtool) and Grafana dashboard. Tests against a real
// pushgateway and the cwb executable are in tst_cli_monitoring.cpp.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "../common/Pushgateway.h"
#include "TestSupport.h"
#include "model/Scorecard.h"
#include "monitor/Drift.h"
#include "monitor/JsonLog.h"
#include "monitor/MonitorConfig.h"
#include "monitor/ProcessStats.h"
#include "monitor/PushClient.h"
#include "monitor/RuntimeMetrics.h"
#include "pipeline/ReferenceScores.h"
#include "scoring/BatchScorer.h"
#include "scoring/ModelBundle.h"

using namespace cwb;
using namespace cwb::test;

namespace {

QStringList metricNames(const std::string& exposition) {
    QStringList names;
    static const QRegularExpression type(QStringLiteral("^# TYPE (\\S+) (\\S+)$"),
                                         QRegularExpression::MultilineOption);
    auto it = type.globalMatch(QString::fromStdString(exposition));
    while (it.hasNext()) {
        const auto m = it.next();
        names << m.captured(1);
        if (m.captured(2) == "histogram")
            names << m.captured(1) + "_bucket" << m.captured(1) + "_sum"
                  << m.captured(1) + "_count";
    }
    return names;
}

BatchSummary exampleSummary() {
    BatchSummary s;
    s.rowsRead = 10;
    s.rowsScored = 7;
    s.rowsRejected = 3;
    s.seconds = 0.5;
    s.decisions = {{"approve", 4}, {"refer", 2}, {"decline", 1}};
    return s;
}

QString monitoringFile(const char* name) {
    return QString::fromStdString(sourcePath("resources/monitoring/")) + name;
}

}  // namespace

class MonitoringTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // Isolate QSettings (read by MonitorConfig) from the user's real configuration.
        qputenv("XDG_CONFIG_HOME", m_dir.filePath("config").toUtf8());
        qunsetenv("CWB_PUSHGATEWAY_URL");
        qunsetenv("CWB_PUSH_INTERVAL_S");
        qunsetenv("CWB_PUSH_TIMEOUT_MS");
    }

    void exposesEveryIssueMetric() {
        RuntimeMetrics m;
        m.setModelInfo("german_credit", "1", "scorecard");
        m.recordScore("german_credit", "approve", 0.0003);
        m.recordBatch("german_credit", exampleSummary());
        m.setScorePsi("german_credit", 0.125);
        m.setFeaturePsi("german_credit", {{"duration_months", 0.5}, {"purpose", 0.01}});
        m.countError("bad_input");
        m.countPushFailure();
        m.setLastPushSeconds(0.25);
        m.updateProcessStats();
        const std::string text = m.serialize();
        const std::map<std::string, std::string> model = {{"model", "german_credit"}};
        QCOMPARE(sampleValue(text, "cwb_batch_rows_total",
                             {{"model", "german_credit"}, {"status", "scored"}}),
                 7.0);
        QCOMPARE(sampleValue(text, "cwb_batch_rows_total", {{"status", "rejected"}}), 3.0);
        // Batch decisions plus the one interactive score.
        QCOMPARE(sampleValue(text, "cwb_scores_total", {{"decision", "approve"}}), 5.0);
        QCOMPARE(sampleValue(text, "cwb_scores_total", {{"decision", "decline"}}), 1.0);
        QCOMPARE(sampleValue(text, "cwb_score_duration_seconds_count"), 1.0);
        QCOMPARE(sampleValue(text, "cwb_score_duration_seconds_bucket", {{"le", "0.0005"}}), 1.0);
        QCOMPARE(sampleValue(text, "cwb_score_duration_seconds_bucket", {{"le", "0.0001"}}), 0.0);
        QCOMPARE(sampleValue(text, "cwb_batch_duration_seconds", model), 0.5);
        QCOMPARE(sampleValue(text, "cwb_batch_rows_per_second", model), 20.0);
        QCOMPARE(
            sampleValue(text, "cwb_model_info",
                        {{"model", "german_credit"}, {"version", "1"}, {"algorithm", "scorecard"}}),
            1.0);
        QCOMPARE(sampleValue(text, "cwb_score_psi", model), 0.125);
        QCOMPARE(sampleValue(text, "cwb_feature_psi", {{"feature", "duration_months"}}), 0.5);
        QCOMPARE(sampleValue(text, "cwb_errors_total", {{"kind", "bad_input"}}), 1.0);
        QCOMPARE(sampleValue(text, "cwb_errors_total", {{"kind", "failure"}}), 0.0);
        QCOMPARE(sampleValue(text, "cwb_push_failures_total"), 1.0);
        QCOMPARE(m.pushFailures(), 1.0);
        QCOMPARE(sampleValue(text, "cwb_push_duration_seconds"), 0.25);
        QVERIFY(sampleValue(text, "cwb_process_resident_memory_bytes") > 1e6);
        // /proc counts CPU time in 10 ms ticks: a young process may still read 0.
        QVERIFY(sampleValue(text, "cwb_process_cpu_seconds_total") >= 0.0);
        for (const QString& name : metricNames(text))
            QVERIFY2(name.startsWith("cwb_"), qPrintable(name));

        // A new version of the same model replaces its info series.
        m.setModelInfo("german_credit", "2", "scorecard");
        const std::string after = m.serialize();
        QVERIFY(std::isnan(sampleValue(after, "cwb_model_info", {{"version", "1"}})));
        QCOMPARE(sampleValue(after, "cwb_model_info", {{"version", "2"}}), 1.0);
    }

    void driftMatchesReferencePsi() {
        const std::vector<double> edges = {500, 520, 540, 560};
        const std::vector<double> shares = {0.1, 0.2, 0.3, 0.2, 0.2};
        const DriftSpec spec = DriftSpec::fromReference(edges, shares);
        QVERIFY(spec.hasScore());
        QCOMPARE(spec.featureCount(), std::size_t(0));
        std::vector<double> points;
        for (int i = 0; i < 1000; ++i)
            points.push_back(480.0 + (i * 37) % 100);
        // Two slices merged, as the batch scorer does.
        DriftCounts total, a = spec.makeCounts(), b = spec.makeCounts();
        for (std::size_t i = 0; i < points.size(); ++i)
            spec.count(i % 3 == 0 ? a : b, nullptr, points[i]);
        total.merge(a);
        total.merge(b);
        QCOMPARE(total.scoreRows(), std::uint64_t(1000));
        const nlohmann::json reference = {{"edges", edges}, {"shares", shares}};
        QVERIFY(std::abs(spec.scorePsi(total) - scorePsi(reference, points)) < 1e-12);
        QVERIFY(spec.scorePsi(total) > 0.0);
        QCOMPARE(spec.scorePsi(spec.makeCounts()), 0.0);  // nothing counted
        // Malformed references give no score drift rather than a wrong one.
        QVERIFY(!DriftSpec::fromReference({1, 2}, {0.5, 0.5}).hasScore());
        QVERIFY(!DriftSpec::fromReference({2, 1}, {0.3, 0.3, 0.4}).hasScore());
    }

    void driftOfShippedScorecard() {
        auto bundle = loadBundle(sourcePath("models/german_credit.cwbm"));
        QVERIFY2(bundle.ok(), bundle ? "" : bundle.error().message.c_str());
        const DriftSpec spec = DriftSpec::fromBundle(*bundle);
        QVERIFY(spec.hasScore());
        QCOMPARE(spec.featureCount(), bundle->model->featureCount());
        // The flattened lookup bins exactly like the scorecard itself.
        const auto* scorecard = dynamic_cast<const ScorecardModel*>(bundle->model.get());
        QVERIFY(scorecard);
        const float inf = std::numeric_limits<float>::infinity();
        for (std::size_t k = 0; k < spec.featureCount(); ++k) {
            const CharacteristicBins& bins = scorecard->bins()[k];
            QCOMPARE(spec.featureName(k), bins.feature);
            std::vector<float> values = {std::nanf(""), inf, -inf, -1.0f, 0.5f, 1e30f, -1e30f};
            for (int i = 0; i < 400; ++i)
                values.push_back(static_cast<float>(i));
            for (const Bin& b : bins.bins)
                for (double edge : {b.lower, b.upper}) {
                    const auto e = static_cast<float>(edge);
                    values.insert(values.end(),
                                  {e, std::nextafter(e, inf), std::nextafter(e, -inf)});
                }
            for (float v : values) {
                const int expected = bins.binOf(v);
                const std::size_t slot = expected < 0 ? bins.bins.size() : std::size_t(expected);
                QVERIFY2(
                    spec.featureBin(k, v) == slot,
                    qPrintable(QString::fromStdString(bins.feature) + " " + QString::number(v)));
            }
        }
        // Scoring the development data itself: no drift at all.
        QTemporaryDir dir;
        BatchOptions options;
        options.input = sourcePath("sample_data/german_credit.csv");
        options.output = dir.filePath("out.csv").toStdString();
        options.reasons = 0;
        options.drift = &spec;
        options.chunkRows = 300;  // several chunks and slices to merge
        auto summary = scoreFile(*bundle, options, nullptr);
        QVERIFY(summary.ok());
        QCOMPARE(summary->drift.scoreRows(), std::uint64_t(summary->rowsScored));
        QVERIFY(spec.scorePsi(summary->drift) < 1e-3);
        const auto features = spec.featurePsi(summary->drift);
        QCOMPARE(features.size(), spec.featureCount());
        for (const auto& f : features)
            QVERIFY2(f.psi < 1e-3, f.feature.c_str());
        // Without a spec nothing is counted (the default path of the batch scorer).
        options.drift = nullptr;
        auto plain = scoreFile(*bundle, options, nullptr);
        QVERIFY(plain.ok());
        QVERIFY(plain->drift.score.empty() && plain->drift.features.empty());
    }

    void jsonLogLinesLevelsAndRotation() {
        LogConfig config;
        config.directory = m_dir.filePath("logs").toStdString();
        config.app = "unit";
        config.level = LogLevel::Info;
        config.maxBytes = 600;
        config.keep = 2;
        JsonLog log(config);
        QVERIFY(log.enabled(LogLevel::Warn));
        QVERIFY(!log.enabled(LogLevel::Debug));
        log.debug("hidden", {{"n", 1}});
        for (int i = 0; i < 20; ++i)
            log.info("event_" + std::to_string(i), {{"n", i}});
        const QDir dir(m_dir.filePath("logs"));
        QVERIFY(QFile::exists(dir.filePath("unit.log")));
        QVERIFY(QFile::exists(dir.filePath("unit.log.1")));
        QVERIFY(QFile::exists(dir.filePath("unit.log.2")));
        QVERIFY(!QFile::exists(dir.filePath("unit.log.3")));
        int lines = 0;
        for (const char* name : {"unit.log", "unit.log.1", "unit.log.2"}) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY(f.size() <= 600);
            for (const QByteArray& line : f.readAll().split('\n')) {
                if (line.isEmpty()) continue;
                const auto j = nlohmann::json::parse(line.toStdString());
                for (const char* key : {"time", "level", "event", "fields"})
                    QVERIFY(j.contains(key));
                QCOMPARE(j["level"].get<std::string>(), std::string("info"));
                QVERIFY(j["time"].get<std::string>().back() == 'Z');
                QVERIFY(j["event"].get<std::string>() != "hidden");
                ++lines;
            }
        }
        QVERIFY(lines > 3 && lines < 20);  // the oldest lines were rotated away
        // The newest line is the last one of the current file.
        QFile current(dir.filePath("unit.log"));
        QVERIFY(current.open(QIODevice::ReadOnly));
        QVERIFY(current.readAll().trimmed().split('\n').last().contains("\"event_19\""));

        LogConfig off = config;
        off.level = LogLevel::Off;
        JsonLog silent(off);
        QVERIFY(!silent.enabled(LogLevel::Error));
        QVERIFY(silent.path().empty());
        QCOMPARE(logLevelFromString("warn"), std::optional<LogLevel>(LogLevel::Warn));
        QVERIFY(!logLevelFromString("loud").has_value());
    }

    void logDirectoryFollowsXdg() {
        const QByteArray saved = qgetenv("XDG_STATE_HOME");
        qputenv("XDG_STATE_HOME", "/var/tmp/state-x");
        QCOMPARE(JsonLog::defaultLogDirectory(), std::string("/var/tmp/state-x/credit-workbench"));
        qputenv("XDG_STATE_HOME", "relative/ignored");
        QCOMPARE(JsonLog::defaultLogDirectory(),
                 qgetenv("HOME").toStdString() + "/.local/state/credit-workbench");
        if (saved.isNull())
            qunsetenv("XDG_STATE_HOME");
        else
            qputenv("XDG_STATE_HOME", saved);
    }

    void processStatsFromProc() {
        const auto before = readProcessStats();
        QVERIFY(before.has_value());
        QVERIFY(before->residentBytes > 1000000);
        volatile double sink = 0.0;
        const auto start = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(150))
            for (int i = 0; i < 10000; ++i)
                sink = sink + std::sqrt(static_cast<double>(i));
        const auto after = readProcessStats();
        QVERIFY(after->cpuSeconds > before->cpuSeconds);
    }

    void pushUrls() {
        PushTarget t;
        t.url = "http://gw.example:9091/";
        t.grouping = {{"instance", "ws-01.example"}, {"app", "cli"}};
        QCOMPARE(groupUrl(t), std::string("http://gw.example:9091/metrics/job/credit_workbench/"
                                          "instance/ws-01.example/app/cli"));
        // Unsafe or empty values use the gateway's base64 form (RFC 4648 URL-safe alphabet).
        t.grouping = {{"instance", "a/b c"}, {"app", ""}};
        QCOMPARE(groupUrl(t), std::string("http://gw.example:9091/metrics/job/credit_workbench/"
                                          "instance@base64/YS9iIGM=/app@base64/="));
        t.grouping = {{"instance", "?\?>"}};
        QCOMPARE(groupUrl(t), std::string("http://gw.example:9091/metrics/job/credit_workbench/"
                                          "instance@base64/Pz8-"));
        QCOMPARE(redactedUrl("https://user:secret@gw.example:9091/prefix?x=1"),
                 std::string("https://gw.example:9091"));
        QCOMPARE(redactedUrl("gw:9091"), std::string("gw:9091"));
    }

    void configPrecedence() {
        // Issue 17: the engine is handed the stored settings; it reads no application's
        // QSettings itself (a gateway in the settings file alone changes nothing here).
        {
            QSettings settings(QStringLiteral("CreditWorkbench"),
                               QStringLiteral("credit-workbench"));
            settings.setValue("monitoring/pushgateway", "http://settings-file:9091");
            settings.sync();
        }
        QVERIFY(!MonitorConfig::resolve("cli", MonitorSettings{}).pushing());
        QSettings(QStringLiteral("CreditWorkbench"), QStringLiteral("credit-workbench")).clear();

        MonitorSettings stored;
        stored.gatewayUrl = " http://from-settings:9091 ";
        stored.pushIntervalS = 30;
        MonitorConfig c = MonitorConfig::resolve("gui", stored);
        QCOMPARE(c.gatewayUrl, std::string("http://from-settings:9091"));
        QCOMPARE(c.schedule.interval, std::chrono::milliseconds(30000));
        QCOMPARE(c.schedule.timeout, std::chrono::milliseconds(2000));
        QCOMPARE(c.target().grouping.size(), std::size_t(2));
        QCOMPARE(c.target().grouping[0].second, hostName());
        QCOMPARE(c.target().grouping[1].second, std::string("gui"));

        qputenv("CWB_PUSHGATEWAY_URL", "http://from-env:9091");
        qputenv("CWB_PUSH_TIMEOUT_MS", "750");
        c = MonitorConfig::resolve("cli", stored);
        QCOMPARE(c.gatewayUrl, std::string("http://from-env:9091"));
        QCOMPARE(c.schedule.timeout, std::chrono::milliseconds(750));
        qputenv("CWB_PUSHGATEWAY_URL", "");  // set but empty: pushing off
        QVERIFY(!MonitorConfig::resolve("cli", stored).pushing());
        qunsetenv("CWB_PUSHGATEWAY_URL");
        qunsetenv("CWB_PUSH_TIMEOUT_MS");
    }

    void promtoolAcceptsConfigAndRules() {
        const QString promtool = QStandardPaths::findExecutable("promtool");
        if (promtool.isEmpty()) QSKIP("promtool not installed (Debian package 'prometheus')");
        const QString dir = monitoringFile("");
        const QList<QStringList> runs = {{"check", "config", "prometheus.yml"},
                                         {"check", "rules", "alerts.yml"},
                                         {"test", "rules", "alerts_test.yml"}};
        for (const QStringList& args : runs) {
            QProcess p;
            p.setWorkingDirectory(dir);
            p.start(promtool, args);
            QVERIFY(p.waitForFinished(60000));
            const QByteArray output = p.readAllStandardOutput() + p.readAllStandardError();
            QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
                     qPrintable(args.join(' ') + ": " + output));
        }
    }

    void dashboardAndRulesUseRealMetrics() {
        RuntimeMetrics m;  // every family, with at least its default series
        m.setModelInfo("x", "1", "scorecard");
        m.recordBatch("x", exampleSummary());
        m.setScorePsi("x", 0.1);
        m.setFeaturePsi("x", {{"f", 0.1}});
        QStringList known = metricNames(m.serialize());
        known << "push_time_seconds";  // added by the pushgateway per group
        static const QRegularExpression name(
            QStringLiteral("\\b(cwb_[a-z_]+|push_time_seconds)\\b"));

        QFile dashboardFile(monitoringFile("grafana-dashboard.json"));
        QVERIFY(dashboardFile.open(QIODevice::ReadOnly));
        const auto dashboard = nlohmann::json::parse(dashboardFile.readAll().toStdString());
        QSet<QString> titles;
        int expressions = 0;
        for (const auto& panel : dashboard.at("panels")) {
            titles << QString::fromStdString(panel.at("title").get<std::string>());
            for (const auto& target : panel.at("targets")) {
                const QString expr = QString::fromStdString(target.at("expr").get<std::string>());
                auto it = name.globalMatch(expr);
                QVERIFY2(it.hasNext(), qPrintable(expr));
                while (it.hasNext())
                    QVERIFY2(known.contains(it.next().captured(1)), qPrintable(expr));
                ++expressions;
            }
        }
        QVERIFY(expressions >= 10);
        for (const char* t :
             {"Scores by decision", "Batch throughput", "Interactive scoring latency",
              "Score PSI (last batch vs development)", "Errors"})
            QVERIFY2(titles.contains(t), t);

        QFile rules(monitoringFile("alerts.yml"));
        QVERIFY(rules.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(rules.readAll());
        auto it = name.globalMatch(text);
        int found = 0;
        while (it.hasNext()) {
            QVERIFY2(known.contains(it.next().captured(1)), "alerts.yml names an unknown metric");
            ++found;
        }
        QVERIFY(found >= 6);
        for (const char* alert :
             {"CwbScoreDrift", "CwbErrorRate", "CwbNoRecentPush", "CwbSlowBatch"})
            QVERIFY2(text.contains(alert), alert);
    }
};

QTEST_GUILESS_MAIN(MonitoringTest)
#include "tst_monitoring.moc"
