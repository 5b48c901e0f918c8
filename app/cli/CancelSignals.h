#pragma once
// SIGINT and SIGTERM cancel the running command cleanly (issue 10): the first signal cancels the
// command's progress token, so the engine stops at its next check and every temporary output is
// removed on the way out; cwb then exits with 128 + the signal's number, as shells expect. A
// second signal ends the process at once (the default action).

#include "common/Progress.h"

namespace cwb::cli {

// Installs the handlers; call once, before any command runs.
void installCancelSignals();
// The token the next signal cancels (nullptr: none). Cancelled at once when a signal came
// before it was registered.
void cancelOnSignal(ProgressToken* token);
// The signal that asked for cancellation, or 0.
int cancelSignal();

}  // namespace cwb::cli
