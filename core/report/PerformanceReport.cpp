#include "report/PerformanceReport.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "pipeline/DevelopmentSample.h"
#include "pipeline/EvaluatePipeline.h"
#include "scoring/Scorer.h"

namespace cwb {

std::vector<FeatureImportance> importanceFromContributions(const std::vector<double>& contributions,
                                                           const std::vector<std::string>& names) {
    const std::size_t cols = names.size();
    if (cols == 0) return {};
    if (contributions.size() % cols != 0)
        throw std::invalid_argument("importanceFromContributions: matrix and names disagree");
    const std::size_t rows = contributions.size() / cols;
    std::vector<FeatureImportance> out(cols);
    double total = 0.0;
    for (std::size_t j = 0; j < cols; ++j) {
        double sum = 0.0;
        for (std::size_t r = 0; r < rows; ++r)
            sum += std::abs(contributions[r * cols + j]);
        out[j].feature = out[j].label = names[j];
        out[j].meanAbsContribution = rows == 0 ? 0.0 : sum / static_cast<double>(rows);
        total += out[j].meanAbsContribution;
    }
    for (auto& f : out)
        f.share = total == 0.0 ? 0.0 : f.meanAbsContribution / total;
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.meanAbsContribution > b.meanAbsContribution;
    });
    return out;
}

namespace {

// Contributions in chunks so that TreeSHAP on a large file reports progress and can stop.
// Also checks additivity on every row: base + sum of contributions against the margin.
Result<std::vector<double>> contributionsOf(const Model& model, const EncodedData& data,
                                            const std::vector<double>& margins,
                                            double& maxAdditivityError,
                                            const ProgressRange& progress) {
    const std::size_t cols = model.featureCount();
    if (cols != data.cols)
        return Error::failure("the model expects " + std::to_string(cols) +
                              " features, the data has " + std::to_string(data.cols));
    std::vector<double> out(data.rows * cols);
    std::vector<double> base(data.rows);
    constexpr std::size_t chunk = 2000;
    for (std::size_t begin = 0; begin < data.rows; begin += chunk) {
        if (progress.isCanceled()) return Error::failure("cancelled");
        const std::size_t n = std::min(chunk, data.rows - begin);
        model.contributions(data.row(begin), n, out.data() + begin * cols, base.data() + begin);
        for (std::size_t r = begin; r < begin + n; ++r) {
            double sum = base[r];
            for (std::size_t j = 0; j < cols; ++j)
                sum += out[r * cols + j];
            maxAdditivityError = std::max(maxAdditivityError, std::abs(sum - margins[r]));
        }
        progress.report(static_cast<double>(begin + n) / static_cast<double>(data.rows),
                        "characteristic importance");
    }
    return out;
}

std::vector<std::string> levelNames(const ColumnSpec& spec) {
    std::vector<std::string> names;
    for (const auto& level : spec.levels) {
        const auto label = spec.levelLabels.find(level);
        names.push_back(label == spec.levelLabels.end() ? level : label->second);
    }
    return names;
}

}  // namespace

void computeFigures(PerformanceReport& r) {
    r.rows = r.margins.size();
    const auto bads = std::count_if(r.bad.begin(), r.bad.end(), [](float y) { return y > 0.5f; });
    // The same functions on the same inputs for the view, the reports and `cwb evaluate`, so they
    // agree to the last digit.
    r.auc = auc(r.margins, r.bad);
    r.gini = giniFromAuc(r.auc);
    r.ks = ks(r.margins, r.bad);
    r.brier = brier(r.pd, r.bad);
    r.logLoss = logLoss(r.pd, r.bad);
    r.badRate = r.rows == 0 ? 0.0 : static_cast<double>(bads) / static_cast<double>(r.rows);
    r.roc = rocCurve(r.margins, r.bad);
    r.precisionRecall = precisionRecallCurve(r.margins, r.bad);
    r.ksCurve = ksCurve(r.points, r.bad);
    r.calibration = calibrationTable(r.pd, r.bad, 10);
    r.distribution = scoreDistribution(r.points, r.bad, 20);
    r.gains = gainsTable(r.points, r.bad, 10);
    r.cutoffs = CutoffTable(r.points, r.bad);
}

void computeConfusion(PerformanceReport& r, const ModelBundle& bundle) {
    r.cutoffPd = pdFromMargin(bundle.scaling.marginFromPoints(bundle.policy.declineBelow));
    r.confusion = confusionAt(r.pd, r.bad, r.cutoffPd);
}

nlohmann::json PerformanceReport::toJson() const {
    nlohmann::json calibrationJson = nlohmann::json::array();
    for (const auto& c : calibration)
        calibrationJson.push_back({{"mean_pd", c.meanPredicted},
                                   {"observed_bad_rate", c.observedRate},
                                   {"count", c.count}});
    nlohmann::json gainsJson = nlohmann::json::array();
    for (const auto& g : gains)
        gainsJson.push_back({{"score_low", g.scoreLow},
                             {"score_high", g.scoreHigh},
                             {"count", g.count},
                             {"bads", g.bads},
                             {"bad_rate", g.badRate},
                             {"cumulative_bad_share", g.cumulativeBadShare},
                             {"cumulative_population_share", g.cumulativePopulationShare},
                             {"lift", g.lift}});
    return {{"auc", auc},
            {"gini", gini},
            {"ks", ks},
            {"brier", brier},
            {"log_loss", logLoss},
            {"rows", rows},
            {"rows_read", rowsRead},
            {"rows_rejected", rowsRejected},
            {"bad_rate", badRate},
            {"cutoff_pd", cutoffPd},
            {"development_sample", developmentSample},
            {"accuracy", confusion.accuracy()},
            {"precision", confusion.precision()},
            {"recall", confusion.recall()},
            {"f1", confusion.f1()},
            {"confusion",
             {{"true_positive", confusion.truePositive},
              {"false_positive", confusion.falsePositive},
              {"true_negative", confusion.trueNegative},
              {"false_negative", confusion.falseNegative}}},
            {"calibration", calibrationJson},
            {"gains", gainsJson}};
}

Result<PerformanceReport> buildPerformanceReport(const ModelBundle& bundle,
                                                 const std::string& dataPath,
                                                 const std::string& target,
                                                 const std::string& badValue,
                                                 ProgressToken* progress) {
    return buildPerformanceReport(bundle, dataPath, target, badValue, PerformanceOptions{},
                                  progress);
}

Result<PerformanceReport> buildPerformanceReport(
    const ModelBundle& bundle, const std::string& dataPath, const std::string& target,
    const std::string& badValue, const PerformanceOptions& options, ProgressToken* progress) {
    ProgressToken scoringToken;
    if (progress) {
        scoringToken.setCallback([progress, &scoringToken](double f, const std::string& text) {
            if (progress->isCanceled()) scoringToken.cancel();
            progress->report(0.5 * f, text);
        });
    }
    auto scored =
        scoreLabelledFile(bundle, dataPath, target, badValue, progress ? &scoringToken : nullptr);
    if (progress && progress->isCanceled()) return Error::failure("cancelled");
    if (!scored) return scored.error();
    auto report = performanceFromScores(bundle, dataPath, *scored, options,
                                        ProgressRange(progress, 0.5, 1.0));
    if (report && progress) progress->report(1.0, "done", true);
    return report;
}

Result<PerformanceReport> performanceFromScores(const ModelBundle& bundle,
                                                const std::string& dataPath,
                                                const LabelledScores& scored,
                                                const PerformanceOptions& options,
                                                const ProgressRange& range) {
    if (!scored.labelled)
        return Error::badInput("'" + dataPath + "' has no target column '" + scored.schema.target +
                               "'");
    const EncodedData& data = scored.data;
    PerformanceReport r;
    r.dataPath = dataPath;
    r.developmentSample = isDevelopmentSample(bundle, dataPath);
    r.target = scored.schema.target;
    r.badValue = scored.schema.badValue;
    r.rowsRead = scored.rowsRead;
    r.rows = data.rows;
    r.rowsRejected = data.rejects.size();
    r.rejects = data.rejects;
    r.margins = scored.margins;
    r.bad = data.labels;
    r.ids = data.ids;
    r.lines = data.lines;
    r.pd.resize(r.rows);
    r.points.resize(r.rows);
    for (std::size_t i = 0; i < r.rows; ++i) {
        r.pd[i] = pdFromMargin(r.margins[i]);
        r.points[i] = bundle.scaling.pointsFromMargin(r.margins[i]);
    }
    computeFigures(r);
    computeConfusion(r, bundle);
    r.defaultCutoff = bundle.policy.declineBelow;
    range.report(0.05, "curves");

    if (options.importance) {
        r.maxAdditivityError = 0.0;
        auto contributions = contributionsOf(*bundle.model, data, r.margins, r.maxAdditivityError,
                                             range.sub(0.05, 0.8));
        if (!contributions) return contributions.error();
        r.importance = importanceFromContributions(*contributions, data.featureNames);
        for (auto& f : r.importance)
            if (const ColumnSpec* spec = scored.schema.find(f.feature))
                f.label = spec->displayName();
    }

    // IV on this file with the default binning, the same way training bins characteristics.
    if (options.informationValue) {
        const BinningSettings settings;
        for (std::size_t j = 0; j < data.cols; ++j) {
            if (range.isCanceled()) return Error::failure("cancelled");
            CharacteristicBins bins = binCharacteristic(data, j, settings);
            if (const ColumnSpec* spec = scored.schema.find(data.featureNames[j]))
                labelBins(bins, levelNames(*spec));
            r.informationValue.push_back(std::move(bins));
            range.report(0.8 + 0.2 * static_cast<double>(j + 1) / static_cast<double>(data.cols),
                         "information value");
        }
        std::stable_sort(
            r.informationValue.begin(), r.informationValue.end(),
            [](const auto& a, const auto& b) { return a.informationValue > b.informationValue; });
    }
    return r;
}

}  // namespace cwb
