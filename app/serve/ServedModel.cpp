#include "ServedModel.h"

#include "common/Hash.h"

namespace cwb::serve {

namespace {

nlohmann::json describeInputs(const Schema& schema) {
    nlohmann::json inputs = nlohmann::json::array();
    for (const ColumnSpec* spec : schema.features()) {
        nlohmann::json input = {{"name", spec->name},
                                {"type", toString(spec->type)},
                                {"label", spec->displayName()},
                                {"allow_missing", spec->allowMissing}};
        if (spec->type == ColumnType::Categorical) input["levels"] = spec->levels;
        inputs.push_back(std::move(input));
    }
    return inputs;
}

}  // namespace

Result<std::shared_ptr<const ServedModel>> ServedModel::load(const std::string& path) {
    // A bundle replaced while it is read (a deployment writing the mounted volume) shows up as a
    // different hash before and after; such a load is retried, so the recorded SHA-256 is always
    // that of the bytes that were loaded. Writers should replace the file by rename.
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto before = sha256OfFile(path);
        if (!before) return before.error();
        auto bundle = loadBundle(path);
        if (!bundle) return bundle.error();
        auto after = sha256OfFile(path);
        if (!after) return after.error();
        if (*after != *before) continue;

        auto model = std::make_shared<ServedModel>();
        model->bundle = std::make_shared<const ModelBundle>(std::move(*bundle));
        model->sha256 = *before;
        model->scorer = std::make_unique<Scorer>(model->bundle);
        model->featureNames = model->bundle->schema.featureNames();
        auto encoder = RowEncoder::bind(model->bundle->schema, model->featureNames, '.', false);
        if (!encoder) return encoder.error();
        model->encoder = std::make_unique<RowEncoder>(std::move(*encoder));
        model->identity = {{"name", model->bundle->name},
                           {"version", model->bundle->version},
                           {"sha256", model->sha256}};
        nlohmann::json description = bundleInfo(*model->bundle);
        description["sha256"] = model->sha256;
        description["inputs"] = describeInputs(model->bundle->schema);
        description["schema"] = model->bundle->schema.toJson();
        model->description = std::move(description);
        return std::shared_ptr<const ServedModel>(std::move(model));
    }
    return Error::failure("model file '" + path + "' kept changing while it was loaded");
}

}  // namespace cwb::serve
