#include "model/ParallelTasks.h"

#include <algorithm>
#include <atomic>
#include <new>
#include <thread>
#include <vector>

namespace cwb {

int workerCount(int threads) {
    const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    return threads > 0 ? threads : static_cast<int>(hardware);
}

Result<void> runTasks(int count, int workers, const ProgressRange& progress,
                      const std::function<std::optional<Error>(int)>& task,
                      const std::function<std::string(int)>& what) {
    std::vector<std::optional<Error>> errors(static_cast<std::size_t>(std::max(count, 0)));
    std::atomic<int> next{0};
    const auto work = [&] {
        for (int i = next++; i < count; i = next++) {
            auto& error = errors[static_cast<std::size_t>(i)];
            if (progress.isCanceled()) {
                error = Error::failure("cancelled");
                continue;
            }
            // The task's exception boundary: a bad_alloc or broken invariant becomes this task's
            // error instead of std::terminate on a worker thread.
            try {
                error = task(i);
            } catch (const std::bad_alloc&) {
                error = Error::failure("out of memory in " + what(i));
            } catch (const std::exception& e) {
                error = Error::failure(what(i) + " failed: " + e.what());
            }
        }
    };
    {
        std::vector<std::jthread> pool;  // joined on every way out
        const int threads = std::min(workers, count);
        for (int w = 1; w < threads; ++w)
            pool.emplace_back(work);
        work();
    }
    // A cancellation is reported as such, not as whichever fit it interrupted first.
    if (progress.isCanceled()) return Error::failure("cancelled");
    for (auto& e : errors)
        if (e) return *e;
    return {};
}

}  // namespace cwb
