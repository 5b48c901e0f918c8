#include "explain/ReasonTexts.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/CsvReader.h"

namespace cwb {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// One end of a range key: empty is open, else a finite number.
std::optional<double> rangeEnd(std::string_view text, double open) {
    if (text.empty()) return open;
    double x = 0.0;
    if (parseNumber(text, '.', x) != NumberStatus::Ok || !std::isfinite(x)) return std::nullopt;
    return x;
}

std::string shortKey(const std::string& key) {
    return key.size() > 60 ? key.substr(0, 60) + "..." : key;
}

}  // namespace

std::optional<ValueRange> parseValueRange(std::string_view key) {
    const std::size_t dots = key.find("..");
    if (dots == std::string_view::npos) return std::nullopt;
    const auto lo = rangeEnd(key.substr(0, dots), -kInf);
    const auto hi = rangeEnd(key.substr(dots + 2), kInf);
    if (!lo || !hi || *lo >= *hi || (std::isinf(*lo) && std::isinf(*hi))) return std::nullopt;
    return ValueRange{*lo, *hi};
}

Result<void> checkReasonText(const std::string& text, const std::string& what) {
    if (text.empty()) return Error::badInput(what + " is empty");
    if (text.size() > kMaxReasonTextBytes)
        return Error::badInput(what + " is longer than " + std::to_string(kMaxReasonTextBytes) +
                               " bytes");
    return {};
}

Result<void> checkValueTexts(const ColumnSpec& spec, const ValueTexts& texts) {
    if (texts.size() > kMaxValueTextsPerCharacteristic)
        return Error::badInput(spec.name + " has more than " +
                               std::to_string(kMaxValueTextsPerCharacteristic) + " value texts");
    std::vector<std::pair<ValueRange, std::string>> ranges;
    for (const auto& [key, text] : texts) {
        const std::string what = "the reason text of " + spec.name + " for '" + shortKey(key) + "'";
        if (auto ok = checkReasonText(text, what); !ok) return ok;
        if (spec.type == ColumnType::Categorical) {
            if (spec.levelCode(key) < 0)
                return Error::badInput("'" + shortKey(key) + "' is not a level of " + spec.name);
            continue;
        }
        if (spec.type != ColumnType::Numeric)
            return Error::badInput(spec.name + " is neither numeric nor categorical");
        const auto range = parseValueRange(key);
        if (!range)
            return Error::badInput("'" + shortKey(key) + "' is not a range of " + spec.name +
                                   " (write LO..HI for LO <= x < HI, e.g. 0..12 or 48..)");
        ranges.emplace_back(*range, key);
    }
    // Overlapping ranges would make the text depend on the order of the keys.
    std::sort(ranges.begin(), ranges.end(),
              [](const auto& a, const auto& b) { return a.first.lo < b.first.lo; });
    for (std::size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].first.lo < ranges[i - 1].first.hi)
            return Error::badInput("the ranges '" + shortKey(ranges[i - 1].second) + "' and '" +
                                   shortKey(ranges[i].second) + "' of " + spec.name + " overlap");
    return {};
}

const std::string* valueText(const ColumnSpec& spec, const ValueTexts& texts, float encoded) {
    if (texts.empty() || std::isnan(encoded)) return nullptr;
    if (spec.type == ColumnType::Categorical) {
        const auto code = static_cast<std::size_t>(encoded);
        if (encoded < 0 || code >= spec.levels.size()) return nullptr;
        const auto it = texts.find(spec.levels[code]);
        return it == texts.end() ? nullptr : &it->second;
    }
    for (const auto& [key, text] : texts)
        if (const auto range = parseValueRange(key); range && range->contains(encoded))
            return &text;
    return nullptr;
}

const std::string* valueTextOf(const ColumnSpec& spec, const ValueTexts& texts,
                               std::string_view value) {
    if (spec.type == ColumnType::Categorical) {
        const int code = spec.levelCode(value);
        return code < 0 ? nullptr : valueText(spec, texts, static_cast<float>(code));
    }
    double x = 0.0;
    if (parseNumber(value, '.', x) != NumberStatus::Ok) return nullptr;
    return valueText(spec, texts, static_cast<float>(x));
}

nlohmann::json reasonsToJson(const ReasonTextTable& table) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [feature, text] : table.texts)
        out[feature] = text;
    for (const auto& [feature, values] : table.valueTexts) {
        if (values.empty()) continue;
        // A characteristic with value texts is written as an object; without, as a plain
        // string, so bundles without value texts keep the reasons.json of earlier versions.
        nlohmann::json entry = {{"values", values}};
        if (auto it = table.texts.find(feature); it != table.texts.end())
            entry["text"] = it->second;
        out[feature] = std::move(entry);
    }
    return out;
}

Result<ReasonTextTable> reasonsFromJson(const nlohmann::json& json, const Schema& schema) {
    if (!json.is_object()) return Error::badInput("not a JSON object");
    ReasonTextTable table;
    for (const auto& [feature, value] : json.items()) {
        const std::string what = "the reason text of '" + shortKey(feature) + "'";
        if (value.is_string()) {
            // An empty text means none (the label is used), as in earlier versions.
            if (value.get<std::string>().empty()) continue;
            if (auto ok = checkReasonText(value.get<std::string>(), what); !ok) return ok.error();
            table.texts[feature] = value.get<std::string>();
            continue;
        }
        if (!value.is_object()) return Error::badInput(what + " is neither text nor an object");
        for (const auto& [key, part] : value.items())
            if (key != "text" && key != "values")
                return Error::badInput(what + " has an unknown key \"" + shortKey(key) + "\"");
        if (value.contains("text")) {
            if (!value["text"].is_string()) return Error::badInput(what + " is not text");
            if (auto ok = checkReasonText(value["text"].get<std::string>(), what); !ok)
                return ok.error();
            table.texts[feature] = value["text"].get<std::string>();
        }
        if (!value.contains("values")) continue;
        const nlohmann::json& values = value["values"];
        if (!values.is_object())
            return Error::badInput("the value texts of '" + shortKey(feature) +
                                   "' are not an object");
        const ColumnSpec* spec = schema.find(feature);
        if (!spec || spec->role != ColumnRole::Feature)
            return Error::badInput("value texts for '" + shortKey(feature) +
                                   "', which is not a characteristic of the model");
        if (values.size() > kMaxValueTextsPerCharacteristic)
            return Error::badInput(spec->name + " has more than " +
                                   std::to_string(kMaxValueTextsPerCharacteristic) +
                                   " value texts");
        ValueTexts texts;
        for (const auto& [key, text] : values.items()) {
            if (!text.is_string())
                return Error::badInput("the reason text of " + spec->name + " for '" +
                                       shortKey(key) + "' is not text");
            texts[key] = text.get<std::string>();
        }
        if (auto ok = checkValueTexts(*spec, texts); !ok) return ok.error();
        table.valueTexts[feature] = std::move(texts);
    }
    return table;
}

}  // namespace cwb
