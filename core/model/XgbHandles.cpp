#include "model/XgbHandles.h"

#include <limits>
#include <stdexcept>
#include <utility>

namespace cwb::xgb {

void check(int rc, const char* call) {
    if (rc == 0) return;
    const char* last = XGBGetLastError();
    std::string message = last && *last ? last : "unknown error";
    // Debian's build appends a stack trace of library addresses: no help to anyone reading it.
    if (const auto trace = message.find("\nStack trace:"); trace != std::string::npos)
        message.resize(trace);
    throw Error(call, std::move(message));
}

namespace {

// XGBoost takes arrays of C strings; the pointers stay valid while values lives.
std::vector<const char*> cStrings(const std::vector<std::string>& values) {
    std::vector<const char*> out;
    out.reserve(values.size());
    for (const std::string& v : values)
        out.push_back(v.c_str());
    return out;
}

std::vector<std::string> copyStrings(const char** strings, bst_ulong count) {
    std::vector<std::string> out;
    out.reserve(count);
    for (bst_ulong i = 0; i < count; ++i)
        out.emplace_back(strings[i]);
    return out;
}

}  // namespace

// ---- DMatrix ----------------------------------------------------------------------------------

DMatrix::~DMatrix() {
    // A destructor must not throw; freeing a valid handle does not fail.
    if (m_handle) XGDMatrixFree(m_handle);
}

DMatrix::DMatrix(DMatrix&& other) noexcept : m_handle(std::exchange(other.m_handle, nullptr)) {}

DMatrix& DMatrix::operator=(DMatrix&& other) noexcept {
    if (this != &other) {
        if (m_handle) XGDMatrixFree(m_handle);
        m_handle = std::exchange(other.m_handle, nullptr);
    }
    return *this;
}

DMatrix DMatrix::fromDense(const float* values, std::size_t rows, std::size_t cols, int threads) {
    DMatrixHandle handle = nullptr;
    CWB_XGB_CHECK(XGDMatrixCreateFromMat_omp(
        values, rows, cols, std::numeric_limits<float>::quiet_NaN(), &handle, threads));
    return DMatrix(handle);
}

void DMatrix::setLabels(const std::vector<float>& labels) {
    CWB_XGB_CHECK(XGDMatrixSetFloatInfo(m_handle, "label", labels.data(), labels.size()));
}

void DMatrix::setFeatureInfo(const char* field, const std::vector<std::string>& values) {
    std::vector<const char*> ptrs = cStrings(values);
    CWB_XGB_CHECK(XGDMatrixSetStrFeatureInfo(m_handle, field, ptrs.data(), ptrs.size()));
}

// ---- Booster ----------------------------------------------------------------------------------

Booster::~Booster() {
    if (m_handle) XGBoosterFree(m_handle);
}

Booster::Booster(Booster&& other) noexcept : m_handle(std::exchange(other.m_handle, nullptr)) {}

Booster& Booster::operator=(Booster&& other) noexcept {
    if (this != &other) {
        if (m_handle) XGBoosterFree(m_handle);
        m_handle = std::exchange(other.m_handle, nullptr);
    }
    return *this;
}

Booster Booster::create(std::span<const DMatrixHandle> cache) {
    BoosterHandle handle = nullptr;
    CWB_XGB_CHECK(XGBoosterCreate(cache.data(), cache.size(), &handle));
    return Booster(handle);
}

Booster Booster::fromBuffer(const void* data, std::size_t size) {
    Booster booster = create({});
    CWB_XGB_CHECK(XGBoosterLoadModelFromBuffer(booster.m_handle, data, size));
    return booster;
}

void Booster::setParam(const std::string& name, const std::string& value) {
    CWB_XGB_CHECK(XGBoosterSetParam(m_handle, name.c_str(), value.c_str()));
}

void Booster::setAttr(const std::string& key, const std::string& value) {
    CWB_XGB_CHECK(XGBoosterSetAttr(m_handle, key.c_str(), value.c_str()));
}

std::optional<std::string> Booster::attr(const std::string& key) const {
    const char* value = nullptr;
    int found = 0;
    CWB_XGB_CHECK(XGBoosterGetAttr(m_handle, key.c_str(), &value, &found));
    if (!found || !value) return std::nullopt;
    return std::string(value);
}

void Booster::setFeatureInfo(const char* field, const std::vector<std::string>& values) {
    std::vector<const char*> ptrs = cStrings(values);
    CWB_XGB_CHECK(XGBoosterSetStrFeatureInfo(m_handle, field, ptrs.data(), ptrs.size()));
}

std::vector<std::string> Booster::featureInfo(const char* field) const {
    bst_ulong count = 0;
    const char** strings = nullptr;
    CWB_XGB_CHECK(XGBoosterGetStrFeatureInfo(m_handle, field, &count, &strings));
    return copyStrings(strings, count);
}

void Booster::updateOneIter(int iteration, const DMatrix& train) {
    CWB_XGB_CHECK(XGBoosterUpdateOneIter(m_handle, iteration, train.get()));
}

std::string Booster::evalOneIter(int iteration, const DMatrix& data, const char* name) const {
    DMatrixHandle handles[] = {data.get()};
    const char* names[] = {name};
    const char* result = nullptr;
    CWB_XGB_CHECK(XGBoosterEvalOneIter(m_handle, iteration, handles, names, 1, &result));
    return result ? std::string(result) : std::string();
}

std::size_t Booster::featureCount() const {
    bst_ulong count = 0;
    CWB_XGB_CHECK(XGBoosterGetNumFeature(m_handle, &count));
    return count;
}

int Booster::boostedRounds() const {
    int rounds = 0;
    CWB_XGB_CHECK(XGBoosterBoostedRounds(m_handle, &rounds));
    return rounds;
}

std::string Booster::jsonConfig() const {
    bst_ulong length = 0;
    const char* text = nullptr;
    CWB_XGB_CHECK(XGBoosterSaveJsonConfig(m_handle, &length, &text));
    return std::string(text, length);
}

std::vector<std::uint8_t> Booster::save(const char* format) const {
    const std::string config = std::string(R"({"format": ")") + format + "\"}";
    bst_ulong length = 0;
    const char* bytes = nullptr;
    CWB_XGB_CHECK(XGBoosterSaveModelToBuffer(m_handle, config.c_str(), &length, &bytes));
    return {reinterpret_cast<const std::uint8_t*>(bytes),
            reinterpret_cast<const std::uint8_t*>(bytes) + length};
}

Prediction Booster::predict(const DMatrix& data, int type) const {
    // All five keys are required by 1.7 (TECH-NOTES 1.6); iteration_end 0 = every round, which
    // is right because trained models are cut to their best round before they are saved.
    const std::string config = R"({"type": )" + std::to_string(type) +
                               R"(, "training": false, "iteration_begin": 0, )"
                               R"("iteration_end": 0, "strict_shape": false})";
    const bst_ulong* shape = nullptr;
    bst_ulong dims = 0;
    const float* out = nullptr;
    CWB_XGB_CHECK(
        XGBoosterPredictFromDMatrix(m_handle, data.get(), config.c_str(), &shape, &dims, &out));
    Prediction prediction;
    std::size_t total = 1;
    for (bst_ulong d = 0; d < dims; ++d) {
        prediction.shape.push_back(shape[d]);
        total *= shape[d];
    }
    prediction.values.assign(out, out + total);
    return prediction;
}

}  // namespace cwb::xgb
