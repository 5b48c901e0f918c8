#pragma once
// Runs the scoring service in the foreground with its signals: SIGHUP reloads the model,
// SIGTERM and SIGINT shut it down gracefully (readiness off, the drain time, then no new
// connections and every request being handled answered); a second SIGTERM or SIGINT stops
// without waiting for the rest of the drain.

#include "ScoringService.h"

namespace cwb::serve {

// Blocks until the service has stopped. Returns the process exit code: 0 after a graceful
// shutdown, 2 for bad options or a model that cannot be served, 1 when the server failed.
int runService(ServeOptions options, const std::string& tokenFile,
               const std::string& adminTokenFile, const std::string& logTarget);

}  // namespace cwb::serve
