#include "pipeline/ImportXgboost.h"

#include <QFile>
#include <QFileInfo>

#include "common/Hash.h"
#include "data/SchemaInference.h"
#include "data/Table.h"
#include "model/TreeModel.h"

namespace cwb {

Result<ModelBundle> importXgboost(const ImportJob& job) {
    QFile file(QString::fromStdString(job.xgboostModelPath));
    if (!file.open(QIODevice::ReadOnly))
        return Error::badInput("cannot read XGBoost model '" + job.xgboostModelPath + "'");
    const QByteArray raw = file.readAll();
    const std::vector<std::uint8_t> bytes(raw.begin(), raw.end());
    std::vector<std::string> names, types;
    auto model = loadXgboostModel(bytes, names, types);
    if (!model) return Error::badInput(job.xgboostModelPath + ": " + model.error().message);

    Schema source;
    if (!job.schemaPath.empty()) {
        auto loaded = Schema::load(job.schemaPath);
        if (!loaded) return loaded.error();
        source = std::move(*loaded);
    } else if (!job.dataPath.empty()) {
        auto table = readTable(job.dataPath);
        if (!table) return table.error();
        InferenceOptions options;
        if (!job.idColumn.empty()) options.idColumns = {job.idColumn};
        auto inferred = inferSchema(*table, options);
        if (!inferred) return inferred.error();
        source = std::move(*inferred);
    } else {
        return Error::badInput("import-xgboost needs --schema FILE or --data SAMPLE.csv");
    }

    if (names.empty()) {
        // A model without names: its columns are the schema's features, in order.
        names = source.featureNames();
        if (names.size() != (*model)->featureCount())
            return Error::badInput("the XGBoost model has no feature names and " +
                                   std::to_string((*model)->featureCount()) +
                                   " inputs, but the schema has " + std::to_string(names.size()) +
                                   " features");
    }
    // The bundle's schema lists the model's inputs in the model's column order.
    Schema schema;
    schema.target = source.target;
    schema.badValue = source.badValue;
    const std::string idName = !job.idColumn.empty()
                                   ? job.idColumn
                                   : (source.idColumn() ? source.idColumn()->name : std::string());
    if (!idName.empty()) {
        const ColumnSpec* id = source.find(idName);
        if (!id) return Error::badInput("no column '" + idName + "' in the schema or sample data");
        ColumnSpec spec = *id;
        spec.role = ColumnRole::Id;
        spec.type = ColumnType::Identifier;
        schema.columns.push_back(spec);
    }
    for (std::size_t j = 0; j < names.size(); ++j) {
        const ColumnSpec* spec = source.find(names[j]);
        if (!spec)
            return Error::badInput("the XGBoost model uses '" + names[j] +
                                   "', which the schema or sample data does not have");
        ColumnSpec copy = *spec;
        copy.role = ColumnRole::Feature;
        const bool categorical = j < types.size() && types[j] == "c";
        if (categorical && copy.type != ColumnType::Categorical)
            return Error::badInput("'" + names[j] +
                                   "' is categorical in the XGBoost model but not in the schema");
        if (!categorical) copy.type = ColumnType::Numeric;
        schema.columns.push_back(copy);
    }

    ModelBundle bundle;
    bundle.name = job.name.empty() ? QFileInfo(QString::fromStdString(job.xgboostModelPath))
                                         .completeBaseName()
                                         .toStdString()
                                   : job.name;
    bundle.schema = std::move(schema);
    bundle.model = std::shared_ptr<const Model>(std::move(*model));
    bundle.policy = DecisionPolicy::fromPdThresholds(bundle.scaling);
    bundle.training = {{"imported_from", QFileInfo(file).fileName().toStdString()},
                       {"model_sha256", sha256Hex(bytes)}};
    return bundle;
}

}  // namespace cwb
