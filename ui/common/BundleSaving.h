#pragma once
// Saving a model bundle from a view (training view, scorecard editor): the write runs on a
// worker so a large bundle never stalls the event loop, and the views report the outcome in the
// same words.

#include <QObject>
#include <QString>

#include <memory>
#include <string>
#include <utility>

#include "common/Result.h"
#include "ui/common/Async.h"

namespace cwb::ui {

// write(path) runs on a worker and returns the outcome of writing the bundle there; then
// done(ok, message) runs on context's thread, message being "Saved <path>" or why it failed.
template <class Write, class Done>
void saveInBackground(QObject* context, const QString& path, Write write, Done done) {
    runAsync(
        context,
        [path, write = std::move(write)] {
            return std::make_shared<Result<void>>(write(path.toStdString()));
        },
        [path, done = std::move(done)](std::shared_ptr<Result<void>> result) {
            const bool ok = result->ok();
            done(ok, ok ? QObject::tr("Saved %1").arg(path)
                        : QString::fromStdString(result->error().message));
        });
}

}  // namespace cwb::ui
