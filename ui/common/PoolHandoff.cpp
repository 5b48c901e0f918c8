#include "ui/common/PoolHandoff.h"

#include <QThreadPool>

#include <deque>
#include <mutex>
#include <utility>

namespace cwb::ui {

namespace {

struct Queue {
    std::mutex mutex;
    std::deque<std::function<void()>> tasks;
};

Queue& queue() {
    static Queue q;
    return q;
}

}  // namespace

void startOnPool(std::function<void()> task) {
    {
        std::lock_guard lock(queue().mutex);
        queue().tasks.push_back(std::move(task));
    }
    // One pool run per queued task; which run takes which task does not matter. The function
    // captures nothing: the pool thread touches our memory only under the mutex.
    QThreadPool::globalInstance()->start([] {
        std::function<void()> next;
        {
            std::lock_guard lock(queue().mutex);
            next = std::move(queue().tasks.front());
            queue().tasks.pop_front();
        }
        next();
    });
}

}  // namespace cwb::ui
