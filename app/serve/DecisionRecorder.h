#pragma once
// `cwb serve --store`: every applicant the service scores is recorded in the workbench store as
// `cwb explain --store` records one (store/RecordScore.h: pseudonym, inputs with the personal
// ones marked, model identity, result; source "serve"), under the user the service signed in as.
//
// The store is used from one thread (QtSql connections belong to the thread that opened them),
// so the recorder owns a writer thread that opens the store, signs in and records what the
// request threads hand it. A request waits until its decisions are committed: the service never
// answers with a decision that is not in the store (the client gets 503 instead).

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/Result.h"
#include "store/Decisions.h"
#include "store/PasswordHash.h"

namespace cwb::serve {

struct RecorderLogin {
    std::string storePath;  // an existing store (the service does not create one)
    std::string user;
    std::unique_ptr<store::SecretString> password;  // null: the account has none
};

class DecisionRecorder {
public:
    // Opens the store and signs in on the writer thread; fails when the store cannot be opened,
    // the login fails or the user may not record decisions (analyst or loan_officer).
    static Result<std::unique_ptr<DecisionRecorder>> start(RecorderLogin login);
    // Finishes the decisions already handed over, then stops the writer.
    ~DecisionRecorder();
    DecisionRecorder(const DecisionRecorder&) = delete;
    DecisionRecorder& operator=(const DecisionRecorder&) = delete;

    // Records the decisions of one request (in order) and returns once they are committed, or
    // the first error. Safe from any thread.
    Result<std::size_t> record(std::vector<store::DecisionInput> decisions);
    const std::string& user() const { return m_user; }

private:
    DecisionRecorder() = default;
    struct Job {
        std::vector<store::DecisionInput> decisions;
        std::promise<Result<std::size_t>> done;
    };
    void writerLoop(RecorderLogin login, std::promise<Result<void>> started);

    std::string m_user;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::unique_ptr<Job>> m_queue;
    bool m_stopping = false;
    std::thread m_writer;
};

}  // namespace cwb::serve
