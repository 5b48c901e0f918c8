#pragma once
// Records a batch run in the store while it is scored: the run itself (input file SHA-256,
// model, user, counts, a BLAKE2b-256 of the recorded results) and every scored row (pseudonym,
// PD, score, decision, reasons) in pieces as the scorer wrote them. Pieces go to a writer
// thread with its own connection, one insert (and commit) each, so recording overlaps
// with scoring and a run killed half way leaves a usable store (the run stays "running", the
// rows written so far stay, the audit chain is intact: its entries are appended only at the
// start and the end, each in one transaction). On PostgreSQL the rows go in one transaction
// that commits only when the run completes: a lost connection leaves no half-recorded batch.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "store/Roles.h"

namespace cwb::store {

class Store;

struct BatchInfo {
    std::string inputPath;
    std::string modelName, modelVersion, bundleSha256;
};

class BatchRecorder {
public:
    // Registers the run (status running, audited) and starts the writer.
    static Result<std::unique_ptr<BatchRecorder>> start(Store& store, const Actor& by,
                                                        const BatchInfo& info);
    ~BatchRecorder();  // a run neither finished nor failed is marked failed
    BatchRecorder(const BatchRecorder&) = delete;
    BatchRecorder& operator=(const BatchRecorder&) = delete;

    // The scored output in order, as the batch scorer writes it: the header line first, then
    // whole lines. Blocks while the writer is several pieces behind (memory stays bounded).
    // An error means the writer failed; the run should stop.
    Result<void> add(std::string_view text);
    // After a successful run: waits for the writer, completes the run (audited) with the
    // scorer's counts ({rows_read, rows_scored, rows_rejected, decisions}).
    Result<nlohmann::json> finish(const nlohmann::json& counts);
    // After a failed or cancelled run.
    void fail(const std::string& why);
    std::int64_t batchId() const { return m_batchId; }

private:
    BatchRecorder(Store& store, Actor by, std::int64_t batchId, std::string dbPath,
                  std::string pseudonymKey);
    void writerLoop();
    Result<void> stopWriter();

    Store& m_store;
    Actor m_by;
    std::int64_t m_batchId = 0;
    std::string m_dbPath, m_pseudonymKey;
    std::future<Result<std::string>> m_inputHash;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::string> m_queue;
    bool m_closing = false;
    bool m_keepRows = false;  // set by finish(): the run completed
    std::string m_writerError;
    std::thread m_writer;
    bool m_done = false;
    // Written by the writer thread, read after it is joined.
    std::int64_t m_rowsRecorded = 0;
    std::string m_resultsHash;  // BLAKE2b-256 of the recorded lines
};

}  // namespace cwb::store
