#include "data/RecordJson.h"

#include <nlohmann/json.hpp>

namespace cwb {

Result<std::map<std::string, std::string>> parseRecordJson(std::string_view text) {
    if (text.size() > kMaxRecordJsonBytes)
        return Error::badInput("--record is longer than " +
                               std::to_string(kMaxRecordJsonBytes >> 10) + " KiB");
    // nlohmann's parser and destructor keep nesting on the heap, not the stack, so the size
    // bound bounds the work; nested values are refused below.
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return Error::badInput("--record must be a JSON object such as {\"age_years\": 35}");
    std::map<std::string, std::string> values;
    for (const auto& [key, value] : json.items()) {
        if (value.is_null())
            values[key] = "";
        else if (value.is_string())
            values[key] = value.get<std::string>();
        else if (value.is_number())
            values[key] = value.dump();
        else
            return Error::badInput("--record: '" + key + "' must be a number, text or null");
    }
    return values;
}

}  // namespace cwb
