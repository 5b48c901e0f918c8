#pragma once
// Independent training tasks (cross-validation folds, search fits) on a few worker threads.
// Each model trains on one thread (decision 6): XGBoost's OpenMP threads busy-wait, and whole
// folds in parallel scale cleanly where threads inside one training did not.

#include <functional>
#include <optional>
#include <string>

#include "common/Progress.h"
#include "common/Result.h"

namespace cwb {

// Runs task(0) .. task(count - 1) on `workers` threads (the caller's among them), each task
// once. A task that returns an error, throws or starts after cancellation fails the run; the
// error of the lowest-numbered failed task is returned, so the message does not depend on
// scheduling. `what(i)` names task i in the messages of exceptions ("cross-validation fold 2").
Result<void> runTasks(int count, int workers, const ProgressRange& progress,
                      const std::function<std::optional<Error>(int)>& task,
                      const std::function<std::string(int)>& what);

// The worker count of a request's `threads` (0 = all cores).
int workerCount(int threads);

}  // namespace cwb
