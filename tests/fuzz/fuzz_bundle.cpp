// Fuzz target: the whole model bundle loader (scoring/ModelBundle.h, loadBundle) on arbitrary
// file bytes: SQLite container, meta rows, part hashes, schema, model, scaling, policy, reasons.
// A bundle that loads must give its summary (cwb info) and score an applicant whose every value
// is missing and one built from its schema's first level or lowest value.
//
// SQLite keeps no page checksums, so a changed byte inside a part leaves a valid file whose part
// fails its SHA-256. The target recomputes every part's hash before loading, as a hostile sender
// would, so that changed parts reach the readers behind that check. Any further checksum over
// the parts must be recomputed here too, or the fuzzer stops at it.

#include <nlohmann/json.hpp>

#include <map>
#include <memory>

#include "FuzzSupport.h"
#include "common/Hash.h"
#include "common/Sqlite.h"
#include "scoring/ModelBundle.h"
#include "scoring/Scorer.h"

namespace {

void recomputePartHashes(const std::string& path) {
    using cwb::SqliteDatabase;
    auto db = SqliteDatabase::open(path, SqliteDatabase::Mode::ReadWriteCreate);
    if (!db) return;
    std::vector<std::pair<std::string, std::string>> hashes;  // name, SHA-256
    {
        auto parts = db->prepare("SELECT name, content FROM bundle_part");
        if (!parts) return;
        for (;;) {
            auto row = parts->step();
            if (!row || !*row) break;
            hashes.emplace_back(parts->columnText(0), cwb::sha256Hex(parts->columnBlob(1)));
        }
    }
    auto update = db->prepare("UPDATE bundle_part SET sha256 = ? WHERE name = ?");
    if (!update) return;
    for (const auto& [name, hash] : hashes) {
        if (!update->bind(1, hash) || !update->bind(2, name) || !update->step() || !update->reset())
            return;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cwb;
    // Through a file: loadBundle takes a path (SQLite reads the container).
    const std::string& path = fuzz::writeScratch("bundle", data, size);
    recomputePartHashes(path);
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
