#pragma once
// RAII owners for the XGBoost C API handles (DMatrixHandle, BoosterHandle) and the check that
// turns a failed call into std::runtime_error carrying XGBGetLastError(). Private to core/model:
// nothing outside the tree-model code should see the C API.
//
// Every output pointer XGBoost hands back lives in a thread-local buffer that the next XGBoost
// call on the same thread may overwrite, so every method here copies such data out before
// returning (TECH-NOTES 1.2).

#include <xgboost/c_api.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace cwb::xgb {

// A failed XGBoost call: what() names the call for logs, message() is XGBoost's own text.
class Error : public std::runtime_error {
public:
    Error(const std::string& call, std::string message)
        : std::runtime_error(call + ": " + message), m_message(std::move(message)) {}
    const std::string& message() const { return m_message; }

private:
    std::string m_message;
};

// Throws Error when rc is not 0. The message is read here, on the failing thread, because
// XGBGetLastError() is thread-local.
void check(int rc, const char* call);

#define CWB_XGB_CHECK(call) ::cwb::xgb::check((call), #call)

class DMatrix {
public:
    DMatrix() = default;
    ~DMatrix();
    DMatrix(DMatrix&& other) noexcept;
    DMatrix& operator=(DMatrix&& other) noexcept;
    DMatrix(const DMatrix&) = delete;
    DMatrix& operator=(const DMatrix&) = delete;

    // Copies a dense row-major float matrix (NaN = missing) into a new DMatrix.
    static DMatrix fromDense(const float* values, std::size_t rows, std::size_t cols, int threads);

    DMatrixHandle get() const { return m_handle; }
    void setLabels(const std::vector<float>& labels);
    // field is "feature_name" or "feature_type"; values has one entry per column.
    void setFeatureInfo(const char* field, const std::vector<std::string>& values);

private:
    explicit DMatrix(DMatrixHandle handle) : m_handle(handle) {}
    DMatrixHandle m_handle = nullptr;
};

struct Prediction {
    std::vector<float> values;  // copied out of XGBoost's buffer
    std::vector<std::uint64_t> shape;
};

class Booster {
public:
    Booster() = default;
    ~Booster();
    Booster(Booster&& other) noexcept;
    Booster& operator=(Booster&& other) noexcept;
    Booster(const Booster&) = delete;
    Booster& operator=(const Booster&) = delete;

    // A booster for training; cache lists the DMatrices it will train or evaluate on.
    static Booster create(std::span<const DMatrixHandle> cache);
    // A booster loaded from a JSON or UBJSON model (the format is detected by XGBoost).
    static Booster fromBuffer(const void* data, std::size_t size);

    BoosterHandle get() const { return m_handle; }

    void setParam(const std::string& name, const std::string& value);
    void setAttr(const std::string& key, const std::string& value);
    std::optional<std::string> attr(const std::string& key) const;
    void setFeatureInfo(const char* field, const std::vector<std::string>& values);
    std::vector<std::string> featureInfo(const char* field) const;

    void updateOneIter(int iteration, const DMatrix& train);
    // The metrics line of one evaluation, e.g. "[12]\tvalid-logloss:0.43".
    std::string evalOneIter(int iteration, const DMatrix& data, const char* name) const;

    std::size_t featureCount() const;
    int boostedRounds() const;
    std::string jsonConfig() const;
    // format: "ubj" or "json".
    std::vector<std::uint8_t> save(const char* format) const;

    // type as in XGBoosterPredictFromDMatrix: 0 value, 1 margin, 2 contributions; all rounds.
    Prediction predict(const DMatrix& data, int type) const;

private:
    explicit Booster(BoosterHandle handle) : m_handle(handle) {}
    BoosterHandle m_handle = nullptr;
};

}  // namespace cwb::xgb
