// Fuzz target: the whole model bundle loader (scoring/ModelBundle.h, loadBundle) on arbitrary
// file bytes: SQLite container, meta rows, part hashes, schema, model, scaling, policy, reasons.
// A bundle that loads must give its summary (cwb info) and score an applicant whose every value
// is missing and one built from its schema's first level or lowest value.

#include <nlohmann/json.hpp>

#include <map>
#include <memory>

#include "FuzzSupport.h"
#include "scoring/ModelBundle.h"
#include "scoring/Scorer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cwb;
    // Through a file: loadBundle takes a path (SQLite reads the container).
    const std::string& path = fuzz::writeScratch("bundle", data, size);
    auto bundle = loadBundle(path);
    fuzz::removeScratch("bundle");
    if (!bundle) {
        fuzz::touch(bundle.error().message);
        return 0;
    }
    auto shared = std::make_shared<const ModelBundle>(std::move(*bundle));
    fuzz::touch(bundleInfo(*shared).dump());
    const Scorer scorer(shared);
    std::map<std::string, std::string> typical;
    for (const ColumnSpec* spec : shared->schema.features())
        typical[spec->name] = spec->type == ColumnType::Categorical
                                  ? (spec->levels.empty() ? std::string() : spec->levels.front())
                                  : std::to_string(spec->min);
    for (const auto& values : {std::map<std::string, std::string>(), typical}) {
        auto result = scorer.explainRecord(values, 4);
        if (result)
            fuzz::touch(result->toJson(scorer.featureNames()).dump());
        else
            fuzz::touch(result.error().message);
    }
    return 0;
}
