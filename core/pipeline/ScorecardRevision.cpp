#include "pipeline/ScorecardRevision.h"

#include "common/Hash.h"
#include "data/Table.h"
#include "pipeline/ReferenceScores.h"

namespace cwb {

namespace {

const ScorecardModel* scorecardOf(const ModelBundle& bundle) {
    return dynamic_cast<const ScorecardModel*>(bundle.model.get());
}

}  // namespace

Result<std::shared_ptr<const EncodedData>> loadDevelopmentData(const ModelBundle& bundle,
                                                               const std::string& path) {
    if (!scorecardOf(bundle))
        return Error::badInput("the model '" + bundle.name +
                               "' is not a scorecard; only scorecards have bins to edit");
    const std::string recorded = bundle.training.value("data_sha256", std::string());
    auto fingerprint = sha256OfFile(path);
    if (!fingerprint) return fingerprint.error();
    if (!recorded.empty() && *fingerprint != recorded)
        return Error::badInput(
            "'" + path + "' is not the file the model '" + bundle.name + "' was trained on (" +
            bundle.training.value("data_file", std::string("unknown")) + "): its SHA-256 differs");
    auto table = readTable(path);
    if (!table) return table.error();
    auto data = encodeTable(*table, bundle.schema, true);
    if (!data) return data.error();
    return std::make_shared<const EncodedData>(std::move(data.value()));
}

Result<ScorecardEditSession> editorForBundle(const ModelBundle& bundle,
                                             std::shared_ptr<const EncodedData> development) {
    const ScorecardModel* scorecard = scorecardOf(bundle);
    if (!scorecard)
        return Error::badInput("the model '" + bundle.name +
                               "' is not a scorecard; only scorecards have bins to edit");
    std::vector<std::vector<std::string>> levelNames;
    for (const ColumnSpec* spec : bundle.schema.features())
        levelNames.push_back(spec->levels);
    // The bundle owns the model; the editor shares it without copying.
    std::shared_ptr<const ScorecardModel> model(bundle.model, scorecard);
    return ScorecardEditSession::create(std::move(model), std::move(development),
                                        std::move(levelNames), bundle.scaling.offset(),
                                        bundle.scaling.factor());
}

ModelBundle bundleWithScorecard(const ModelBundle& base, const ScorecardState& state,
                                const EncodedData& development) {
    ModelBundle bundle = base;
    bundle.model = state.model;
    std::vector<double> margins(development.rows);
    bundle.model->predictMargin(development.values.data(), development.rows, margins.data());
    bundle.metrics["development"] = developmentMetrics(margins, development.labels);
    bundle.metrics["reference_scores"] = referenceScoreDistribution(margins, bundle.scaling);
    nlohmann::json edits = nlohmann::json::array();
    for (const auto& e : state.edits)
        edits.push_back(e.toJson());
    if (edits.empty())
        bundle.training.erase("scorecard_edits");
    else
        bundle.training["scorecard_edits"] = std::move(edits);
    return bundle;
}

}  // namespace cwb
