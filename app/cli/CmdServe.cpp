// cwb serve: the HTTP/JSON scoring service (docs/serve.md). Options only; the service is in
// app/serve.

#include "CliCommon.h"
#include "CliStore.h"

#include "ServeRun.h"
#include "store/Store.h"

namespace cwb::cli {

Runner addServeCommand(CLI::App& app) {
    struct Options {
        serve::ServeOptions serve;
        std::string tokenFile, adminTokenFile, log = "-";
        bool requireApproved = false;
    };
    auto o = std::make_shared<Options>();
    app.add_option("--model", o->serve.modelPath, "Model bundle (.cwbm); SIGHUP re-reads it")
        ->required();
    app.add_option("--host", o->serve.host, "Address to listen on (default: 127.0.0.1)");
    app.add_option("--port", o->serve.port,
                   "Port (default: 8080; 0 picks a free one, logged in the listening event)")
        ->check(CLI::Range(0, 65535));
    app.add_option("--threads", o->serve.threads,
                   "Connection threads: each open connection holds one (default: 32; env "
                   "CWB_SERVE_THREADS)")
        ->envname("CWB_SERVE_THREADS")
        ->check(CLI::Range(1, 1024));
    app.add_option("--max-batch", o->serve.limits.maxBatch,
                   "Most applicants in one request (default: 1000; env CWB_SERVE_MAX_BATCH)")
        ->envname("CWB_SERVE_MAX_BATCH")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
    app.add_option("--max-body-bytes", o->serve.maxBodyBytes,
                   "Largest request body; larger ones get 413 (default: 1048576; env "
                   "CWB_SERVE_MAX_BODY_BYTES)")
        ->envname("CWB_SERVE_MAX_BODY_BYTES")
        ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
    app.add_option(
           "--reasons", o->serve.limits.reasons,
           "Reason codes per applicant unless the request asks (default: 4; env CWB_SERVE_REASONS)")
        ->envname("CWB_SERVE_REASONS")
        ->check(CLI::Range(0, 20));
    app.add_option("--drain-seconds", o->serve.drainSeconds,
                   "On SIGTERM, keep serving (not ready) this long before closing (default: 0; env "
                   "CWB_SERVE_DRAIN_SECONDS)")
        ->envname("CWB_SERVE_DRAIN_SECONDS")
        ->check(CLI::Range(0.0, 300.0));
    app.add_option("--token-file", o->tokenFile,
                   "Client bearer tokens, one per line (also CWB_SERVE_TOKENS)");
    app.add_option("--admin-token-file", o->adminTokenFile,
                   "Admin bearer tokens for POST /v1/admin/reload (also CWB_SERVE_ADMIN_TOKENS)");
    app.add_option("--store", o->serve.storePath,
                   "Record every scored applicant in this workbench store (an existing one; the "
                   "user's password from CWB_PASSWORD)");
    app.add_option("--user", o->serve.storeUser,
                   "Record as this store user, an analyst or loan officer (default: $CWB_USER, "
                   "else you)")
        ->envname("CWB_USER");
    app.add_option("--log", o->log,
                   "JSON-lines log: - for standard output (default), off, or a file to append to");
    app.add_flag("--require-approved", o->requireApproved,
                 "Serve only a model with a valid approval signature in the store, checked at "
                 "start and at every reload");
    return [o]() -> int {
        // --store names both the store that records and the one holding the approvals; without
        // it, approvals come from $CWB_STORE or the default store and nothing is recorded.
        if (o->requireApproved)
            o->serve.admitModel = [store = o->serve.storePath](const ModelBundle& bundle) {
                return requireApproved(bundle, store);
            };
        if (o->serve.storeUser.empty()) o->serve.storeUser = store::osUserName();
        return serve::runService(o->serve, o->tokenFile, o->adminTokenFile, o->log);
    };
}

}  // namespace cwb::cli
