#pragma once
// runAsync: work on Qt's thread pool, the result handed to a callback on the context's thread.
// A QFutureWatcher is used rather than QFuture::then(context, ...), whose continuation Qt 6.4
// sometimes drops when the future finishes while it is being attached (seen in our tests).

#include <QFutureInterface>
#include <QFutureWatcher>
#include <QObject>

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "ui/common/PoolHandoff.h"

namespace cwb::ui {

// done(result) runs on context's thread; it is skipped when context is destroyed first (the
// work itself then still runs to its end, holding only what it captured). The work and its
// result travel in a slot of our own, handed over in ways ThreadSanitizer sees (PoolHandoff.h).
// An exception from the work is rethrown on the context's thread, before done.
template <class Work, class Done>
void runAsync(QObject* context, Work work, Done done) {
    using T = std::invoke_result_t<Work>;
    struct Slot {
        explicit Slot(Work w) : work(std::move(w)) {}
        Work work;
        std::optional<T> result;
        std::exception_ptr failure;
        QFutureInterface<void> promise;
        PoolHandoff toCaller;
    };
    auto slot = std::make_shared<Slot>(std::move(work));
    auto* watcher = new QFutureWatcher<void>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, slot, done = std::move(done)]() mutable {
                         watcher->deleteLater();
                         slot->toCaller.take();
                         if (slot->failure) std::rethrow_exception(slot->failure);
                         done(std::move(*slot->result));
                     });
    slot->promise.reportStarted();
    watcher->setFuture(slot->promise.future());
    startOnPool([slot] {
        {
            // The work and its captures die on this thread before the handoff: a Qt value they
            // share with the context's thread (a QString path) is then never released here
            // after that thread has gone on with it, an order only Qt's own atomics would give
            // and ThreadSanitizer cannot see.
            Work work = std::move(slot->work);
            try {
                slot->result.emplace(work());
            } catch (...) {
                slot->failure = std::current_exception();
            }
        }
        slot->toCaller.send();
        slot->promise.reportFinished();
    });
}

}  // namespace cwb::ui
