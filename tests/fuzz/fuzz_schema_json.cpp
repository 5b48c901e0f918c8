// Fuzz target: the schema's JSON (data/Schema.h) as a bundle's schema.json or `--schema FILE`
// holds it. A schema that loads must also save, and what it saves must load to the same JSON.

#include <nlohmann/json.hpp>

#include "FuzzSupport.h"
#include "data/Schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cwb;
    const auto json = nlohmann::json::parse(data, data + size, nullptr, false);
    if (json.is_discarded()) return 0;
    auto schema = Schema::fromJson(json);
    if (!schema) {
        fuzz::touch(schema.error().message);
        return 0;
    }
    for (const ColumnSpec* spec : schema->features()) {
        fuzz::touch(spec->displayName());
        for (const std::string& level : spec->levels)
            if (spec->levelCode(level) < 0) fuzz::fail("a level of the schema has no code");
    }
    if (const ColumnSpec* id = schema->idColumn()) fuzz::touch(id->name);
    const nlohmann::json saved = schema->toJson();
    const std::string text = saved.dump(2);
    auto again = Schema::fromJson(nlohmann::json::parse(text));
    if (!again) fuzz::fail("a saved schema does not load");
    if (again->toJson() != saved) fuzz::fail("a saved schema loads differently");
    return 0;
}
