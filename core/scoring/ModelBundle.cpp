#include "scoring/ModelBundle.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <string_view>

#include "common/Hash.h"
#include "common/Sqlite.h"

namespace cwb {

namespace {

constexpr const char* kFormatName = "credit-workbench-model";
constexpr int kApplicationId = 0x43574231;  // "CWB1"

std::vector<std::uint8_t> bytesOf(const std::string& text) {
    return {text.begin(), text.end()};
}

std::string textOf(const std::vector<std::uint8_t>& bytes) {
    return {bytes.begin(), bytes.end()};
}

Result<void> writeParts(SqliteDatabase& db, const ModelBundle& bundle) {
    if (auto r = db.exec("PRAGMA application_id = " + std::to_string(kApplicationId) +
                         ";"
                         "CREATE TABLE bundle_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                         "CREATE TABLE bundle_part(name TEXT PRIMARY KEY, content BLOB NOT NULL,"
                         " sha256 TEXT NOT NULL);");
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
    nlohmann::json reasons = bundle.reasonTexts;
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

Result<ModelBundle> loadBundle(const std::string& path) {
    const auto refuse = [&](const std::string& why) -> Error {
        return Error::badInput("'" + path + "' is not a usable Credit Workbench model: " + why);
    };
    if (!QFileInfo::exists(QString::fromStdString(path)))
        return Error::badInput("model file '" + path + "' does not exist");
    {
        // SQLite opens almost any file lazily; check the magic header first for a clear message.
        QFile f(QString::fromStdString(path));
        if (!f.open(QIODevice::ReadOnly)) return refuse("cannot be read");
        if (f.read(16) != QByteArray("SQLite format 3\0", 16))
            return refuse("not a model bundle (.cwbm) file");
    }
    auto db = SqliteDatabase::open(path, SqliteDatabase::Mode::ReadOnly);
    if (!db) return refuse(db.error().message);

    auto appId = db->prepare("PRAGMA application_id");
    if (!appId) return refuse(appId.error().message);
    if (auto row = appId->step(); !row || !*row || appId->columnInt(0) != kApplicationId)
        return refuse("not a model bundle (foreign SQLite database)");

    std::map<std::string, std::string> meta;
    {
        auto q = db->prepare("SELECT key, value FROM bundle_meta");
        if (!q) return refuse("missing bundle_meta table");
        for (;;) {
            auto row = q->step();
            if (!row) return refuse(row.error().message);
            if (!*row) break;
            meta[q->columnText(0)] = q->columnText(1);
        }
    }
    if (meta["format"] != kFormatName) return refuse("unknown format '" + meta["format"] + "'");
    int version = 0;
    try {
        version = std::stoi(meta["format_version"]);
    } catch (...) {
        return refuse("bad format version");
    }
    if (version > kBundleFormatVersion)
        return refuse("format version " + std::to_string(version) +
                      " is newer than this program supports (" +
                      std::to_string(kBundleFormatVersion) + "); update Credit Workbench");

    std::map<std::string, std::vector<std::uint8_t>> parts;
    {
        auto q = db->prepare("SELECT name, content, sha256 FROM bundle_part");
        if (!q) return refuse("missing bundle_part table");
        for (;;) {
            auto row = q->step();
            if (!row) return refuse(row.error().message);
            if (!*row) break;
            auto content = q->columnBlob(1);
            if (sha256Hex(content) != q->columnText(2))
                return refuse("part '" + q->columnText(0) + "' fails its SHA-256 check (damaged)");
            parts[q->columnText(0)] = std::move(content);
        }
    }
    for (const char* required : {"schema.json", "model", "scaling.json", "policy.json",
                                 "reasons.json", "metrics.json", "training.json"})
        if (!parts.count(required))
            return refuse(std::string("part '") + required + "' is missing");

    ModelBundle bundle;
    bundle.name = meta["name"];
    bundle.version = meta["version"];
    const auto parseJson = [&](const char* part) {
        return nlohmann::json::parse(textOf(parts[part]), nullptr, false);
    };
    const auto schemaJson = parseJson("schema.json");
    if (schemaJson.is_discarded()) return refuse("schema.json is not JSON");
    auto schema = Schema::fromJson(schemaJson);
    if (!schema) return refuse(schema.error().message);
    bundle.schema = std::move(*schema);

    auto model = deserializeModel(meta["model_kind"], parts["model"]);
    if (!model) return refuse(model.error().message);
    if ((*model)->featureCount() != bundle.schema.features().size())
        return refuse("the model has " + std::to_string((*model)->featureCount()) +
                      " inputs but the schema lists " +
                      std::to_string(bundle.schema.features().size()) + " features");
    bundle.model = std::shared_ptr<const Model>(std::move(*model));

    auto scaling = ScoreScaling::fromJson(parseJson("scaling.json"));
    if (!scaling) return refuse(scaling.error().message);
    bundle.scaling = *scaling;
    auto policy = DecisionPolicy::fromJson(parseJson("policy.json"));
    if (!policy) return refuse(policy.error().message);
    bundle.policy = *policy;
    const auto reasons = parseJson("reasons.json");
    if (!reasons.is_object()) return refuse("reasons.json is not a JSON object");
    for (const auto& [key, value] : reasons.items())
        if (value.is_string()) bundle.reasonTexts[key] = value.get<std::string>();
    bundle.metrics = parseJson("metrics.json");
    bundle.training = parseJson("training.json");
    if (bundle.metrics.is_discarded() || bundle.training.is_discarded())
        return refuse("metrics or training record is not JSON");
    return bundle;
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
    };
    if (const ColumnSpec* id = bundle.schema.idColumn()) info["id_column"] = id->name;
    if (const ExplanationFootprint e = bundle.model->explanationFootprint(); !e.method.empty()) {
        info["explanation"] = {{"method", e.method},
                               {"table_trees", e.tableTrees},
                               {"walked_trees", e.walkedTrees},
                               {"table_bytes", e.tableBytes}};
    }
    return info;
}

}  // namespace cwb
