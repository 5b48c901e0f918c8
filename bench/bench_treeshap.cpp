// Per-row cost of exact TreeSHAP on one core, by kernel, on the same model and rows, with the
// largest differences between them:
//  - lookup tables (model/ShapPathTables.h) with blocks of 0 (FastTreeSHAP v2's per-leaf
//    tables), 1, 3 (the default) and 7 splits, AVX2 and portable;
//  - the quadrature walk (the kernel before the tables: Linear TreeSHAP's polynomial form,
//    evaluated at Gauss-Legendre points), AVX2 and portable;
//  - the path-wise formulation behind GPUTreeShap, on the CPU (bench/PathwiseShap.h);
//  - XGBoost 1.7.4's pred_contribs (building its DMatrix timed apart).
// Each is timed over a batch of rows and over single-row calls (the applicant path). Only
// ratios measured side by side mean anything on a shared machine.
//
//   bench_treeshap MODEL.json DATA.csv [--rows N] [--single N] [--xgb-rows N] [--repeat N]
//                  [--only TEXT]
//
// MODEL.json: an XGBoost JSON model with feature names (../shared/bench/peer_score.py train);
// DATA.csv: a header naming those features, e.g. from ../shared/bench/make_portfolio.py.
// --rows: batch rows (default 20000, reused cyclically); --single: single-row calls (default
// 2000); --xgb-rows: rows XGBoost explains, batch and single (default 2000: it takes about a
// millisecond per row); --repeat: timings per kernel, the fastest kept (default 3); --only: run
// just the kernels whose name contains TEXT (for profiling).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "BenchSupport.h"
#include "PathwiseShap.h"
#include "model/ShapPathTables.h"
#include "model/TreeEnsemble.h"
#include "model/TreeShap.h"

namespace {

using bench::seconds;

// rows x cols contributions and rows biases.
struct Explained {
    std::vector<double> phi, bias;
};
using Kernel = std::function<void(const float* X, std::size_t rows, double* phi, double* bias)>;

struct Timing {
    double batchMicros = 0.0;   // per row, over one call for all rows (fastest pass)
    double singleMicros = 0.0;  // one call per row: the median call (of all passes)
    double singleP99 = 0.0;
};

Timing timeKernel(const Kernel& kernel, const std::vector<float>& X, std::size_t rows,
                  std::size_t singles, std::size_t cols, int repeat, Explained& result) {
    result.phi.assign(rows * cols, 0.0);
    result.bias.assign(rows, 0.0);
    Timing best{std::numeric_limits<double>::infinity(), 0.0, 0.0};
    std::vector<double> one(cols), calls;
    double bias = 0.0;
    for (int pass = 0; pass < repeat; ++pass) {
        auto start = std::chrono::steady_clock::now();
        kernel(X.data(), rows, result.phi.data(), result.bias.data());
        best.batchMicros = std::min(best.batchMicros, seconds(start) / rows * 1e6);
        for (std::size_t r = 0; r < singles; ++r) {
            start = std::chrono::steady_clock::now();
            kernel(X.data() + r * cols, 1, one.data(), &bias);
            calls.push_back(seconds(start) * 1e6);
        }
    }
    std::sort(calls.begin(), calls.end());
    if (!calls.empty()) {
        best.singleMicros = calls[calls.size() / 2];
        best.singleP99 = calls[std::min(calls.size() - 1, calls.size() * 99 / 100)];
    }
    return best;
}

// Over the first `count` values of both.
double worstDifference(const std::vector<double>& a, const std::vector<double>& b,
                       std::size_t count) {
    double worst = 0.0;
    for (std::size_t i = 0; i < count; ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

// XGBoost's contributions as rows x cols plus the bias column apart.
Explained xgboostContributions(const float* result, std::size_t rows, std::size_t cols) {
    Explained out;
    out.phi.resize(rows * cols);
    out.bias.resize(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t j = 0; j < cols; ++j)
            out.phi[r * cols + j] = result[r * (cols + 1) + j];
        out.bias[r] = result[r * (cols + 1) + cols];
    }
    return out;
}

int run(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL.json DATA.csv [--rows N] [--single N] [--repeat N]\n",
                     argv[0]);
        return 2;
    }
    std::size_t rows = 20000, singles = 2000, xgbRows = 2000;
    int repeat = 3;
    std::string only;
    for (int i = 3; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--rows") rows = std::strtoull(argv[i + 1], nullptr, 10);
        if (flag == "--single") singles = std::strtoull(argv[i + 1], nullptr, 10);
        if (flag == "--xgb-rows") xgbRows = std::strtoull(argv[i + 1], nullptr, 10);
        if (flag == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
        if (flag == "--only") only = argv[i + 1];
    }
    singles = std::min(singles, rows);
    xgbRows = std::max<std::size_t>(1, std::min(xgbRows, rows));
    const std::string json = bench::readFile(argv[1]);
    auto start = std::chrono::steady_clock::now();
    auto loaded = cwb::TreeEnsemble::fromXgboostJson(json);
    if (!loaded) throw std::runtime_error(loaded.error().message);
    const cwb::TreeEnsemble& model = *loaded;
    const double loadSeconds = seconds(start);
    std::size_t deepest = 0;
    for (const auto& tree : model.trees())
        deepest = std::max<std::size_t>(deepest, tree.depth);
    const cwb::ShapTableReport report = cwb::shapTableReport(model);
    std::printf(
        "model: %zu trees (depth <= %zu), %zu features; load %.1f ms (tables included); default "
        "tables cover %zu trees (%zu without), %.2f MB\n",
        model.treeCount(), deepest, model.featureCount(), loadSeconds * 1e3, report.treesWithTables,
        report.treesWithout, report.tableBytes / 1048576.0);

    bench::BoosterOwner booster;
    const std::vector<std::string> names = bench::loadBooster(booster, json);
    if (names.size() != model.featureCount())
        throw std::runtime_error("the model's feature names do not match its features");
    const std::size_t cols = names.size();
    const std::vector<float> X = bench::readRows(argv[2], names, rows);

    // XGBoost first: the reference for every other kernel.
    bench::MatrixOwner matrix;
    start = std::chrono::steady_clock::now();
    XGB_CHECK(XGDMatrixCreateFromMat(X.data(), xgbRows, cols,
                                     std::numeric_limits<float>::quiet_NaN(), &matrix.handle));
    const double matrixMicros = seconds(start) / xgbRows * 1e6;
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    double xgbBatch = std::numeric_limits<double>::infinity();
    for (int pass = 0; pass < repeat; ++pass) {
        start = std::chrono::steady_clock::now();
        XGB_CHECK(XGBoosterPredictFromDMatrix(booster.handle, matrix.handle,
                                              bench::contribsConfig(), &shape, &dim, &result));
        xgbBatch = std::min(xgbBatch, seconds(start) / xgbRows * 1e6);
    }
    const Explained xgb = xgboostContributions(result, xgbRows, cols);
    const std::size_t xgbSingles = std::min(singles, xgbRows);
    std::vector<double> xgbCalls;
    for (std::size_t r = 0; r < xgbSingles; ++r) {
        start = std::chrono::steady_clock::now();
        bench::MatrixOwner one;
        XGB_CHECK(XGDMatrixCreateFromMat(X.data() + r * cols, 1, cols,
                                         std::numeric_limits<float>::quiet_NaN(), &one.handle));
        XGB_CHECK(XGBoosterPredictFromDMatrix(booster.handle, one.handle, bench::contribsConfig(),
                                              &shape, &dim, &result));
        xgbCalls.push_back(seconds(start) * 1e6);
    }
    std::sort(xgbCalls.begin(), xgbCalls.end());
    const double xgbSingle = xgbCalls.empty() ? 0.0 : xgbCalls[xgbCalls.size() / 2];
    const double xgbSingleP99 =
        xgbCalls.empty() ? 0.0
                         : xgbCalls[std::min(xgbCalls.size() - 1, xgbCalls.size() * 99 / 100)];
    std::vector<double> margins(rows);
    model.predictMargin(X.data(), rows, cols, margins.data());

    struct Candidate {
        std::string name;
        Kernel kernel;
        std::string tables;  // what its tables cover and cost, or empty
    };
    std::vector<Candidate> candidates;
    std::vector<std::shared_ptr<const cwb::detail::PathTables>> keep;
    for (const std::uint32_t blockSplits : {3u, 0u, 1u, 7u}) {
        // Unbounded budget here: each block size is measured on every tree it can take.
        start = std::chrono::steady_clock::now();
        auto tables = cwb::detail::buildPathTables(model, std::size_t{1} << 40, blockSplits);
        const double buildMs = seconds(start) * 1e3;
        keep.push_back(tables);
        char note[160];
        std::snprintf(note, sizeof note, "%zu of %zu trees, %.2f MB, built in %.0f ms",
                      tables->trees.size(), model.treeCount(), tables->bytes() / 1048576.0,
                      buildMs);
        for (const bool portable : {false, true}) {
            if (portable && blockSplits != 3) continue;
            candidates.push_back({"tables, blocks of " + std::to_string(blockSplits) + " splits" +
                                      (portable ? " (portable)" : ""),
                                  [&model, tables, cols, portable](const float* x, std::size_t n,
                                                                   double* phi, double* bias) {
                                      cwb::detail::contributionsWith(model, *tables, x, n, cols,
                                                                     phi, bias, portable);
                                  },
                                  note});
        }
    }
    for (const bool portable : {false, true}) {
        candidates.push_back(
            {std::string("quadrature walk (the previous kernel)") + (portable ? " (portable)" : ""),
             [&model, cols, portable](const float* x, std::size_t n, double* phi, double* bias) {
                 cwb::ShapOptions options;
                 options.quadratureOnly = true;
                 options.portable = portable;
                 cwb::contributions(model, x, n, cols, phi, bias, options);
             },
             ""});
    }
    const bench::PathwiseShap pathwise(model);
    candidates.push_back(
        {"path-wise (GPUTreeShap's formulation, CPU)",
         [&pathwise, cols](const float* x, std::size_t n, double* phi, double* bias) {
             pathwise.explain(x, n, cols, phi, bias);
         },
         ""});

    std::printf(
        "%zu rows in the batch, %zu single-row calls (XGBoost: %zu and %zu), one thread, fastest "
        "of %d; |d XGB| over XGBoost's rows, |d sum| = |bias + sum - margin| over all\n",
        rows, singles, xgbRows, xgbSingles, repeat);
    std::printf("%-48s %12s %18s %10s %10s %10s  %s\n", "kernel", "batch us/row",
                "single us med/p99", "vs XGB", "|d XGB|", "|d sum|", "tables");
    for (const Candidate& candidate : candidates) {
        if (candidate.name.find(only) == std::string::npos) continue;
        Explained explained;
        const Timing timing =
            timeKernel(candidate.kernel, X, rows, singles, cols, repeat, explained);
        double additivity = 0.0;
        for (std::size_t r = 0; r < rows; ++r) {
            double sum = explained.bias[r];
            for (std::size_t j = 0; j < cols; ++j)
                sum += explained.phi[r * cols + j];
            additivity = std::max(additivity, std::abs(sum - margins[r]));
        }
        std::printf("%-48s %12.2f %8.2f / %7.2f %9.1fx %10.2g %10.2g  %s\n", candidate.name.c_str(),
                    timing.batchMicros, timing.singleMicros, timing.singleP99,
                    xgbBatch / timing.batchMicros,
                    std::max(worstDifference(explained.phi, xgb.phi, xgbRows * cols),
                             worstDifference(explained.bias, xgb.bias, xgbRows)),
                    additivity, candidate.tables.c_str());
    }
    std::printf("%-48s %12.2f %8.2f / %7.2f %9.1fx  (DMatrix %.2f us/row apart)\n",
                "XGBoost pred_contribs", xgbBatch, xgbSingle, xgbSingleP99, 1.0, matrixMicros);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_treeshap: %s\n", e.what());
        return 1;
    }
}
