#pragma once
// runAsync: work on Qt's thread pool, the result handed to a callback on the context's thread.
// A QFutureWatcher is used rather than QFuture::then(context, ...), whose continuation Qt 6.4
// sometimes drops when the future finishes while it is being attached (seen in our tests).

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>

#include <type_traits>
#include <utility>

namespace cwb::ui {

// done(result) runs on context's thread; it is skipped when context is destroyed first (the
// work itself then still runs to its end, holding only what it captured).
template <class Work, class Done>
void runAsync(QObject* context, Work work, Done done) {
    using T = std::invoke_result_t<Work>;
    auto* watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, done = std::move(done)]() mutable {
                         done(watcher->future().takeResult());
                         watcher->deleteLater();
                     });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

}  // namespace cwb::ui
