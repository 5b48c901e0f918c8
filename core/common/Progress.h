#pragma once
// Progress and cancellation for long engine work (training, batch scoring, evaluation).
// The engine calls report() and checks isCanceled(); the GUI adapts it to a QPromise, the
// command line to a stderr line. Thread-safe: workers may report from any thread.

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>

namespace cwb {

class ProgressToken {
public:
    // fraction in [0, 1]; text is a short human description ("fold 2 of 5").
    using Callback = std::function<void(double fraction, const std::string& text)>;

    ProgressToken() = default;
    explicit ProgressToken(Callback callback) : m_callback(std::move(callback)) {}

    void setCallback(Callback callback) {
        std::lock_guard lock(m_mutex);
        m_callback = std::move(callback);
    }

    // Reports progress; calls the callback at most every m_minInterval unless force is set
    // (use force for the final 1.0 so the last value always arrives).
    void report(double fraction, const std::string& text = {}, bool force = false) {
        std::lock_guard lock(m_mutex);
        if (!m_callback) return;
        const auto now = std::chrono::steady_clock::now();
        if (!force && fraction < 1.0 && now - m_lastReport < m_minInterval) return;
        m_lastReport = now;
        m_callback(fraction, text);
    }

    void cancel() { m_canceled.store(true, std::memory_order_relaxed); }
    bool isCanceled() const { return m_canceled.load(std::memory_order_relaxed); }

    void setMinInterval(std::chrono::milliseconds interval) { m_minInterval = interval; }

private:
    std::mutex m_mutex;
    Callback m_callback;
    std::atomic<bool> m_canceled{false};
    std::chrono::steady_clock::time_point m_lastReport{};
    std::chrono::milliseconds m_minInterval{100};
};

// A sub-range view of a token: maps [0,1] of a sub-task onto [begin,end] of the parent.
class ProgressRange {
public:
    ProgressRange(ProgressToken* parent, double begin, double end)
        : m_parent(parent), m_begin(begin), m_end(end) {}
    void report(double fraction, const std::string& text = {}) const {
        if (m_parent) m_parent->report(m_begin + (m_end - m_begin) * fraction, text);
    }
    bool isCanceled() const { return m_parent && m_parent->isCanceled(); }
    ProgressRange sub(double begin, double end) const {
        return {m_parent, m_begin + (m_end - m_begin) * begin, m_begin + (m_end - m_begin) * end};
    }

private:
    ProgressToken* m_parent;
    double m_begin;
    double m_end;
};

}  // namespace cwb
