// gui_stall: how long the GUI's event loop is kept busy while a large batch goes through the
// Batch view (issue #4: "the event loop never stalls for more than 100 ms").
//
// Opens the main window offscreen, previews and runs the file through BatchView exactly as a
// user's Run does, and waits for the results table (the results model indexing the output)
// and the summary (histogram, PSI, rejects). Then it sorts the results by score and filters
// them to one decision, as a user would next. A 10 ms timer on the GUI thread records the gap
// between consecutive ticks; the largest gap, per phase and overall, is the worst stall.
//
//   gui_stall --model MODEL.cwbm --in FILE.csv [--threads N] [--max-ms 100]
//
// Exit code 0 when the worst gap is at most --max-ms, 3 when above, 1 on failure. The user's
// settings are not touched (QStandardPaths test mode) and nothing is pushed unless
// CWB_PUSHGATEWAY_URL is set.

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHeaderView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "ui/batch/BatchResultsModel.h"
#include "ui/batch/BatchView.h"
#include "ui/shell/MainWindow.h"

namespace {

struct PhaseStats {
    qint64 startMs = 0;
    qint64 endMs = 0;
    qint64 worstGapMs = 0;
    qint64 worstAtMs = 0;
    int ticks = 0;
    int over50 = 0;
    int over100 = 0;
};

class StallMeter : public QObject {
public:
    explicit StallMeter(QObject* parent = nullptr) : QObject(parent) {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
    }
    void start(const std::string& phase) {
        m_total.start();
        m_last.start();
        enter(phase);
        m_timer.start(10);
    }
    // Later ticks count against this phase; the gap that spans the switch counts against the
    // phase it ends in (the work that delayed it ran there).
    void enter(const std::string& phase) {
        if (!m_phase.empty()) m_stats[m_phase].endMs = m_total.elapsed();
        m_phase = phase;
        if (!m_stats.count(phase)) {
            m_order.push_back(phase);
            m_stats[phase].startMs = m_total.elapsed();
        }
    }
    void stop() {
        tick();
        m_timer.stop();
        m_stats[m_phase].endMs = m_total.elapsed();
    }
    qint64 worstMs() const {
        qint64 worst = 0;
        for (const auto& [name, s] : m_stats)
            worst = std::max(worst, s.worstGapMs);
        return worst;
    }
    void print() const {
        std::printf("%-22s %10s %8s %12s %10s %7s %7s\n", "phase", "start_ms", "dur_ms",
                    "worst_gap_ms", "at_ms", ">50ms", ">100ms");
        for (const std::string& name : m_order) {
            const PhaseStats& s = m_stats.at(name);
            std::printf("%-22s %10lld %8lld %12lld %10lld %7d %7d\n", name.c_str(), s.startMs,
                        s.endMs - s.startMs, s.worstGapMs, s.worstAtMs, s.over50, s.over100);
        }
    }

private:
    void tick() {
        const qint64 gap = m_last.restart();
        PhaseStats& s = m_stats[m_phase];
        ++s.ticks;
        if (gap > 50) ++s.over50;
        if (gap > 100) ++s.over100;
        if (gap > s.worstGapMs) {
            s.worstGapMs = gap;
            s.worstAtMs = m_total.elapsed();
        }
    }
    QTimer m_timer;
    QElapsedTimer m_total;
    QElapsedTimer m_last;
    std::string m_phase;
    std::vector<std::string> m_order;
    std::map<std::string, PhaseStats> m_stats;
};

// Runs the event loop until the spy fires or timeoutMs passes.
bool waitFor(QSignalSpy& spy, int timeoutMs) {
    return spy.count() > 0 || spy.wait(timeoutMs);
}

// Keeps the event loop running for ms.
void idle(int ms) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName("CreditWorkbench");
    QApplication::setApplicationName("credit-workbench-gui-stall");
    QStandardPaths::setTestModeEnabled(true);  // leave the user's settings alone

    QCommandLineParser parser;
    parser.setApplicationDescription("Worst GUI event-loop stall while a batch is scored");
    parser.addHelpOption();
    QCommandLineOption modelOption("model", "Model bundle.", "file");
    QCommandLineOption inOption("in", "CSV file to score.", "file");
    QCommandLineOption threadsOption("threads", "Scoring threads (0 = all cores).", "n", "0");
    QCommandLineOption maxOption("max-ms", "Allowed worst gap in ms.", "ms", "100");
    parser.addOptions({modelOption, inOption, threadsOption, maxOption});
    parser.process(app);
    if (!parser.isSet(modelOption) || !parser.isSet(inOption)) {
        std::fprintf(stderr, "gui_stall: --model and --in are required\n");
        return 1;
    }

    cwb::ui::MainWindow window;
    window.resize(1280, 900);
    window.show();
    if (!window.openModel(parser.value(modelOption), true)) {
        std::fprintf(stderr, "gui_stall: cannot open the model\n");
        return 1;
    }
    cwb::ui::AppSettings settings = window.settings();
    settings.threads = parser.value(threadsOption).toInt();
    window.applySettings(settings);
    cwb::ui::BatchView* batch = window.batchView();
    window.showView(batch);
    idle(300);  // first paint

    StallMeter meter;
    QElapsedTimer wall;
    wall.start();
    meter.start("preview");
    QSignalSpy preview(batch, &cwb::ui::BatchView::previewReady);
    batch->setInputFile(parser.value(inOption));
    if (!waitFor(preview, 60000) || !batch->preview()->usable()) {
        std::fprintf(stderr, "gui_stall: the file cannot be scored\n");
        return 1;
    }

    meter.enter("scoring");
    QSignalSpy finished(batch, &cwb::ui::BatchView::runFinished);
    QSignalSpy loaded(batch->resultsModel(), &cwb::ui::BatchResultsModel::loaded);
    QSignalSpy ready(batch, &cwb::ui::BatchView::resultsReady);
    if (!batch->run()) return 1;
    if (!waitFor(finished, 1800000) || !finished.at(0).at(0).toBool()) {
        std::fprintf(stderr, "gui_stall: scoring failed: %s\n",
                     finished.isEmpty() ? "timeout" : qPrintable(finished.at(0).at(2).toString()));
        return 1;
    }
    const qint64 scoredMs = wall.elapsed();
    meter.enter("indexing results");
    if (!waitFor(loaded, 600000) || !loaded.at(0).at(0).toBool()) return 1;
    meter.enter("summary, histogram, PSI");
    if (!waitFor(ready, 600000)) return 1;
    meter.enter("idle after results");
    idle(500);

    cwb::ui::BatchResultsModel* model = batch->resultsModel();
    const int scoreColumn = static_cast<int>(model->resultsIndex()->scoreColumn);
    meter.enter("sort by score");
    QSignalSpy sorted(model, &cwb::ui::BatchResultsModel::viewChanged);
    batch->resultsTable()->sortByColumn(scoreColumn, Qt::DescendingOrder);
    if (!waitFor(sorted, 600000)) return 1;
    idle(300);
    meter.enter("filter decline");
    QSignalSpy filtered(model, &cwb::ui::BatchResultsModel::viewChanged);
    batch->setFilter(false, false, true, -99999, 99999);
    if (!waitFor(filtered, 600000)) return 1;
    idle(300);
    meter.enter("scroll to end");
    batch->resultsTable()->scrollToBottom();
    idle(300);
    meter.stop();

    const auto& run = *batch->lastRun();
    std::printf(
        "file: %s\nrows read %zu, scored %zu, rejected %zu; scoring %.2f s (engine), "
        "run to results %.2f s, total %.2f s\n",
        qPrintable(QFileInfo(parser.value(inOption)).fileName()), run.rowsRead, run.rowsScored,
        run.rowsRejected, run.seconds, static_cast<double>(scoredMs) / 1000.0,
        static_cast<double>(wall.elapsed()) / 1000.0);
    meter.print();
    const qint64 worst = meter.worstMs();
    const qint64 allowed = parser.value(maxOption).toLongLong();
    std::printf("worst event-loop gap: %lld ms (10 ms timer; allowed %lld ms)\n", worst, allowed);
    return worst <= allowed ? 0 : 3;
}
