#include "ui/common/JobRunner.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <thread>

namespace cwb::ui {

namespace {
constexpr int kProgressSteps = 1000;
}

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcherBase::progressValueChanged, this, [this](int value) {
        if (!m_running || !m_shared) return;
        std::string text;
        {
            std::lock_guard lock(m_shared->progressMutex);
            text = m_shared->progressText;
        }
        emit progress(static_cast<double>(value) / kProgressSteps, QString::fromStdString(text));
    });
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &JobRunner::onFinished);
}

JobRunner::~JobRunner() {
    // No finished() here: the owner is half destroyed and must not get callbacks.
    cancel();
    if (m_running) m_watcher.waitForFinished();
    m_running = false;
}

bool JobRunner::start(Work work) {
    if (m_running) return false;
    m_running = true;
    m_shared = std::make_shared<Shared>();
    auto shared = m_shared;
    shared->promise.setProgressRange(0, kProgressSteps);
    shared->promise.reportStarted();
    m_watcher.setFuture(shared->promise.future());
    startOnPool([shared, work = std::move(work)]() mutable {
        shared->token.setCallback([raw = shared.get()](double fraction, const std::string& text) {
            {
                std::lock_guard lock(raw->progressMutex);
                raw->progressText = text;
            }
            raw->promise.setProgressValue(static_cast<int>(fraction * kProgressSteps));
        });
        QString error;
        {
            // The work and what it captured die here, before the handoff, so that nothing the
            // GUI thread may still share (Qt's implicitly shared values) is released by this
            // thread after it: such a release is ordered only inside Qt, which ThreadSanitizer
            // cannot see.
            Work job = std::move(work);
            try {
                error = job(shared->token);
            } catch (const std::bad_alloc&) {
                error = tr("Out of memory.");
            } catch (const std::exception& e) {
                error = tr("Internal error: %1").arg(QString::fromUtf8(e.what()));
            } catch (...) {
                // Never let anything escape a worker: that would be std::terminate.
                error = tr("Internal error (unknown exception).");
            }
        }
        shared->token.setCallback({});
        shared->error = std::move(error);
        // The same for the shared state: the runner's m_shared keeps it alive until the future
        // has finished (start() refuses a second job until then and the destructor waits for
        // it), so the GUI thread always holds the last reference and destroys it. Qt's future has
        // its own reference count.
        QFutureInterface<void> promise = shared->promise;
        PoolHandoff& done = shared->done;
        shared.reset();
        done.send();
        promise.reportFinished();
    });
    return true;
}

void JobRunner::cancel() {
    if (m_running && m_shared) m_shared->token.cancel();
}

void JobRunner::waitForFinished() {
    if (!m_running) return;
    m_watcher.waitForFinished();
    // The watcher's finished signal is queued; deliver the outcome now so state is consistent.
    onFinished();
}

void JobRunner::onFinished() {
    if (!m_running) return;
    m_running = false;
    m_shared->done.take();
    const bool canceled = m_shared->token.isCanceled();
    emit finished(canceled, canceled ? QString() : m_shared->error);
}

QString runBelowGuiPriority(const std::function<QString()>& fn, int niceness) {
    QString result;
    std::exception_ptr failure;
    std::thread worker([&] {
        // Best effort: if the priority cannot be changed, the work runs as before.
        const pid_t self = ::gettid();
        errno = 0;
        const int current = ::getpriority(PRIO_PROCESS, static_cast<id_t>(self));
        if (errno == 0) ::setpriority(PRIO_PROCESS, static_cast<id_t>(self), current + niceness);
        try {
            result = fn();
        } catch (...) {
            failure = std::current_exception();
        }
    });
    worker.join();
    if (failure) std::rethrow_exception(failure);
    return result;
}

}  // namespace cwb::ui
