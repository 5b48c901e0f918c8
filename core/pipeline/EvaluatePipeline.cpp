#include "pipeline/EvaluatePipeline.h"

#include <algorithm>

#include "data/EncodedData.h"
#include "data/Table.h"
#include "pipeline/DevelopmentSample.h"
#include "scoring/Scorer.h"

namespace cwb {

nlohmann::json EvaluationReport::toJson() const {
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

Result<LabelledScores> scoreLabelledFile(const ModelBundle& bundle, const std::string& dataPath,
                                         const std::string& target, const std::string& badValue,
                                         ProgressToken* progress) {
    Schema schema = bundle.schema;
    if (!target.empty()) schema.target = target;
    if (!badValue.empty()) schema.badValue = badValue;
    if (schema.target.empty())
        return Error::badInput("the model records no target column; give --target");
    // Reading the file is most of the work for a scorecard; the margins follow in chunks.
    // The reader gets a token of its own so its fractions map onto the first 60 %; a cancel of
    // the caller's token is passed on at the reader's next report.
    ProgressToken readToken;
    if (progress) {
        readToken.setCallback([progress, &readToken](double f, const std::string& text) {
            if (progress->isCanceled()) readToken.cancel();
            progress->report(0.6 * f, text.empty() ? "reading the file" : text);
        });
    }
    auto table = readTable(dataPath, progress ? &readToken : nullptr);
    if (progress && progress->isCanceled()) return Error::failure("cancelled");
    if (!table) return table.error();
    if (table->columnIndex(schema.target) < 0)
        return Error::badInput("'" + dataPath + "' has no target column '" + schema.target + "'");
    auto data = encodeTable(*table, schema, true);
    if (!data) return data.error();
    if (data->rows == 0) return Error::badInput("'" + dataPath + "': no usable rows");
    const auto bads =
        std::count_if(data->labels.begin(), data->labels.end(), [](float y) { return y > 0.5f; });
    if (bads == 0 || static_cast<std::size_t>(bads) == data->rows)
        return Error::badInput("target '" + schema.target + "' in '" + dataPath +
                               "' needs both bads (value '" + schema.badValue + "') and goods");

    LabelledScores scores;
    scores.rowsRead = table->rowsRead;
    scores.bads = static_cast<std::size_t>(bads);
    scores.margins.resize(data->rows);
    // Rows are scored independently, so chunks give the same margins as one call and let a
    // cancel stop a large file promptly.
    constexpr std::size_t chunk = 50000;
    for (std::size_t begin = 0; begin < data->rows; begin += chunk) {
        if (progress && progress->isCanceled()) return Error::failure("cancelled");
        const std::size_t n = std::min(chunk, data->rows - begin);
        bundle.model->predictMargin(data->row(begin), n, scores.margins.data() + begin);
        if (progress)
            progress->report(
                0.6 + 0.4 * static_cast<double>(begin + n) / static_cast<double>(data->rows),
                "scoring");
    }
    scores.schema = std::move(schema);
    scores.data = std::move(*data);
    return scores;
}

Result<EvaluationReport> evaluateFile(const ModelBundle& bundle, const std::string& dataPath,
                                      const std::string& target, const std::string& badValue,
                                      ProgressToken* progress) {
    auto scored = scoreLabelledFile(bundle, dataPath, target, badValue, progress);
    if (!scored) return scored.error();
    const EncodedData& data = scored->data;
    const std::vector<double>& margins = scored->margins;

    EvaluationReport report;
    std::vector<double> pd(margins.size()), points(margins.size());
    for (std::size_t i = 0; i < margins.size(); ++i) {
        pd[i] = pdFromMargin(margins[i]);
        points[i] = bundle.scaling.pointsFromMargin(margins[i]);
    }
    report.auc = auc(margins, data.labels);
    report.gini = giniFromAuc(report.auc);
    report.ks = ks(margins, data.labels);
    report.brier = brier(pd, data.labels);
    report.logLoss = logLoss(pd, data.labels);
    report.rows = data.rows;
    report.rowsRead = scored->rowsRead;
    report.rowsRejected = data.rejects.size();
    report.rejects = data.rejects;
    report.badRate = static_cast<double>(scored->bads) / static_cast<double>(data.rows);
    report.developmentSample = isDevelopmentSample(bundle, dataPath);
    report.cutoffPd = pdFromMargin(bundle.scaling.marginFromPoints(bundle.policy.declineBelow));
    report.confusion = confusionAt(pd, data.labels, report.cutoffPd);
    report.calibration = calibrationTable(pd, data.labels, 10);
    report.gains = gainsTable(points, data.labels, 10);
    return report;
}

}  // namespace cwb
