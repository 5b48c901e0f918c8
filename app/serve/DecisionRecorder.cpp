#include "DecisionRecorder.h"

#include "store/Store.h"

namespace cwb::serve {

Result<std::unique_ptr<DecisionRecorder>> DecisionRecorder::start(RecorderLogin login) {
    std::unique_ptr<DecisionRecorder> recorder(new DecisionRecorder());
    recorder->m_user = login.user;
    std::promise<Result<void>> started;
    auto ready = started.get_future();
    recorder->m_writer = std::thread(&DecisionRecorder::writerLoop, recorder.get(),
                                     std::move(login), std::move(started));
    auto result = ready.get();
    if (!result) {
        recorder->m_writer.join();  // the writer has returned after reporting the failure
        return result.error();
    }
    return recorder;
}

DecisionRecorder::~DecisionRecorder() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_writer.joinable()) m_writer.join();
}

Result<std::size_t> DecisionRecorder::record(std::vector<store::DecisionInput> decisions) {
    auto job = std::make_unique<Job>();
    job->decisions = std::move(decisions);
    auto done = job->done.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return Error::failure("the store's recorder has stopped");
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
    return done.get();
}

void DecisionRecorder::writerLoop(RecorderLogin login, std::promise<Result<void>> started) {
    auto opened = store::Store::open(login.storePath);
    if (!opened) return started.set_value(opened.error());
    std::unique_ptr<store::Store> s = std::move(*opened);
    auto found = s->users().find(login.user);
    if (!found) return started.set_value(found.error());
    if ((!*found || (*found)->hasPassword) && !login.password)
        return started.set_value(Error::badInput("a password is needed for the store's user '" +
                                                 login.user + "': set CWB_PASSWORD"));
    auto actor = s->users().authenticate(login.user, login.password.get());
    login.password.reset();  // not kept beyond the login
    if (!actor) return started.set_value(actor.error());
    if (auto r = store::require(*actor, store::Action::RecordDecision); !r)
        return started.set_value(r.error());
    started.set_value(Result<void>());

    for (;;) {
        std::unique_ptr<Job> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) return;  // stopping, and everything handed over is recorded
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        std::size_t recorded = 0;
        Result<std::size_t> outcome = recorded;
        for (const store::DecisionInput& input : job->decisions) {
            auto id = s->decisions().record(*actor, input);
            if (!id) {
                outcome = id.error();
                break;
            }
            ++recorded;
            outcome = recorded;
        }
        job->done.set_value(std::move(outcome));
    }
}

}  // namespace cwb::serve
