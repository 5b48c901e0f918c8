// Times the engine's flattened tree evaluator and fast exact TreeSHAP against XGBoost 1.7.4's C
// API on the same model and rows, one thread each, and checks that both give the same numbers:
//  - single applicant: one row's probability and contributions per call (the explain path);
//  - batch: margins of all rows (XGBoost inplace prediction) and contributions of all rows
//    (XGBoost pred_contribs on a DMatrix; building the DMatrix is timed separately).
// Only ratios measured side by side mean anything on a shared machine.
//
//   bench_single_applicant MODEL.json DATA.csv [--rows N] [--applicants N]
//
// MODEL.json is an XGBoost JSON model with feature names (../shared/bench/peer_score.py train),
// DATA.csv a header row naming those features plus numeric values (empty = missing), e.g. from
// ../shared/bench/make_portfolio.py. Rows are reused cyclically up to --rows (default 100000).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "BenchSupport.h"
#include "model/DenseForest.h"
#include "model/TreeEnsemble.h"
#include "model/TreeShap.h"

namespace {

using bench::BoosterOwner;
using bench::MatrixOwner;
using bench::readFile;
using bench::readRows;
using bench::seconds;

std::string denseInterface(const float* data, std::size_t rows, std::size_t cols) {
    char buffer[256];
    std::snprintf(buffer, sizeof buffer,
                  R"({"data": [%llu, true], "shape": [%zu, %zu], "typestr": "<f4", "version": 3})",
                  static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(data)), rows,
                  cols);
    return buffer;
}

const char* kInplaceMargin = R"({"type": 1, "training": false, "iteration_begin": 0,
    "iteration_end": 0, "strict_shape": false, "missing": NaN, "cache_id": 0})";
const char* kInplaceOutput = R"({"type": 0, "training": false, "iteration_begin": 0,
    "iteration_end": 0, "strict_shape": false, "missing": NaN, "cache_id": 0})";
const char* const kContribs = bench::contribsConfig();

int run(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL.json DATA.csv [--rows N] [--applicants N]\n",
                     argv[0]);
        return 2;
    }
    std::size_t rows = 100000, applicants = 2000;
    for (int i = 3; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--rows") rows = std::strtoull(argv[i + 1], nullptr, 10);
        if (flag == "--applicants") applicants = std::strtoull(argv[i + 1], nullptr, 10);
    }
    const std::string json = readFile(argv[1]);

    auto start = std::chrono::steady_clock::now();
    auto loaded = cwb::TreeEnsemble::fromXgboostJson(json);
    if (!loaded) throw std::runtime_error(loaded.error().message);
    const cwb::TreeEnsemble& model = *loaded;
    std::printf("engine load: %.1f ms, %zu trees, %zu features\n", seconds(start) * 1e3,
                model.treeCount(), model.featureCount());

    BoosterOwner booster;
    const std::vector<std::string> names = bench::loadBooster(booster, json);
    if (names.size() != model.featureCount())
        throw std::runtime_error("the model's feature names do not match its features");
    const std::size_t cols = names.size();
    const std::vector<float> X = readRows(argv[2], names, rows);

    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;

    // Single applicant: probability plus contributions for one row per call.
    applicants = std::min(applicants, rows);
    std::vector<double> contrib(cols), one(1), bias(1);
    double sink = 0.0;
    start = std::chrono::steady_clock::now();
    for (std::size_t r = 0; r < applicants; ++r) {
        model.predict(X.data() + r * cols, 1, cols, one.data());
        cwb::contributions(model, X.data() + r * cols, 1, cols, contrib.data(), bias.data());
        sink += one[0] + contrib[0];
    }
    const double engineOne = seconds(start) / applicants;
    start = std::chrono::steady_clock::now();
    for (std::size_t r = 0; r < applicants; ++r) {
        const std::string row = denseInterface(X.data() + r * cols, 1, cols);
        XGB_CHECK(XGBoosterPredictFromDense(booster.handle, row.c_str(), kInplaceOutput, nullptr,
                                            &shape, &dim, &result));
        sink += result[0];
        MatrixOwner m;
        XGB_CHECK(XGDMatrixCreateFromMat(X.data() + r * cols, 1, cols,
                                         std::numeric_limits<float>::quiet_NaN(), &m.handle));
        XGB_CHECK(XGBoosterPredictFromDMatrix(booster.handle, m.handle, kContribs, &shape, &dim,
                                              &result));
        sink += result[0];
    }
    const double xgbOne = seconds(start) / applicants;
    std::printf(
        "single applicant (pd + contributions): engine %.1f us, XGBoost %.1f us, "
        "speed-up %.1fx\n",
        engineOne * 1e6, xgbOne * 1e6, xgbOne / engineOne);

    // Batch margins.
    std::vector<double> margins(rows);
    start = std::chrono::steady_clock::now();
    model.predictMargin(X.data(), rows, cols, margins.data());
    const double engineMargin = seconds(start);
    // The general node walk, which models the dense layout does not take still use.
    std::vector<double> walked(rows);
    start = std::chrono::steady_clock::now();
    model.predictMarginByWalk(X.data(), rows, cols, walked.data());
    const double walkMargin = seconds(start);
    std::printf("batch margins, %zu rows: dense layout (%s) %.3f s, node walk %.3f s, %s\n", rows,
                cwb::DenseForest::kernelName(), engineMargin, walkMargin,
                walked == margins ? "same bits" : "DIFFERENT");
    const std::string all = denseInterface(X.data(), rows, cols);
    start = std::chrono::steady_clock::now();
    XGB_CHECK(XGBoosterPredictFromDense(booster.handle, all.c_str(), kInplaceMargin, nullptr,
                                        &shape, &dim, &result));
    const double xgbMargin = seconds(start);
    double worstMargin = 0.0;
    for (std::size_t r = 0; r < rows; ++r)
        worstMargin = std::max(worstMargin, std::abs(margins[r] - result[r]));
    std::printf(
        "batch margins, %zu rows: engine %.3f s, XGBoost inplace %.3f s, speed-up %.1fx, "
        "max |diff| %.2g\n",
        rows, engineMargin, xgbMargin, xgbMargin / engineMargin, worstMargin);

    // Batch contributions.
    std::vector<double> out(rows * cols), biases(rows);
    start = std::chrono::steady_clock::now();
    cwb::contributions(model, X.data(), rows, cols, out.data(), biases.data());
    const double engineShap = seconds(start);
    MatrixOwner matrix;
    start = std::chrono::steady_clock::now();
    XGB_CHECK(XGDMatrixCreateFromMat(X.data(), rows, cols, std::numeric_limits<float>::quiet_NaN(),
                                     &matrix.handle));
    const double xgbMatrix = seconds(start);
    start = std::chrono::steady_clock::now();
    XGB_CHECK(XGBoosterPredictFromDMatrix(booster.handle, matrix.handle, kContribs, &shape, &dim,
                                          &result));
    const double xgbShap = seconds(start);
    double worstContrib = 0.0, worstBias = 0.0;
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t j = 0; j < cols; ++j)
            worstContrib =
                std::max(worstContrib, std::abs(out[r * cols + j] - result[r * (cols + 1) + j]));
        worstBias = std::max(worstBias, std::abs(biases[r] - result[r * (cols + 1) + cols]));
    }
    std::printf(
        "batch contributions, %zu rows: engine %.3f s (%.2f us/row), XGBoost pred_contribs "
        "%.3f s (+ DMatrix %.3f s), speed-up %.1fx, max |diff| %.2g, bias %.2g\n",
        rows, engineShap, engineShap / rows * 1e6, xgbShap, xgbMatrix, xgbShap / engineShap,
        worstContrib, worstBias);
    return sink == 12345.678 ? 1 : 0;  // keeps the single-applicant loops from being optimised out
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_single_applicant: %s\n", e.what());
        return 1;
    }
}
