#include "pipeline/TrainPipeline.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSysInfo>

#include <chrono>
#include <cstdlib>

#include "common/Hash.h"
#include "data/EncodedData.h"
#include "data/SchemaInference.h"
#include "data/Table.h"
#include "eval/Metrics.h"
#include "model/AutoSearch.h"
#include "pipeline/ReferenceScores.h"

namespace cwb {

nlohmann::json TrainReport::toJson() const {
    const CandidateResult* chosen = nullptr;
    const std::string headline = measured.empty() ? bundle.model->algorithm() : measured;
    for (const auto& c : candidates)
        if (c.algorithm == headline) chosen = &c;
    nlohmann::json warningsJson = nlohmann::json::array();
    for (const auto& w : warnings)
        warningsJson.push_back({{"column", w.column}, {"kind", w.kind}, {"message", w.message}});
    nlohmann::json candidatesJson = nlohmann::json::array();
    for (const auto& c : candidates)
        candidatesJson.push_back(c.toJson());
    nlohmann::json j = {
        {"algorithm", bundle.model->algorithm()},
        {"rows", rowsUsed},
        {"rows_read", rowsRead},
        {"rows_rejected", rowsRejected},
        {"features", bundle.schema.features().size()},
        {"seconds", seconds},
        {"warnings", warningsJson},
        {"candidates", candidatesJson},
        {"cv_auc", nullptr},
        {"cv_auc_sd", nullptr},
        {"cv_gini", nullptr},
        {"cv_ks", nullptr},
    };
    if (chosen) {
        j["cv_auc"] = chosen->meanAuc;
        j["cv_auc_sd"] = chosen->sdAuc;
        j["cv_gini"] = chosen->meanGini;
        j["cv_ks"] = chosen->meanKs;
        j["cv_folds"] = chosen->foldAuc.size();
    }
    if (search) j["search"] = search->toJson();
    return j;
}

Result<void> applyDictionary(const std::string& path, Schema& schema,
                             std::map<std::string, std::string>& reasons) {
    auto table = readTable(path);
    if (!table) return table.error();
    const int column = table->columnIndex("column");
    const int label = table->columnIndex("label");
    const int reason = table->columnIndex("reason_text");
    if (column < 0 || label < 0)
        return Error::badInput("data dictionary '" + path +
                               "' needs the columns 'column' and 'label'");
    for (std::size_t r = 0; r < table->rows(); ++r) {
        const std::string& name = table->columns[column][r];
        ColumnSpec* spec = schema.find(name);
        if (!spec) continue;  // the dictionary may describe more columns than the model uses
        spec->label = table->columns[label][r];
        if (reason >= 0 && !table->columns[reason][r].empty())
            reasons[name] = table->columns[reason][r];
    }
    return {};
}

namespace {

std::string defaultDictionaryPath(const std::string& dataPath) {
    const QFileInfo info(QString::fromStdString(dataPath));
    const QString candidate = info.dir().filePath(info.completeBaseName() + ".dictionary.csv");
    return QFileInfo::exists(candidate) ? candidate.toStdString() : std::string();
}

// Creation time and creator: SOURCE_DATE_EPOCH and CWB_CREATOR make rebuilt bundles identical.
nlohmann::json trainingRecord(const TrainJob& job, const std::string& fingerprint,
                              const TrainReport& report) {
    QDateTime created = QDateTime::currentDateTimeUtc();
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"))
        created = QDateTime::fromSecsSinceEpoch(std::atoll(epoch), Qt::UTC);
    std::string creator;
    if (const char* c = std::getenv("CWB_CREATOR"))
        creator = c;
    else if (const char* u = std::getenv("USER"))
        creator = u;
    return {{"data_file", QFileInfo(QString::fromStdString(job.dataPath)).fileName().toStdString()},
            {"data_sha256", fingerprint},
            {"rows", report.rowsUsed},
            {"rows_rejected", report.rowsRejected},
            {"target", job.target},
            {"bad_value", job.badValue},
            {"seed", job.request.seed},
            {"folds", job.request.folds},
            {"algorithm_requested", toString(job.request.algorithm)},
            {"creator", creator},
            {"created_at", created.toString(Qt::ISODate).toStdString()},
            {"app_version", CWB_VERSION}};
}

}  // namespace

Result<TrainReport> runTraining(const TrainJob& job, ProgressToken* progress) {
    const auto started = std::chrono::steady_clock::now();
    const ProgressRange all(progress, 0.0, 1.0);
    all.report(0.0, "reading " + job.dataPath);
    ProgressToken* readProgress = nullptr;  // reading is short next to training
    auto table = readTable(job.dataPath, readProgress);
    if (!table) return table.error();
    auto fingerprint = sha256OfFile(job.dataPath);
    if (!fingerprint) return fingerprint.error();

    Schema schema;
    if (job.schema) {
        schema = *job.schema;
        if (!job.target.empty()) schema.target = job.target;
        schema.badValue = job.badValue;
    } else if (!job.schemaPath.empty()) {
        auto loaded = Schema::load(job.schemaPath);
        if (!loaded) return loaded.error();
        schema = std::move(*loaded);
        if (!job.target.empty()) schema.target = job.target;
        schema.badValue = job.badValue;
    } else {
        InferenceOptions options;
        options.target = job.target;
        options.badValue = job.badValue;
        options.idColumns = job.idColumns;
        options.excluded = job.excluded;
        options.protectedColumns = job.protectedColumns;
        auto inferred = inferSchema(*table, options);
        if (!inferred) return inferred.error();
        schema = std::move(*inferred);
    }
    if (schema.features().empty())
        return Error::badInput("'" + job.dataPath + "' has no usable characteristics to train on");

    auto data = encodeTable(*table, schema, true);
    if (!data) return data.error();
    if (data->rows == 0)
        return Error::badInput(
            "'" + job.dataPath + "': every row was rejected (" +
            (data->rejects.empty() ? std::string("no rows") : data->rejects.front().reason) + ")");

    TrainReport report;
    report.rowsRead = table->rowsRead;
    report.rowsUsed = data->rows;
    report.rowsRejected = data->rejects.size();
    report.rejects = data->rejects;
    report.warnings = diagnose(*table, schema, *data);

    ProgressToken* trainProgress = progress;
    auto outcome = trainModel(*data, job.request, trainProgress);
    if (!outcome) return outcome.error();
    report.candidates = outcome->candidates;
    report.measured = outcome->measured;
    report.search = outcome->search;

    ModelBundle& bundle = report.bundle;
    bundle.name =
        job.name.empty()
            ? QFileInfo(QString::fromStdString(job.dataPath)).completeBaseName().toStdString()
            : job.name;
    bundle.schema = schema;
    bundle.model = std::shared_ptr<const Model>(std::move(outcome->model));
    bundle.policy = DecisionPolicy::fromPdThresholds(bundle.scaling);
    const std::string dictionary =
        job.dictionaryPath.empty() ? defaultDictionaryPath(job.dataPath) : job.dictionaryPath;
    if (!dictionary.empty())
        if (auto r = applyDictionary(dictionary, bundle.schema, bundle.reasonTexts); !r)
            return r.error();

    // Development-sample figures: in-sample performance and the score distribution that later
    // batches are compared with (PSI).
    std::vector<double> margins(data->rows);
    bundle.model->predictMargin(data->values.data(), data->rows, margins.data());
    nlohmann::json candidatesJson = nlohmann::json::array();
    for (const auto& c : outcome->candidates)
        candidatesJson.push_back(c.toJson(false));
    bundle.metrics = {{"cross_validation", candidatesJson},
                      {"chosen", outcome->algorithm},
                      {"development", developmentMetrics(margins, data->labels)},
                      {"reference_scores", referenceScoreDistribution(margins, bundle.scaling)},
                      {"monotone", outcome->monotone}};
    if (!outcome->ratios.empty()) {
        // What the model derives from its inputs (decision 51): for reports and cwb info.
        const auto names = schema.featureNames();
        nlohmann::json ratios = nlohmann::json::array();
        for (std::size_t k = 0; k < outcome->ratios.size(); ++k)
            ratios.push_back({{"name", ratioName(names, outcome->ratios[k])},
                              {"numerator", names[outcome->ratios[k].numerator]},
                              {"denominator", names[outcome->ratios[k].denominator]},
                              {"monotone", outcome->ratioMonotone[k]}});
        nlohmann::json released = nlohmann::json::array();
        for (std::size_t j : outcome->releasedMonotone)
            released.push_back(names[j]);
        bundle.metrics["ratios"] = ratios;
        bundle.metrics["monotone_released"] = released;
    }
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    bundle.training = trainingRecord(job, *fingerprint, report);
    if (report.search) bundle.training["search"] = report.search->toJson(false);
    report.development = std::make_shared<const EncodedData>(std::move(data.value()));
    return report;
}

}  // namespace cwb
