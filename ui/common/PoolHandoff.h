#pragma once
// Handoffs between the GUI thread and Qt's thread pool that ThreadSanitizer can see.
//
// Qt passes a task to a pool thread, and its result back, under its own locks (QMutex is
// futex-based). Debian's Qt is not built with -fsanitize=thread, so TSan cannot see that
// order: what one thread wrote before the handoff looks unordered against what the other reads
// after it (seen in tst_training_view: the Table built by the loader's task, read by the
// preview's task; and QtConcurrent's own task object, allocated by the caller and read by the
// pool thread). These two pieces state the same order in instrumented code:
//  - startOnPool(task) queues the task under a std::mutex and hands the pool a function that
//    captures nothing, so the pool thread reads nothing of ours before it takes that mutex;
//  - a PoolHandoff carries a result back: the worker calls send() after its last write, the
//    receiving thread take() before its first read (a release store and an acquire load).
// Qt already orders both, so they cost a lock or an atomic and change no behaviour.

#include <atomic>
#include <cassert>
#include <functional>

namespace cwb::ui {

// Runs task on QThreadPool::globalInstance(). The task must not throw.
void startOnPool(std::function<void()> task);

class PoolHandoff {
public:
    void send() { m_sent.store(true, std::memory_order_release); }
    void take() const {
        [[maybe_unused]] const bool sent = m_sent.load(std::memory_order_acquire);
        assert(sent && "take() before send(): the handoff is not ordered as claimed");
    }

private:
    std::atomic<bool> m_sent{false};
};

}  // namespace cwb::ui
