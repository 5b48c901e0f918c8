#include "scoring/ModelBundle.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <string_view>

#include "common/Hash.h"
#include "common/JsonLimits.h"
#include "common/Sqlite.h"
#include "model/RatioModel.h"
#include "model/TreeEnsemble.h"
#include "scoring/BundleContainer.h"

namespace cwb {

namespace {

constexpr const char* kFormatName = "credit-workbench-model";
constexpr int kApplicationId = 0x43574231;  // "CWB1", checked by readBundleContainer

std::vector<std::uint8_t> bytesOf(const std::string& text) {
    return {text.begin(), text.end()};
}

Result<void> writeParts(SqliteDatabase& db, const ModelBundle& bundle) {
    if (auto r = db.exec("PRAGMA application_id = " + std::to_string(kApplicationId) + ";" +
                         kBundleMetaTableSql + ";" + kBundlePartTableSql + ";");
        !r)
        return r;
    auto meta = db.prepare("INSERT INTO bundle_meta(key, value) VALUES (?, ?)");
    if (!meta) return meta.error();
    const std::pair<std::string, std::string> metaRows[] = {
        {"format", kFormatName},
        {"format_version", std::to_string(kBundleFormatVersion)},
        {"name", bundle.name},
        {"version", bundle.version},
        {"algorithm", bundle.model->algorithm()},
        {"model_kind", bundle.model->kind()},
    };
    for (const auto& [key, value] : metaRows) {
        if (auto r = meta->bind(1, key); !r) return r;
        if (auto r = meta->bind(2, value); !r) return r;
        if (auto r = meta->step(); !r) return r.error();
        if (auto r = meta->reset(); !r) return r;
    }
    const nlohmann::json reasons =
        reasonsToJson(ReasonTextTable{bundle.reasonTexts, bundle.reasonValueTexts});
    nlohmann::json params = nlohmann::json::parse(bundle.model->parametersJson(), nullptr, false);
    const std::pair<std::string, std::vector<std::uint8_t>> parts[] = {
        {"schema.json", bytesOf(bundle.schema.toJson().dump(2))},
        {"model", bundle.model->serialize()},
        {"scaling.json", bytesOf(bundle.scaling.toJson().dump(2))},
        {"policy.json", bytesOf(bundle.policy.toJson().dump(2))},
        {"reasons.json", bytesOf(reasons.dump(2))},
        {"metrics.json", bytesOf(bundle.metrics.dump(2))},
        {"training.json", bytesOf(bundle.training.dump(2))},
        {"parameters.json", bytesOf(params.is_discarded() ? "{}" : params.dump(2))},
    };
    auto part = db.prepare("INSERT INTO bundle_part(name, content, sha256) VALUES (?, ?, ?)");
    if (!part) return part.error();
    for (const auto& [name, content] : parts) {
        if (auto r = part->bind(1, name); !r) return r;
        if (auto r = part->bindBlob(2, content.data(), content.size()); !r) return r;
        if (auto r = part->bind(3, sha256Hex(content)); !r) return r;
        if (auto r = part->step(); !r) return r.error();
        if (auto r = part->reset(); !r) return r;
    }
    return {};
}

}  // namespace

std::string ModelBundle::reasonText(const std::string& feature) const {
    if (auto it = reasonTexts.find(feature); it != reasonTexts.end() && !it->second.empty())
        return it->second;
    if (const ColumnSpec* spec = schema.find(feature)) return spec->displayName();
    return feature;
}

std::string ModelBundle::reasonText(const std::string& feature, float encodedValue) const {
    const auto texts = reasonValueTexts.find(feature);
    const ColumnSpec* spec = schema.find(feature);
    if (texts != reasonValueTexts.end() && spec)
        if (const std::string* text = valueText(*spec, texts->second, encodedValue)) return *text;
    return reasonText(feature);
}

std::string ModelBundle::reasonTextOf(const std::string& feature, std::string_view value) const {
    const auto texts = reasonValueTexts.find(feature);
    const ColumnSpec* spec = schema.find(feature);
    if (texts != reasonValueTexts.end() && spec)
        if (const std::string* text = valueTextOf(*spec, texts->second, value)) return *text;
    return reasonText(feature);
}

Result<void> saveBundle(const ModelBundle& bundle, const std::string& path) {
    if (!bundle.model) return Error::failure("saveBundle: the bundle has no model");
    // Write next to the target and rename on success, so a failed save leaves nothing behind.
    const QString target = QString::fromStdString(path);
    const QString temp = target + QStringLiteral(".part");
    QFile::remove(temp);
    {
        auto db = SqliteDatabase::open(temp.toStdString(), SqliteDatabase::Mode::ReadWriteCreate);
        if (!db) return db.error();
        if (auto r = db->exec("BEGIN"); !r) return r;
        if (auto r = writeParts(*db, bundle); !r) {
            QFile::remove(temp);
            return r;
        }
        if (auto r = db->exec("COMMIT"); !r) {
            QFile::remove(temp);
            return r;
        }
    }
    // rename(2) replaces the target in one step; removing it first would lose it on a crash.
    if (std::rename(temp.toLocal8Bit().constData(), target.toLocal8Bit().constData()) != 0) {
        QFile::remove(temp);
        return Error::failure("cannot write '" + path + "'");
    }
    return {};
}

namespace {

// Parses a JSON part after its nesting depth is checked (nlohmann's DOM copy recurses).
Result<nlohmann::json> parsePart(const BundleContainer& container, const char* part) {
    const auto& bytes = container.parts.at(part);
    if (auto deep = checkJsonTextDepth(bytes); !deep)
        return Error::badInput(std::string("part '") + part +
                               "' fails the JSON nesting check: " + deep.error().message);
    auto json = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (json.is_discarded())
        return Error::badInput(std::string("part '") + part + "' fails the JSON check: not JSON");
    return json;
}

Error inPart(const char* part, const char* check, const std::string& detail) {
    return Error::badInput(std::string("part '") + part + "' fails the " + check +
                           " check: " + detail);
}

Result<ModelBundle> assembleBundle(const BundleContainer& container) {
    const auto metaOf = [&](const char* key) {
        const auto it = container.meta.find(key);
        return it == container.meta.end() ? std::string() : it->second;
    };
    if (metaOf("format") != kFormatName)
        return inPart("bundle_meta", "format",
                      "unknown format '" + metaOf("format").substr(0, 64) + "'");
    int version = 0;
    try {
        version = std::stoi(metaOf("format_version"));
    } catch (...) {
        return inPart("bundle_meta", "format", "bad format version");
    }
    if (version > kBundleFormatVersion)
        return inPart("bundle_meta", "format",
                      "format version " + std::to_string(version) +
                          " is newer than this program supports (" +
                          std::to_string(kBundleFormatVersion) + "); update Credit Workbench");
    for (const char* required : {"schema.json", "model", "scaling.json", "policy.json",
                                 "reasons.json", "metrics.json", "training.json"})
        if (!container.parts.count(required))
            return inPart(required, "completeness", "the part is missing");

    ModelBundle bundle;
    bundle.name = metaOf("name");
    bundle.version = metaOf("version");
    bundle.sha256 = container.manifestSha256;

    auto schemaJson = parsePart(container, "schema.json");
    if (!schemaJson) return schemaJson.error();
    auto schema = Schema::fromJson(*schemaJson);
    if (!schema) return inPart("schema.json", "schema", schema.error().message);
    for (const ColumnSpec& column : schema->columns) {
        if (column.levels.size() > BundleLimits::maxSchemaLevels)
            return inPart("schema.json", "schema",
                          "column '" + column.name + "' has more than " +
                              std::to_string(BundleLimits::maxSchemaLevels) + " levels");
    }
    bundle.schema = std::move(*schema);
    const std::size_t features = bundle.schema.features().size();
    if (features == 0 || features > TreeLimits::maxFeatures)
        return inPart("schema.json", "schema",
                      "the schema lists " + std::to_string(features) + " features (1 to " +
                          std::to_string(TreeLimits::maxFeatures) + " allowed)");

    // Every check on the model runs in the workbench's own code before XGBoost gets the bytes.
    auto model = deserializeModel(metaOf("model_kind"), container.parts.at("model"), features);
    if (!model) return inPart("model", "model", model.error().message);
    // A ratio divides numbers: an operand that the schema calls categorical would divide level
    // codes, which mean nothing as numbers.
    if (const auto* ratioModel = dynamic_cast<const RatioModel*>(model->get())) {
        const auto specs = bundle.schema.features();
        for (const auto& r : ratioModel->ratios())
            for (const std::size_t j : {r.numerator, r.denominator})
                if (specs[j]->type != ColumnType::Numeric)
                    return inPart("model", "model",
                                  "a derived ratio divides '" + specs[j]->name +
                                      "', which the schema lists as " + toString(specs[j]->type));
    }
    bundle.model = std::shared_ptr<const Model>(std::move(*model));

    auto scalingJson = parsePart(container, "scaling.json");
    if (!scalingJson) return scalingJson.error();
    auto scaling = ScoreScaling::fromJson(*scalingJson);
    if (!scaling) return inPart("scaling.json", "scaling", scaling.error().message);
    bundle.scaling = *scaling;
    auto policyJson = parsePart(container, "policy.json");
    if (!policyJson) return policyJson.error();
    auto policy = DecisionPolicy::fromJson(*policyJson);
    if (!policy) return inPart("policy.json", "policy", policy.error().message);
    bundle.policy = *policy;
    auto reasons = parsePart(container, "reasons.json");
    if (!reasons) return reasons.error();
    auto reasonTable = reasonsFromJson(*reasons, bundle.schema);
    if (!reasonTable) return inPart("reasons.json", "reasons", reasonTable.error().message);
    bundle.reasonTexts = std::move(reasonTable->texts);
    bundle.reasonValueTexts = std::move(reasonTable->valueTexts);
    auto metrics = parsePart(container, "metrics.json");
    if (!metrics) return metrics.error();
    bundle.metrics = std::move(*metrics);
    auto training = parsePart(container, "training.json");
    if (!training) return training.error();
    bundle.training = std::move(*training);
    if (container.parts.count("parameters.json")) {
        if (auto parameters = parsePart(container, "parameters.json"); !parameters)
            return parameters.error();
    }
    return bundle;
}

}  // namespace

Result<ModelBundle> loadBundleFromBytes(std::span<const std::uint8_t> bytes,
                                        const std::string& name) {
    auto container = readBundleContainer(bytes);
    auto bundle = container ? assembleBundle(*container) : Result<ModelBundle>(container.error());
    if (!bundle) {
        Error error = bundle.error();
        error.message = "'" + name + "' is not a usable Credit Workbench model: " + error.message;
        return error;
    }
    return bundle;
}

Result<ModelBundle> loadBundle(const std::string& path) {
    const QFileInfo info(QString::fromStdString(path));
    if (!info.exists()) return Error::badInput("model file '" + path + "' does not exist");
    const auto refuse = [&](const std::string& why) -> Error {
        return Error::badInput("'" + path + "' is not a usable Credit Workbench model: " + why);
    };
    // A FIFO or device would block or never end: only regular files are read.
    if (!info.isFile()) return refuse("part 'container' fails the file check: not a regular file");
    if (static_cast<std::uint64_t>(info.size()) > BundleLimits::maxFileBytes)
        return refuse("part 'container' fails the size check: larger than " +
                      std::to_string(BundleLimits::maxFileBytes >> 20) + " MB");
    QFile f(info.filePath());
    if (!f.open(QIODevice::ReadOnly)) return refuse("cannot be read");
    // Read once into memory: SQLite then works on exactly the bytes that were checked.
    const QByteArray bytes = f.read(static_cast<qint64>(BundleLimits::maxFileBytes) + 1);
    if (static_cast<std::uint64_t>(bytes.size()) > BundleLimits::maxFileBytes)
        return refuse("part 'container' fails the size check: the file grew while read");
    return loadBundleFromBytes({reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                static_cast<std::size_t>(bytes.size())},
                               path);
}

nlohmann::json bundleInfo(const ModelBundle& bundle) {
    nlohmann::json features = nlohmann::json::array();
    for (const ColumnSpec* spec : bundle.schema.features())
        features.push_back({{"name", spec->name}, {"type", toString(spec->type)}});
    nlohmann::json info = {
        {"name", bundle.name},
        {"version", bundle.version},
        {"format_version", kBundleFormatVersion},
        {"algorithm", bundle.model->algorithm()},
        {"features", features},
        {"target", bundle.schema.target},
        {"bad_value", bundle.schema.badValue},
        {"scaling", bundle.scaling.toJson()},
        {"policy", bundle.policy.toJson()},
        {"metrics", bundle.metrics},
        {"training", bundle.training},
        {"bundle_sha256", bundle.sha256},
    };
    if (const ColumnSpec* id = bundle.schema.idColumn()) info["id_column"] = id->name;
    if (const auto* ratioModel = dynamic_cast<const RatioModel*>(bundle.model.get())) {
        const auto names = bundle.schema.featureNames();
        nlohmann::json ratios = nlohmann::json::array();
        for (const auto& r : ratioModel->ratios())
            ratios.push_back(ratioName(names, r));
        info["ratios"] = ratios;
    }
    if (const ExplanationFootprint e = bundle.model->explanationFootprint(); !e.method.empty()) {
        info["explanation"] = {{"method", e.method},
                               {"table_trees", e.tableTrees},
                               {"walked_trees", e.walkedTrees},
                               {"table_bytes", e.tableBytes}};
    }
    return info;
}

}  // namespace cwb
