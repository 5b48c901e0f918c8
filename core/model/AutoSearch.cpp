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

nlohmann::json scopeJson(const SearchScope& s, const std::vector<ModelConfig>& configs,
                         const std::vector<std::string>& featureNames) {
    nlohmann::json ratios = nlohmann::json::array();
    for (const auto& r : s.ratios)
        ratios.push_back(ratioName(featureNames, r));
    nlohmann::json j = {{"inner_auc", s.innerAuc},
                        {"chosen", s.chosen + 1},
                        {"chosen_label", configs[s.chosen].label()},
                        {"ratios", ratios}};
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

Result<std::vector<RatioFeature>> proposeRatios(const EncodedData& data,
                                                const TrainRequest& request,
                                                ProgressRange progress) {
    const std::vector<RatioFeature> candidates = ratioCandidates(data);
    if (candidates.empty()) return std::vector<RatioFeature>{};
    std::vector<std::size_t> fitRows;
    if (data.rows > kProposalFitRows)
        for (std::size_t i = 0; i < kProposalFitRows; ++i)
            fitRows.push_back(i * data.rows / kProposalFitRows);
    const EncodedData wide = withRatios(fitRows.empty() ? data : data.subset(fitRows), candidates);
    // The regime's boosted configuration at eta 0.1: it only has to rank the columns, and the
    // faster rate needs about a third of the rounds.
    ModelConfig config = defaultConfig(Algorithm::Xgboost, data.rows);
    config.tree.eta = 0.1;
    auto model = fitConfig(config, wide, request, progress);
    if (!model) return model.error();
    // Rows spread evenly over the data, so the figure does not depend on the file's order.
    const std::size_t n = std::min(wide.rows, kProposalRows);
    std::vector<float> sample(n * wide.cols);
    for (std::size_t i = 0; i < n; ++i) {
        const float* row = wide.row(i * wide.rows / n);
        std::copy(row, row + wide.cols,
                  sample.begin() + static_cast<std::ptrdiff_t>(i * wide.cols));
    }
    std::vector<double> contributions(n * wide.cols), base(n);
    (*model)->contributions(sample.data(), n, contributions.data(), base.data());
    std::vector<double> importance(wide.cols, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < wide.cols; ++j)
            importance[j] += std::abs(contributions[i * wide.cols + j]) / static_cast<double>(n);
    std::vector<double> characteristics(
        importance.begin(), importance.begin() + static_cast<std::ptrdiff_t>(data.cols));
    std::nth_element(characteristics.begin(),
                     characteristics.begin() + static_cast<std::ptrdiff_t>(data.cols / 2),
                     characteristics.end());
    const double median = characteristics[data.cols / 2];
    std::vector<std::size_t> order(candidates.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    // Ties keep the candidates' order, so the proposal is reproducible.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return importance[data.cols + a] > importance[data.cols + b];
    });
    std::vector<RatioFeature> proposed;
    for (std::size_t k : order) {
        const double value = importance[data.cols + k];
        if (proposed.size() == kMaxProposedRatios || value <= 0.0 || value < median) break;
        proposed.push_back(candidates[k]);
    }
    return proposed;
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
        outerJson.push_back(scopeJson(s, configs, featureNames));
    return {{"inner_folds", innerFolds},
            {"configurations", configsJson},
            {"outer_folds", outerJson},
            {"final", scopeJson(final, configs, featureNames)}};
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

    report.featureNames = data.featureNames;
    const std::vector<Algorithm> algorithms = algorithmsOf(configs);
    const int proposalTasks = request.ratios ? S : 0;
    const int innerTasks = S * C * K;
    const int outerTasks = outerFolds * static_cast<int>(algorithms.size());
    const double total = proposalTasks + innerTasks + outerTasks;
    std::atomic<int> done{0};
    const auto taskRange = [&] {
        const double d = done.load();
        return progress.sub(d / total, std::min(1.0, (d + 1.0) / total));
    };
    std::mutex observerMutex;
    const auto observe = [&](int s, int inner, std::size_t c, const EncodedData& train,
                             const EncodedData* test) {
        if (!request.searchObserver) return;
        SearchFit fit;
        fit.outerFold = s < outerFolds ? s : -1;
        fit.innerFold = inner;
        fit.proposal = test == nullptr;
        fit.config = c;
        fit.trainLines = train.lines;
        if (test) fit.testLines = test->lines;
        const std::lock_guard lock(observerMutex);
        request.searchObserver(fit);
    };
    std::vector<double> seconds(configs.size(), 0.0);
    std::vector<std::string> refused(configs.size());
    std::mutex secondsMutex;
    const auto addSeconds = [&](std::size_t c, double s) {
        const std::lock_guard lock(secondsMutex);
        seconds[c] += s;
    };

    // Phase 0: each scope's derived ratios, proposed on its training rows only (the outer test
    // rows never take part), and the scope's rows widened with them for the tree
    // configurations. Scorecards stay on the characteristics: their points per characteristic
    // are what the scorecard views, drift and SQL export read.
    std::vector<std::vector<RatioFeature>> ratios(static_cast<std::size_t>(S));
    std::vector<EncodedData> wideData(static_cast<std::size_t>(S));
    const auto dataFor = [&](int s, const ModelConfig& config) -> const EncodedData& {
        const auto index = static_cast<std::size_t>(s);
        return config.algorithm == Algorithm::Scorecard || ratios[index].empty() ? dataOf(s)
                                                                                 : wideData[index];
    };
    const auto proposalTask = [&](int s) -> std::optional<Error> {
        const EncodedData& scope = dataOf(s);
        observe(s, -1, SearchScope::kNone, scope, nullptr);
        const ProgressRange range = taskRange();
        range.report(0.0, "proposing derived ratios (" + std::to_string(done.load() + 1) + " of " +
                              std::to_string(proposalTasks + innerTasks + outerTasks) + " fits)");
        auto proposed = proposeRatios(scope, single, range);
        if (!proposed) return proposed.error();
        const auto index = static_cast<std::size_t>(s);
        ratios[index] = std::move(*proposed);
        if (!ratios[index].empty()) wideData[index] = withRatios(scope, ratios[index]);
        ++done;
        return std::nullopt;
    };
    if (auto r = runTasks(proposalTasks, workerCount(request.threads), progress, proposalTask,
                          [](int s) { return "ratio proposal " + std::to_string(s + 1); });
        !r)
        return r.error();

    // Phase 1: every configuration on every inner fold of every scope.
    std::vector<double> innerAuc(static_cast<std::size_t>(innerTasks), 0.0);
    const auto innerTask = [&](int t) -> std::optional<Error> {
        const int s = t / (C * K), c = (t / K) % C, i = t % K;
        const EncodedData& scope = dataFor(s, configs[static_cast<std::size_t>(c)]);
        const auto& fold = innerFold[static_cast<std::size_t>(s)];
        const EncodedData train = scope.subset(rowsOf(fold, i, false));
        const EncodedData test = scope.subset(rowsOf(fold, i, true));
        observe(s, i, static_cast<std::size_t>(c), train, &test);
        const ProgressRange range = taskRange();
        range.report(0.0, "searching: " + configs[static_cast<std::size_t>(c)].label() + " (" +
                              std::to_string(done.load() + 1) + " of " +
                              std::to_string(proposalTasks + innerTasks + outerTasks) + " fits)");
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
        scope.ratios = ratios[static_cast<std::size_t>(s)];
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
        const EncodedData& train = dataFor(f, configs[c]);
        EncodedData test = data.subset(rowsOf(outerFold, f, true));
        if (train.cols > data.cols) test = withRatios(test, ratios[static_cast<std::size_t>(f)]);
        observe(f, -1, c, train, &test);
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
