#include "model/AutoSearch.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>

#include "eval/Metrics.h"
#include "model/ParallelTasks.h"

namespace cwb {

namespace {

struct Measured {
    double auc = 0.0, ks = 0.0, seconds = 0.0;
};

Result<Measured> fitAndMeasure(const ModelConfig& config, const EncodedData& train,
                               const EncodedData& test, const TrainRequest& request,
                               ProgressRange progress) {
    const auto started = std::chrono::steady_clock::now();
    auto model = fitConfig(config, train, request, progress);
    if (!model) return model.error();
    std::vector<double> margins(test.rows);
    (*model)->predictMargin(test.values.data(), test.rows, margins.data());
    Measured m;
    m.auc = auc(margins, test.labels);
    m.ks = ks(margins, test.labels);
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return m;
}

std::vector<std::size_t> rowsOf(const std::vector<int>& fold, int f, bool inFold) {
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < fold.size(); ++r)
        if ((fold[r] == f) == inFold) rows.push_back(r);
    return rows;
}

std::vector<Algorithm> algorithmsOf(const std::vector<ModelConfig>& configs) {
    std::vector<Algorithm> out;
    for (const auto& c : configs)
        if (std::find(out.begin(), out.end(), c.algorithm) == out.end()) out.push_back(c.algorithm);
    return out;
}

// The index of the largest value among `among`, the earlier on ties; NaN (a configuration that
// could not be trained) never wins. SearchScope::kNone when every value is NaN.
std::size_t argmax(const std::vector<double>& values, const std::vector<std::size_t>& among) {
    std::size_t best = SearchScope::kNone;
    for (std::size_t i : among)
        if (!std::isnan(values[i]) && (best == SearchScope::kNone || values[i] > values[best]))
            best = i;
    return best;
}

nlohmann::json scopeJson(const SearchScope& s, const std::vector<ModelConfig>& configs) {
    nlohmann::json j = {{"inner_auc", s.innerAuc},
                        {"chosen", s.chosen + 1},
                        {"chosen_label", configs[s.chosen].label()}};
    if (s.outerFold < 0) return j;
    j["fold"] = s.outerFold + 1;
    nlohmann::json tests = nlohmann::json::array();
    for (const auto& t : s.tests) {
        tests.push_back({{"algorithm", toString(t.algorithm)},
                         {"configuration", t.config + 1},
                         {"test_auc", t.auc},
                         {"test_ks", t.ks}});
        if (t.config == s.chosen) j["test_auc"] = t.auc;
    }
    j["algorithms"] = tests;
    return j;
}

}  // namespace

std::uint64_t innerSeed(std::uint64_t seed, int outerFold) {
    // A fixed odd multiplier spreads the outer fold number over the seed's bits.
    return seed ^ (0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(outerFold + 2));
}

std::size_t SearchScope::bestOf(Algorithm algorithm,
                                const std::vector<ModelConfig>& configs) const {
    std::vector<std::size_t> among;
    for (std::size_t c = 0; c < configs.size(); ++c)
        if (configs[c].algorithm == algorithm) among.push_back(c);
    return argmax(innerAuc, among);
}

nlohmann::json SearchReport::toJson(bool withTiming) const {
    nlohmann::json configsJson = nlohmann::json::array();
    for (std::size_t c = 0; c < configs.size(); ++c) {
        configsJson.push_back({{"id", c + 1},
                               {"algorithm", toString(configs[c].algorithm)},
                               {"label", configs[c].label()},
                               {"settings", configs[c].settings()}});
        if (c < refused.size() && !refused[c].empty()) configsJson.back()["refused"] = refused[c];
        if (withTiming && c < seconds.size()) configsJson.back()["fit_seconds"] = seconds[c];
    }
    nlohmann::json outerJson = nlohmann::json::array();
    for (const auto& s : outer)
        outerJson.push_back(scopeJson(s, configs));
    return {{"inner_folds", innerFolds},
            {"configurations", configsJson},
            {"outer_folds", outerJson},
            {"final", scopeJson(final, configs)}};
}

Result<SearchReport> nestedSearch(const EncodedData& data, const std::vector<int>& outerFold,
                                  int outerFolds, const TrainRequest& request,
                                  ProgressRange progress) {
    SearchReport report;
    report.innerFolds = kInnerFolds;
    report.configs = searchSpace();
    const auto& configs = report.configs;
    const int C = static_cast<int>(configs.size());
    const int K = kInnerFolds;
    const int S = outerFolds + 1;  // the outer folds, then all rows
    TrainRequest single = request;
    single.threads = 1;  // see ParallelTasks.h

    // Each scope's training rows and their inner folds. The outer test rows are not in them.
    std::vector<EncodedData> scopeData(static_cast<std::size_t>(outerFolds));
    std::vector<std::vector<int>> innerFold(static_cast<std::size_t>(S));
    const auto dataOf = [&](int s) -> const EncodedData& {
        return s < outerFolds ? scopeData[static_cast<std::size_t>(s)] : data;
    };
    for (int s = 0; s < S; ++s) {
        if (s < outerFolds)
            scopeData[static_cast<std::size_t>(s)] = data.subset(rowsOf(outerFold, s, false));
        const int seedFold = s < outerFolds ? s : -1;
        innerFold[static_cast<std::size_t>(s)] =
            stratifiedFolds(dataOf(s).labels, K, innerSeed(request.seed, seedFold));
    }

    const std::vector<Algorithm> algorithms = algorithmsOf(configs);
    const int innerTasks = S * C * K;
    const int outerTasks = outerFolds * static_cast<int>(algorithms.size());
    const double total = innerTasks + outerTasks;
    std::atomic<int> done{0};
    const auto taskRange = [&] {
        const double d = done.load();
        return progress.sub(d / total, std::min(1.0, (d + 1.0) / total));
    };
    std::mutex observerMutex;
    const auto observe = [&](int s, int inner, std::size_t c, const EncodedData& train,
                             const EncodedData& test) {
        if (!request.searchObserver) return;
        const std::lock_guard lock(observerMutex);
        request.searchObserver({s < outerFolds ? s : -1, inner, c, train.lines, test.lines});
    };
    std::vector<double> seconds(configs.size(), 0.0);
    std::vector<std::string> refused(configs.size());
    std::mutex secondsMutex;
    const auto addSeconds = [&](std::size_t c, double s) {
        const std::lock_guard lock(secondsMutex);
        seconds[c] += s;
    };

    // Phase 1: every configuration on every inner fold of every scope.
    std::vector<double> innerAuc(static_cast<std::size_t>(innerTasks), 0.0);
    const auto innerTask = [&](int t) -> std::optional<Error> {
        const int s = t / (C * K), c = (t / K) % C, i = t % K;
        const EncodedData& scope = dataOf(s);
        const auto& fold = innerFold[static_cast<std::size_t>(s)];
        const EncodedData train = scope.subset(rowsOf(fold, i, false));
        const EncodedData test = scope.subset(rowsOf(fold, i, true));
        observe(s, i, static_cast<std::size_t>(c), train, test);
        const ProgressRange range = taskRange();
        range.report(0.0, "searching: " + configs[static_cast<std::size_t>(c)].label() + " (" +
                              std::to_string(done.load() + 1) + " of " +
                              std::to_string(innerTasks + outerTasks) + " fits)");
        auto m = fitAndMeasure(configs[static_cast<std::size_t>(c)], train, test, single, range);
        if (!m && m.error().kind == ErrorKind::BadInput) {
            // The data refuses this configuration (a scorecard without a characteristic of
            // enough IV): it drops out of the choice, and the report says why.
            innerAuc[static_cast<std::size_t>(t)] = std::numeric_limits<double>::quiet_NaN();
            const std::lock_guard lock(secondsMutex);
            if (refused[static_cast<std::size_t>(c)].empty())
                refused[static_cast<std::size_t>(c)] = m.error().message;
            ++done;
            return std::nullopt;
        }
        if (!m) return m.error();
        innerAuc[static_cast<std::size_t>(t)] = m->auc;
        addSeconds(static_cast<std::size_t>(c), m->seconds);
        ++done;
        return std::nullopt;
    };
    const auto innerWhat = [&](int t) {
        return "search fit " + std::to_string(t + 1) + " (" +
               configs[static_cast<std::size_t>((t / K) % C)].label() + ")";
    };
    if (auto r = runTasks(innerTasks, workerCount(request.threads), progress, innerTask, innerWhat);
        !r)
        return r.error();

    std::vector<SearchScope> scopes(static_cast<std::size_t>(S));
    for (int s = 0; s < S; ++s) {
        SearchScope& scope = scopes[static_cast<std::size_t>(s)];
        scope.outerFold = s < outerFolds ? s : -1;
        for (int c = 0; c < C; ++c) {
            const auto first = innerAuc.begin() + (s * C + c) * K;
            scope.innerAuc.push_back(std::accumulate(first, first + K, 0.0) / K);
        }
        std::vector<std::size_t> all(configs.size());
        std::iota(all.begin(), all.end(), std::size_t(0));
        scope.chosen = argmax(scope.innerAuc, all);
        if (scope.chosen == SearchScope::kNone) {
            const auto reason = std::find_if(refused.begin(), refused.end(),
                                             [](const std::string& r) { return !r.empty(); });
            return Error::badInput("no configuration of the search could be trained" +
                                   (reason != refused.end() ? ": " + *reason : std::string()));
        }
    }

    // Phase 2: per outer fold, each algorithm's best configuration on the outer training rows,
    // measured on the outer test rows. The overall choice is one of them; the others give the
    // report an honestly tuned figure per algorithm.
    struct OuterFit {
        int fold;
        Algorithm algorithm;
        std::size_t config;
    };
    std::vector<OuterFit> outerFits;
    for (int f = 0; f < outerFolds; ++f)
        for (Algorithm a : algorithms)
            if (const std::size_t c = scopes[static_cast<std::size_t>(f)].bestOf(a, configs);
                c != SearchScope::kNone)
                outerFits.push_back({f, a, c});
    std::vector<AlgorithmTest> tests(outerFits.size());
    const auto outerTask = [&](int t) -> std::optional<Error> {
        const auto [f, algorithm, c] = outerFits[static_cast<std::size_t>(t)];
        const EncodedData& train = scopeData[static_cast<std::size_t>(f)];
        const EncodedData test = data.subset(rowsOf(outerFold, f, true));
        observe(f, -1, c, train, test);
        const ProgressRange range = taskRange();
        range.report(0.0, "outer fold " + std::to_string(f + 1) + " of " +
                              std::to_string(outerFolds) + ": " + configs[c].label());
        auto m = fitAndMeasure(configs[c], train, test, single, range);
        if (!m) return m.error();
        tests[static_cast<std::size_t>(t)] = {algorithm, c, m->auc, m->ks};
        addSeconds(c, m->seconds);
        ++done;
        return std::nullopt;
    };
    const auto outerWhat = [&](int t) {
        return "cross-validation fold " +
               std::to_string(outerFits[static_cast<std::size_t>(t)].fold + 1);
    };
    if (auto r = runTasks(static_cast<int>(outerFits.size()), workerCount(request.threads),
                          progress, outerTask, outerWhat);
        !r)
        return r.error();
    for (std::size_t t = 0; t < outerFits.size(); ++t)
        scopes[static_cast<std::size_t>(outerFits[t].fold)].tests.push_back(tests[t]);

    report.final = scopes.back();
    scopes.pop_back();
    report.outer = std::move(scopes);
    report.seconds = std::move(seconds);
    report.refused = std::move(refused);
    return report;
}

}  // namespace cwb
