// The GUI's monitoring (issue #6) against a real prometheus-pushgateway on a free loopback
// port: an applicant scored in the Applicant view and a batch run through the Batch view are
// read back from the gateway with exact values under app="gui"; the group is deleted on a
// normal exit; settings and environment resolve as for cwb; and a dead or hung gateway never
// stalls the GUI while the monitoring panel counts the failed pushes.

#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>

#include "../common/Pushgateway.h"
#include "../common/TestPaths.h"
#include "monitor/JsonLog.h"
#include "monitor/MonitorConfig.h"
#include "ui/applicant/ApplicantView.h"
#include "ui/batch/BatchView.h"
#include "ui/common/AppSettings.h"
#include "ui/common/GuiMetrics.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/MonitoringPanel.h"
#include "ui/shell/SettingsDialog.h"
#include "ui/widgets/ScorePanel.h"

using namespace cwb;
using namespace cwb::ui;
using namespace cwb::test;

namespace {

const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kApplicants = cwb::test::sourceFile(QStringLiteral("sample_data/applicants.csv"));
const QString kBatch = cwb::test::sourceFile(QStringLiteral("sample_data/batch_german.csv"));

// Polls until check() holds or timeoutMs passes, keeping the event loop running.
bool waitFor(const std::function<bool()>& check, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!check()) {
        if (timer.elapsed() > timeoutMs) return false;
        QTest::qWait(50);
    }
    return true;
}

// The largest gap between ticks of a 10 ms timer: how long the event loop was kept busy.
class StallMeter : public QObject {
public:
    StallMeter() {
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_worst = std::max(m_worst, m_clock.restart());
            ++m_ticks;
        });
        m_timer.setTimerType(Qt::PreciseTimer);
        m_clock.start();
        m_timer.start(10);
    }
    qint64 worstMs() const { return m_worst; }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_worst = 0;
    int m_ticks = 0;
};

}  // namespace

class TestGuiMonitoring : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Pushgateway m_gateway;
    QString m_batch;  // 1000 German credit rows and 2 that must be rejected

    QString tmp(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    std::map<std::string, std::string> guiGroup(std::map<std::string, std::string> extra = {}) {
        extra.insert({{"job", "credit_workbench"}, {"instance", hostName()}, {"app", "gui"}});
        return extra;
    }
    static void setEnv(const char* name, const QByteArray& value) { qputenv(name, value); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // The GUI's QSettings and MonitorConfig's explicit ("CreditWorkbench",
        // "credit-workbench") must be one file, as in the real program; test mode keeps it
        // away from the user's own settings.
        QCoreApplication::setOrganizationName("CreditWorkbench");
        QCoreApplication::setApplicationName("credit-workbench");
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        qunsetenv("CWB_PUSHGATEWAY_URL");
        qunsetenv("CWB_PUSH_INTERVAL_S");
        qunsetenv("CWB_PUSH_TIMEOUT_MS");
        LogConfig log;
        log.app = "gui";
        log.directory = tmp("state").toStdString();
        log.level = LogLevel::Debug;
        JsonLog::instance().configure(log);

        QFile in(kBatch);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = in.readAll().trimmed().split('\n');
        QByteArray text = lines.takeFirst() + '\n';
        for (int i = 0; i < 1000; ++i)
            text += lines[i] + '\n';
        text += "X9001,too,few,fields\n";
        // The third field, duration_months, not a number.
        QByteArray bad = lines[0];
        const qsizetype second = bad.indexOf(',', bad.indexOf(',') + 1);
        bad.replace(second + 1, bad.indexOf(',', second + 1) - second - 1, "thirty-six");
        QVERIFY(bad.contains(",thirty-six,"));
        text += bad + '\n';
        QFile out(tmp("batch.csv"));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text);
        out.close();
        m_batch = out.fileName();

        if (Pushgateway::executable().isEmpty()) QSKIP("prometheus-pushgateway is not installed");
        QVERIFY2(m_gateway.start(tmp("pushgateway.log")), "pushgateway did not become ready");
    }

    void cleanup() {
        qunsetenv("CWB_PUSHGATEWAY_URL");
        qunsetenv("CWB_PUSH_INTERVAL_S");
        qunsetenv("CWB_PUSH_TIMEOUT_MS");
        QSettings().clear();
    }

    void scoresAndBatchReachTheGateway() {
        setEnv("CWB_PUSHGATEWAY_URL", QByteArray::fromStdString(m_gateway.url()));
        setEnv("CWB_PUSH_INTERVAL_S", "1");  // interactive scores show up within a second
        MainWindow window;
        GuiMetrics* metrics = window.monitoring();
        QVERIFY(metrics->pushing());
        QCOMPARE(metrics->config().app, std::string("gui"));
        QVERIFY(window.openModel(kModel, true));

        // Interactive: the live preview follows every change of the form, but only the
        // applicant the analyst records counts (issue 17: 12 approvals after 4 applicants).
        ApplicantView* applicant = window.applicantView();
        std::map<std::string, double> shown;
        int previews = 0;
        connect(applicant, &ApplicantView::scored, this, [&] {
            if (applicant->result()) ++previews;
        });
        QSignalSpy loaded(applicant, &ApplicantView::loaded);
        applicant->loadFromFile(kApplicants, 1);
        QVERIFY(loaded.wait(10000));
        QVERIFY(loaded.at(0).at(0).toBool());
        QVERIFY(applicant->result());
        const std::string decision = toString(applicant->result()->decision);
        QCOMPARE(
            applicant->panel()->decisionText().toLower().contains(QString::fromStdString(decision)),
            true);
        QVERIFY(previews >= 1);
        QVERIFY(metrics->session().scores.empty());  // previews are not counted
        QVERIFY(applicant->recordScore());
        QVERIFY(!applicant->recordScore());  // the same applicant counts once
        shown[decision] += 1;
        const int interactive = 1;
        QCOMPARE(metrics->session().scores.at(decision), std::uint64_t(1));

        const auto labels = [&](std::map<std::string, std::string> extra) {
            return guiGroup(std::move(extra));
        };
        QVERIFY2(waitFor(
                     [&] {
                         return sampleValue(m_gateway.metrics(), "cwb_scores_total",
                                            labels({{"model", "german_credit"},
                                                    {"decision", decision}})) == shown[decision];
                     },
                     15000),
                 "the interactive score did not reach the gateway");
        std::string text = m_gateway.metrics();
        QCOMPARE(sampleValue(text, "cwb_score_duration_seconds_count", guiGroup()),
                 double(interactive));
        QCOMPARE(sampleValue(text, "cwb_model_info",
                             labels({{"model", "german_credit"}, {"algorithm", "scorecard"}})),
                 1.0);

        // A batch through the view: results shown, then pushed at its end.
        BatchView* batch = window.batchView();
        QSignalSpy preview(batch, &BatchView::previewReady);
        batch->setInputFile(m_batch);
        QVERIFY(preview.wait(20000));
        QSignalSpy results(batch, &BatchView::resultsReady);
        QVERIFY(batch->run());
        QVERIFY(results.wait(120000));
        const BatchSummary run = *batch->lastRun();
        QCOMPARE(run.rowsScored, std::size_t(1000));
        QCOMPARE(run.rowsRejected, std::size_t(2));
        QVERIFY2(waitFor(
                     [&] {
                         return sampleValue(m_gateway.metrics(), "cwb_batch_rows_total",
                                            labels({{"status", "scored"}})) == 1000.0;
                     },
                     15000),
                 "the batch did not reach the gateway");
        text = m_gateway.metrics();
        QCOMPARE(sampleValue(text, "cwb_batch_rows_total",
                             labels({{"model", "german_credit"}, {"status", "rejected"}})),
                 2.0);
        for (const auto& [d, n] : run.decisions)
            QCOMPARE(sampleValue(text, "cwb_scores_total",
                                 labels({{"model", "german_credit"}, {"decision", d}})),
                     double(n) + shown[d]);
        const double psi = sampleValue(text, "cwb_score_psi", labels({{"model", "german_credit"}}));
        QVERIFY2(psi >= 0 && psi < 0.1, qPrintable(QString::number(psi)));  // same population
        QCOMPARE(metrics->session().lastScorePsi.value_or(-1), psi);
        // The shipped model is a scorecard: one PSI per characteristic.
        QCOMPARE(countSamples(text, "cwb_feature_psi{"),
                 int(window.model()->schema.features().size()));
        QCOMPARE(sampleValue(text, "cwb_push_failures_total", guiGroup()), 0.0);
        QVERIFY(std::isnan(sampleValue(text, "cwb_batch_rows_total", {{"app", "cli"}})));

        // The panel tells the same story.
        MonitoringPanel* panel = window.monitoringPanel();
        QVERIFY(panel->gatewayText().contains(QString::number(m_gateway.port())));
        QVERIFY(panel->gatewayText().contains("CWB_PUSHGATEWAY_URL"));
        QVERIFY2(panel->lastPushText().contains("OK (HTTP 200)"),
                 qPrintable(panel->lastPushText()));
        QCOMPARE(panel->failuresText(), QString("0"));
        QVERIFY2(panel->sessionText().contains("rows scored 1,000") ||
                     panel->sessionText().contains("rows scored 1000"),
                 qPrintable(panel->sessionText()));

        // The log line of the batch: app gui, counts, no file names.
        QFile log(tmp("state") + "/gui.log");
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray logText = log.readAll();
        const qsizetype at = logText.indexOf("\"event\":\"batch_scored\"");
        QVERIFY(at >= 0);
        const QByteArray line =
            logText.mid(logText.lastIndexOf('\n', at) + 1,
                        logText.indexOf('\n', at) - logText.lastIndexOf('\n', at));
        QVERIFY2(line.contains("\"app\":\"gui\"") && line.contains("\"rows_scored\":1000"),
                 line.constData());
        QVERIFY(!logText.contains("batch.csv"));

        // A normal exit deletes the GUI's group, within the bounded wait.
        QElapsedTimer timer;
        timer.start();
        const double lastPush = metrics->pushStatus().last.seconds;
        const HttpOutcome gone = metrics->shutdown();
        QCOMPARE(gone.status, 202L);
        QVERIFY(timer.elapsed() < 1500);
        qInfo("running gateway: last push %.4f s, exit (stop pusher + DELETE) %lld ms", lastPush,
              timer.elapsed());
        QVERIFY(!metrics->pushing());
        QVERIFY(std::isnan(sampleValue(m_gateway.metrics(), "cwb_batch_rows_total", guiGroup())));
    }

    void settingsAndEnvironmentAgree() {
        AppSettings settings = AppSettings::load();
        settings.pushgatewayUrl = QString::fromStdString(m_gateway.url());
        settings.pushIntervalS = 7;
        settings.pushTimeoutMs = 900;
        settings.save();
        MonitorConfig config = GuiMetrics::resolveConfig();
        QCOMPARE(config.gatewayUrl, m_gateway.url());
        QCOMPARE(config.schedule.interval, std::chrono::milliseconds(7000));
        QCOMPARE(config.schedule.timeout, std::chrono::milliseconds(900));
        QCOMPARE(config.app, std::string("gui"));
        QCOMPARE(config.instance, hostName());
        {
            MainWindow window;
            QVERIFY(window.monitoring()->pushing());
            QCOMPARE(window.monitoring()->urlSource(), QString("settings"));
            QVERIFY(window.monitoringPanel()->gatewayText().contains("from settings"));
            window.monitoring()->shutdown();
        }

        // The environment wins over the settings, as in cwb, and is never saved into them.
        setEnv("CWB_PUSHGATEWAY_URL", "http://127.0.0.1:1");
        setEnv("CWB_PUSH_INTERVAL_S", "3");
        config = GuiMetrics::resolveConfig();
        QCOMPARE(config.gatewayUrl, std::string("http://127.0.0.1:1"));
        QCOMPARE(config.schedule.interval, std::chrono::milliseconds(3000));
        QCOMPARE(config.schedule.timeout, std::chrono::milliseconds(900));
        const AppSettings reloaded = AppSettings::load();
        QCOMPARE(reloaded.pushgatewayUrl, QString::fromStdString(m_gateway.url()));
        reloaded.save();
        QCOMPARE(QSettings().value("monitoring/pushgateway").toString(),
                 QString::fromStdString(m_gateway.url()));
        SettingsDialog dialog(reloaded, nullptr);
        auto* note = dialog.findChild<QLabel*>("pushEnvironmentNote");
        QVERIFY(note);
        QVERIFY(note->text().contains("CWB_PUSHGATEWAY_URL") &&
                note->text().contains("CWB_PUSH_INTERVAL_S"));

        // Set and empty: pushing off, whatever the settings say.
        setEnv("CWB_PUSHGATEWAY_URL", "");
        MainWindow off;
        QVERIFY(!off.monitoring()->pushing());
        QVERIFY(off.monitoringPanel()->gatewayText().contains("empty"));
    }

    void deadGatewayIsCountedAndNeverStallsTheGui() {
        setEnv("CWB_PUSHGATEWAY_URL",
               QByteArray("http://127.0.0.1:") + QByteArray::number(freePort()));
        setEnv("CWB_PUSH_INTERVAL_S", "1");
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openModel(kModel, true));
        StallMeter meter;
        QSignalSpy loaded(window.applicantView(), &ApplicantView::loaded);
        window.applicantView()->loadFromFile(kApplicants, 2);
        QVERIFY(loaded.wait(10000));
        BatchView* batch = window.batchView();
        QSignalSpy preview(batch, &BatchView::previewReady);
        batch->setInputFile(m_batch);
        QVERIFY(preview.wait(20000));
        QSignalSpy results(batch, &BatchView::resultsReady);
        QVERIFY(batch->run());
        QVERIFY(results.wait(120000));
        QCOMPARE(batch->lastRun()->rowsScored, std::size_t(1000));
        GuiMetrics* metrics = window.monitoring();
        // At the model's and the batch's requests, then at least one periodic push (1 s).
        QVERIFY2(waitFor([&] { return metrics->pushStatus().failures >= 3; }, 10000),
                 "failed pushes were not counted");
        const auto status = metrics->pushStatus();
        QCOMPARE(status.last.curlCode, 7);  // connection refused
        QCOMPARE(window.monitoringPanel()->failuresText(), QString::number(status.failures));
        QVERIFY(window.monitoringPanel()->lastPushText().contains("failed"));
        QCOMPARE(metrics->metrics().pushFailures(), double(status.failures));
        // Refused pushes fail in about a millisecond on the pusher's thread; the bound only
        // separates "never waited" from "waited on the network" on a loaded machine.
        qInfo(
            "dead gateway: %llu failed pushes, last in %.4f s; worst event-loop gap %lld ms "
            "over %d ticks",
            static_cast<unsigned long long>(status.failures), status.last.seconds, meter.worstMs(),
            meter.ticks());
        QVERIFY2(meter.worstMs() < 1000, qPrintable(QString::number(meter.worstMs())));
        QElapsedTimer timer;
        timer.start();
        const HttpOutcome gone = metrics->shutdown();
        QVERIFY(!gone.ok());
        QVERIFY(timer.elapsed() < 1500);
    }

    void hungGatewayNeverStallsTheGui() {
        // Accepts and never answers, with a 30 s push deadline: a push on the GUI thread
        // would freeze it for 30 s.
        SilentServer silent;
        setEnv("CWB_PUSHGATEWAY_URL", QByteArray::fromStdString(silent.url()));
        setEnv("CWB_PUSH_TIMEOUT_MS", "30000");
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openModel(kModel, true));  // asks for a push: it hangs from now on
        QVERIFY(waitFor([&] { return silent.accepted() >= 1; }, 5000));
        StallMeter meter;
        QSignalSpy loaded(window.applicantView(), &ApplicantView::loaded);
        window.applicantView()->loadFromFile(kApplicants, 3);
        QVERIFY(loaded.wait(10000));
        BatchView* batch = window.batchView();
        QSignalSpy preview(batch, &BatchView::previewReady);
        batch->setInputFile(m_batch);
        QVERIFY(preview.wait(20000));
        QSignalSpy results(batch, &BatchView::resultsReady);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(batch->run());
        QVERIFY(results.wait(120000));
        const qint64 batchMs = timer.elapsed();
        QCOMPARE(window.monitoringPanel()->lastPushText(), QString("none yet"));
        qInfo("hung gateway: batch to results in %lld ms, worst event-loop gap %lld ms", batchMs,
              meter.worstMs());
        QVERIFY2(meter.worstMs() < 1000, qPrintable(QString::number(meter.worstMs())));
        // The exit waits for the DELETE at most ~1 s, not the 30 s push deadline.
        timer.restart();
        const HttpOutcome gone = window.monitoring()->shutdown();
        QVERIFY(gone.timedOut);
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        qInfo("hung gateway: exit (abort push + DELETE) took %lld ms", timer.elapsed());
    }
};

QTEST_MAIN(TestGuiMonitoring)
#include "tst_gui_monitoring.moc"
