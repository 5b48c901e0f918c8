#pragma once
// What the C++ benchmarks share: XGBoost handles, timing, and reading the model's features from
// a portfolio CSV.

#include <xgboost/c_api.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

inline void check(int rc, const char* call) {
    if (rc != 0) throw std::runtime_error(std::string(call) + ": " + XGBGetLastError());
}
#define XGB_CHECK(call) ::bench::check((call), #call)

struct BoosterOwner {
    BoosterHandle handle = nullptr;
    BoosterOwner() = default;
    BoosterOwner(const BoosterOwner&) = delete;
    BoosterOwner& operator=(const BoosterOwner&) = delete;
    ~BoosterOwner() {
        if (handle) XGBoosterFree(handle);
    }
};
struct MatrixOwner {
    DMatrixHandle handle = nullptr;
    MatrixOwner() = default;
    MatrixOwner(const MatrixOwner&) = delete;
    MatrixOwner& operator=(const MatrixOwner&) = delete;
    ~MatrixOwner() {
        if (handle) XGDMatrixFree(handle);
    }
};

inline double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, ',')) {
        if (!field.empty() && field.back() == '\r') field.pop_back();
        fields.push_back(field);
    }
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
}

// The model's features, by name, from the CSV; rows are repeated until there are `rows`.
inline std::vector<float> readRows(const std::string& path, const std::vector<std::string>& names,
                                   std::size_t rows) {
    std::istringstream in(readFile(path));
    std::string line;
    std::getline(in, line);
    const auto header = splitCsv(line);
    std::vector<std::size_t> column;
    for (const auto& name : names) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) throw std::runtime_error("the data has no column " + name);
        column.push_back(static_cast<std::size_t>(it - header.begin()));
    }
    std::vector<float> source;
    while (std::getline(in, line)) {
        const auto fields = splitCsv(line);
        if (fields.size() != header.size()) continue;
        for (std::size_t c : column) {
            const std::string& f = fields[c];
            source.push_back(f.empty() ? std::numeric_limits<float>::quiet_NaN()
                                       : std::strtof(f.c_str(), nullptr));
        }
    }
    const std::size_t width = names.size(), available = source.size() / width;
    if (available == 0) throw std::runtime_error("no usable rows in " + path);
    std::vector<float> out(rows * width);
    for (std::size_t r = 0; r < rows; ++r)
        std::copy_n(source.begin() + (r % available) * width, width, out.begin() + r * width);
    return out;
}

// A booster on one thread from XGBoost JSON, and its feature names (which the model must have).
inline std::vector<std::string> loadBooster(BoosterOwner& booster, const std::string& json) {
    XGB_CHECK(XGBoosterCreate(nullptr, 0, &booster.handle));
    XGB_CHECK(XGBoosterLoadModelFromBuffer(booster.handle, json.data(), json.size()));
    XGB_CHECK(XGBoosterSetParam(booster.handle, "nthread", "1"));
    bst_ulong nameCount = 0;
    const char** rawNames = nullptr;
    XGB_CHECK(XGBoosterGetStrFeatureInfo(booster.handle, "feature_name", &nameCount, &rawNames));
    if (nameCount == 0) throw std::runtime_error("the model has no feature names");
    return std::vector<std::string>(rawNames, rawNames + nameCount);
}

inline const char* contribsConfig() {
    return R"({"type": 2, "training": false, "iteration_begin": 0,
    "iteration_end": 0, "strict_shape": false})";
}

}  // namespace bench
