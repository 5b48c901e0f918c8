#include "ui/common/JobRunner.h"

#include <QPromise>
#include <QtConcurrent>

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
        emit progress(static_cast<double>(value) / kProgressSteps, m_watcher.progressText());
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
    m_token = std::make_shared<ProgressToken>();
    m_error = std::make_shared<QString>();
    auto token = m_token;
    auto error = m_error;
    QFuture<void> future =
        QtConcurrent::run([token, error, work = std::move(work)](QPromise<void>& promise) {
            promise.setProgressRange(0, kProgressSteps);
            token->setCallback([&promise](double fraction, const std::string& text) {
                promise.setProgressValueAndText(static_cast<int>(fraction * kProgressSteps),
                                                QString::fromStdString(text));
            });
            try {
                *error = work(*token);
            } catch (const std::bad_alloc&) {
                *error = tr("Out of memory.");
            } catch (const std::exception& e) {
                *error = tr("Internal error: %1").arg(QString::fromUtf8(e.what()));
            } catch (...) {
                // Never let anything escape a worker: that would be std::terminate.
                *error = tr("Internal error (unknown exception).");
            }
            // The promise dies with this call; the token may outlive it.
            token->setCallback({});
        });
    m_watcher.setFuture(future);
    return true;
}

void JobRunner::cancel() {
    if (m_running && m_token) m_token->cancel();
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
    const bool canceled = m_token->isCanceled();
    emit finished(canceled, canceled ? QString() : *m_error);
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
