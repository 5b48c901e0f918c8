#pragma once
// Runs one long job at a time on Qt's worker pool and adapts the engine's ProgressToken to Qt:
// progress arrives as a queued signal on the GUI thread, cancel() asks the engine to stop.
// Exceptions thrown by the work (broken invariants) are caught here and reported as errors.

#include <QFutureInterface>
#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/Progress.h"
#include "ui/common/PoolHandoff.h"

namespace cwb::ui {

class JobRunner : public QObject {
    Q_OBJECT
public:
    // The work runs on a worker thread. It reports through the token and returns an error
    // message, or an empty string on success.
    using Work = std::function<QString(ProgressToken& token)>;

    explicit JobRunner(QObject* parent = nullptr);
    // Cancels and waits: the work may refer to objects that die with this runner's owner.
    ~JobRunner() override;

    // Starts the work; false when a job is already running.
    bool start(Work work);
    void cancel();
    bool isRunning() const { return m_running; }
    // Blocks until the current job (if any) ended; for shutdown and tests.
    void waitForFinished();

signals:
    void progress(double fraction, const QString& text);
    // error is empty on success; canceled is true when cancel() was called before the end.
    void finished(bool canceled, const QString& error);

private:
    void onFinished();

    QFutureWatcher<void> m_watcher;
    // What the worker shares with this runner; handed over as ThreadSanitizer sees it.
    struct Shared {
        ProgressToken token;
        QString error;
        QFutureInterface<void> promise;
        PoolHandoff done;  // the worker's last write happened
        // The progress text travels as a std::string under our own mutex and becomes a QString
        // on the GUI thread only: a QString made on the worker and freed on the GUI thread is
        // reference-counted inside Qt, which ThreadSanitizer cannot see (a report seen in
        // tst_batch_view). Qt's future carries only the progress value.
        std::mutex progressMutex;
        std::string progressText;
    };
    std::shared_ptr<Shared> m_shared;
    bool m_running = false;
};

// Starts work(token, result) on job, the work filling result (a std::optional<T>) on the worker;
// then done(canceled, error, result pointer) runs once on context's thread. Each run has its own
// result and connection, so an earlier run's outcome can never reach a later run's handler.
// False when a job is already running.
template <class T, class Work, class Done>
bool startForResult(JobRunner* job, QObject* context, Work work, Done done) {
    auto result = std::make_shared<std::optional<T>>();
    if (!job->start(
            [result, work](ProgressToken& token) -> QString { return work(token, *result); }))
        return false;
    QObject::connect(
        job, &JobRunner::finished, context,
        [result, done](bool canceled, const QString& error) { done(canceled, error, result); },
        Qt::SingleShotConnection);
    return true;
}

// Runs fn() to its end on a thread of its own whose CPU priority is `niceness` steps below the
// caller's (Linux nice values are per thread, and the threads fn starts inherit them), and
// returns its result; an exception from fn is rethrown here. For batch scoring: its workers
// then yield the CPU to the GUI thread whenever that has something to do, so the event loop
// keeps running on a loaded machine, while an idle machine still gives them every core.
QString runBelowGuiPriority(const std::function<QString()>& fn, int niceness = 5);

}  // namespace cwb::ui
