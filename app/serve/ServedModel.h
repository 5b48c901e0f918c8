#pragma once
// The model `cwb serve` answers with: the bundle, its scorer and input encoder, the file's
// SHA-256 and the /v1/model description, all built once per load. A loaded ServedModel is never
// changed; a reload builds a new one and swaps it in (ModelSlot), so a request that started on the
// old model finishes on it.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "data/EncodedData.h"
#include "scoring/ModelBundle.h"
#include "scoring/Scorer.h"

namespace cwb::serve {

struct ServedModel {
    std::shared_ptr<const ModelBundle> bundle;
    std::unique_ptr<Scorer> scorer;
    std::vector<std::string> featureNames;  // model inputs, schema order
    std::unique_ptr<RowEncoder> encoder;    // bound to featureNames (points into bundle->schema)
    std::string sha256;                     // of the bundle file as loaded
    nlohmann::json description;             // GET /v1/model
    nlohmann::json identity;                // {"name", "version", "sha256"} in every result

    // Loads and checks the bundle at path (loadBundle's checks) and prepares everything a request
    // needs. The file is read once: the SHA-256 is of the bytes that were loaded.
    static Result<std::shared_ptr<const ServedModel>> load(const std::string& path);
};

// The current model, swapped atomically by a reload. Readers take a snapshot and keep it for the
// whole request. The request path takes no lock: each thread keeps its last snapshot and the
// generation it belongs to, and only a changed generation (a reload) sends it to the lock. A
// thread's old snapshot is released at its next request after a reload.
class ModelSlot {
public:
    std::shared_ptr<const ServedModel> current() const {
        struct Cache {
            const ModelSlot* slot = nullptr;
            std::uint64_t generation = 0;
            std::shared_ptr<const ServedModel> model;
        };
        thread_local Cache cache;
        const std::uint64_t generation = m_generation.load(std::memory_order_acquire);
        if (cache.slot != this || cache.generation != generation) {
            std::lock_guard lock(m_mutex);
            cache = {this, m_generation.load(std::memory_order_relaxed), m_model};
        }
        return cache.model;
    }
    void replace(std::shared_ptr<const ServedModel> model) {
        std::lock_guard lock(m_mutex);
        m_model.swap(model);
        m_generation.fetch_add(1, std::memory_order_release);
        // The old model (if this was its last reference) is released after the lock, below.
    }

private:
    mutable std::mutex m_mutex;
    std::shared_ptr<const ServedModel> m_model;
    std::atomic<std::uint64_t> m_generation{1};
};

}  // namespace cwb::serve
