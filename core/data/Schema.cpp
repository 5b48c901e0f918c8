#include "data/Schema.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "data/CsvReader.h"
#include "data/TextUtil.h"

namespace cwb {

namespace {

constexpr const char* kFormat = "cwb-schema";
constexpr int kVersion = 1;

constexpr std::array<std::pair<ColumnType, const char*>, 6> kTypeNames{{
    {ColumnType::Numeric, "numeric"},
    {ColumnType::Categorical, "categorical"},
    {ColumnType::Identifier, "identifier"},
    {ColumnType::Date, "date"},
    {ColumnType::Text, "text"},
    {ColumnType::Constant, "constant"},
}};

constexpr std::array<std::pair<ColumnRole, const char*>, 6> kRoleNames{{
    {ColumnRole::Feature, "feature"},
    {ColumnRole::Target, "target"},
    {ColumnRole::Id, "id"},
    {ColumnRole::Protected, "protected"},
    {ColumnRole::Excluded, "excluded"},
    {ColumnRole::Pii, "pii"},
}};

template <class Names>
std::string allNames(const Names& names) {
    std::string out;
    for (const auto& [value, name] : names) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

using json = nlohmann::json;

// Hand-edited schemas write numbers where text is meant ("bad_value": 1); both are accepted.
std::optional<std::string> scalarText(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_integer()) return std::to_string(value.get<long long>());
    if (value.is_number()) {
        std::ostringstream out;
        out << value.get<double>();
        return out.str();
    }
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    return std::nullopt;
}

// Shortest text that reads back as the same number ("0", "2.5", "1e+20").
std::string numberText(double x) {
    std::ostringstream out;
    out.precision(15);
    out << x;
    return out.str();
}

json finiteOrNull(double x) {
    return std::isfinite(x) ? json(x) : json(nullptr);
}

Result<ColumnSpec> columnFromJson(const json& j, std::size_t index) {
    std::string where = "column " + std::to_string(index + 1);
    if (!j.is_object()) return Error::badInput(where + " is not a JSON object");
    if (!j.contains("name") || !j["name"].is_string() || j["name"].get<std::string>().empty()) {
        return Error::badInput(where + " has no \"name\" (a non-empty string)");
    }
    ColumnSpec spec;
    spec.name = j["name"].get<std::string>();
    where += " ('" + spec.name + "')";

    static const std::set<std::string> known{
        "name",           "type",          "role",      "label",       "levels",
        "level_labels",   "allow_missing", "min",       "max",         "missing_rate",
        "distinct_count", "valid_min",     "valid_max", "integer_only"};
    for (const auto& item : j.items()) {
        // A misspelt key would otherwise be dropped silently and its setting lost.
        if (!known.count(item.key())) {
            return Error::badInput(where + ": unknown key \"" + item.key() + "\"");
        }
    }

    const std::string typeText = j.value("type", std::string{});
    const auto type = columnTypeFromString(typeText);
    if (!type) {
        return Error::badInput(where + ": unknown type '" + typeText +
                               "' (expected one of: " + allNames(kTypeNames) + ")");
    }
    spec.type = *type;
    const std::string roleText = j.value("role", std::string{});
    const auto role = columnRoleFromString(roleText);
    if (!role) {
        return Error::badInput(where + ": unknown role '" + roleText +
                               "' (expected one of: " + allNames(kRoleNames) + ")");
    }
    spec.role = *role;

    if (j.contains("label")) {
        if (!j["label"].is_string()) return Error::badInput(where + ": \"label\" is not text");
        spec.label = j["label"].get<std::string>();
    }
    if (j.contains("levels")) {
        if (!j["levels"].is_array()) return Error::badInput(where + ": \"levels\" is not a list");
        std::set<std::string> seen;
        for (const json& level : j["levels"]) {
            auto levelText = scalarText(level);
            if (!levelText) return Error::badInput(where + ": a level is not text or a number");
            if (!seen.insert(*levelText).second) {
                return Error::badInput(where + ": level '" + *levelText + "' is listed twice");
            }
            spec.levels.push_back(std::move(*levelText));
        }
    }
    if (j.contains("level_labels")) {
        if (!j["level_labels"].is_object()) {
            return Error::badInput(where + ": \"level_labels\" is not an object");
        }
        for (const auto& item : j["level_labels"].items()) {
            if (!item.value().is_string()) {
                return Error::badInput(where + ": the label of level '" + item.key() +
                                       "' is not text");
            }
            spec.levelLabels[item.key()] = item.value().get<std::string>();
        }
    }
    if (j.contains("allow_missing")) {
        if (!j["allow_missing"].is_boolean()) {
            return Error::badInput(where + ": \"allow_missing\" is not true or false");
        }
        spec.allowMissing = j["allow_missing"].get<bool>();
    }
    for (auto [key, target] : {std::pair<const char*, double*>{"min", &spec.min},
                               {"max", &spec.max},
                               {"missing_rate", &spec.missingRate}}) {
        if (!j.contains(key) || j[key].is_null()) continue;
        if (!j[key].is_number())
            return Error::badInput(where + ": \"" + key + "\" is not a number");
        *target = j[key].get<double>();
    }
    for (auto [key, target] :
         {std::pair<const char*, std::optional<double>*>{"valid_min", &spec.validMin},
          {"valid_max", &spec.validMax}}) {
        if (!j.contains(key) || j[key].is_null()) continue;
        // A bound that is not a finite number would refuse everything or nothing.
        if (!j[key].is_number() || !std::isfinite(j[key].get<double>()))
            return Error::badInput(where + ": \"" + key + "\" is not a finite number");
        *target = j[key].get<double>();
    }
    if (j.contains("integer_only")) {
        if (!j["integer_only"].is_boolean())
            return Error::badInput(where + ": \"integer_only\" is not true or false");
        spec.integerOnly = j["integer_only"].get<bool>();
    }
    if (spec.hasValidRange() && spec.type != ColumnType::Numeric)
        return Error::badInput(where + ": a valid range is given, but the column is not numeric");
    if (spec.validMin && spec.validMax && *spec.validMin > *spec.validMax)
        return Error::badInput(where + ": \"valid_min\" " + numberText(*spec.validMin) +
                               " is above \"valid_max\" " + numberText(*spec.validMax));
    if (j.contains("distinct_count")) {
        if (!j["distinct_count"].is_number_unsigned()) {
            return Error::badInput(where + ": \"distinct_count\" is not a count");
        }
        spec.distinctCount = j["distinct_count"].get<std::size_t>();
    }
    return spec;
}

}  // namespace

std::string toString(ColumnType type) {
    for (const auto& [value, name] : kTypeNames) {
        if (value == type) return name;
    }
    return "numeric";
}

std::string toString(ColumnRole role) {
    for (const auto& [value, name] : kRoleNames) {
        if (value == role) return name;
    }
    return "feature";
}

std::optional<ColumnType> columnTypeFromString(const std::string& text) {
    for (const auto& [value, name] : kTypeNames) {
        if (text::iequals(text::trim(text), name)) return value;
    }
    return std::nullopt;
}

std::optional<ColumnRole> columnRoleFromString(const std::string& text) {
    for (const auto& [value, name] : kRoleNames) {
        if (text::iequals(text::trim(text), name)) return value;
    }
    return std::nullopt;
}

std::string ColumnSpec::validRangeText() const {
    std::string out;
    if (validMin && validMax)
        out = numberText(*validMin) + " to " + numberText(*validMax);
    else if (validMin)
        out = ">= " + numberText(*validMin);
    else if (validMax)
        out = "<= " + numberText(*validMax);
    if (integerOnly) out += out.empty() ? "whole numbers" : ", whole numbers";
    return out.empty() ? "any number" : out;
}

std::string ColumnSpec::validRangeProblem(double value) const {
    if (inValidRange(value)) return {};
    return "value " + numberText(value) + " is outside the valid range of " + name + ": " +
           validRangeText();
}

void ColumnSpec::inferValidRange(double trainingMin, bool allWhole) {
    validMin.reset();
    validMax.reset();
    if (trainingMin >= 0.0) validMin = 0.0;
    integerOnly = allWhole;
}

int ColumnSpec::levelCode(std::string_view level) const {
    for (std::size_t i = 0; i < levels.size(); ++i) {
        if (levels[i] == level) return static_cast<int>(i);
    }
    return -1;
}

int Schema::indexOf(std::string_view name) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

const ColumnSpec* Schema::find(std::string_view name) const {
    const int i = indexOf(name);
    return i < 0 ? nullptr : &columns[static_cast<std::size_t>(i)];
}

ColumnSpec* Schema::find(std::string_view name) {
    const int i = indexOf(name);
    return i < 0 ? nullptr : &columns[static_cast<std::size_t>(i)];
}

std::vector<const ColumnSpec*> Schema::features() const {
    std::vector<const ColumnSpec*> out;
    for (const ColumnSpec& c : columns) {
        if (c.role == ColumnRole::Feature &&
            (c.type == ColumnType::Numeric || c.type == ColumnType::Categorical)) {
            out.push_back(&c);
        }
    }
    return out;
}

std::vector<std::string> Schema::featureNames() const {
    std::vector<std::string> out;
    for (const ColumnSpec* c : features())
        out.push_back(c->name);
    return out;
}

const ColumnSpec* Schema::idColumn() const {
    for (const ColumnSpec& c : columns) {
        if (c.role == ColumnRole::Id) return &c;
    }
    return nullptr;
}

nlohmann::json Schema::toJson() const {
    json cols = json::array();
    for (const ColumnSpec& c : columns) {
        json level_labels = json::object();
        for (const auto& [level, text] : c.levelLabels)
            level_labels[level] = text;
        cols.push_back({
            {"name", c.name},
            {"type", toString(c.type)},
            {"role", toString(c.role)},
            {"label", c.label},
            {"levels", c.levels},
            {"level_labels", level_labels},
            {"allow_missing", c.allowMissing},
            {"min", finiteOrNull(c.min)},
            {"max", finiteOrNull(c.max)},
            {"missing_rate", finiteOrNull(c.missingRate)},
            {"distinct_count", c.distinctCount},
        });
        // Written only where set, so a schema without valid ranges stays as it was.
        if (c.validMin) cols.back()["valid_min"] = *c.validMin;
        if (c.validMax) cols.back()["valid_max"] = *c.validMax;
        if (c.integerOnly) cols.back()["integer_only"] = true;
    }
    return json{{"format", kFormat},
                {"version", kVersion},
                {"target", target},
                {"bad_value", badValue},
                {"columns", cols}};
}

Result<Schema> Schema::fromJson(const nlohmann::json& j) {
    try {
        if (!j.is_object()) return Error::badInput("the schema is not a JSON object");
        if (j.contains("format") && j["format"] != kFormat) {
            return Error::badInput("not a schema: \"format\" is " + j["format"].dump() +
                                   ", expected \"" + kFormat + "\"");
        }
        if (j.contains("version")) {
            if (!j["version"].is_number_integer() || j["version"].get<int>() > kVersion) {
                return Error::badInput("the schema's version " + j["version"].dump() +
                                       " is newer than this program reads (" +
                                       std::to_string(kVersion) + ")");
            }
        }
        if (!j.contains("columns") || !j["columns"].is_array()) {
            return Error::badInput("the schema has no \"columns\" list");
        }
        Schema schema;
        std::set<std::string> names;
        const json& cols = j["columns"];
        for (std::size_t i = 0; i < cols.size(); ++i) {
            auto spec = columnFromJson(cols[i], i);
            if (!spec) return spec.error();
            if (!names.insert(spec->name).second) {
                return Error::badInput("the schema names column '" + spec->name +
                                       "' more than once");
            }
            schema.columns.push_back(std::move(spec.value()));
        }
        if (j.contains("target") && !j["target"].is_null()) {
            if (!j["target"].is_string()) return Error::badInput("\"target\" is not text");
            schema.target = j["target"].get<std::string>();
        }
        if (j.contains("bad_value")) {
            auto bad = scalarText(j["bad_value"]);
            if (!bad) return Error::badInput("\"bad_value\" is not text or a number");
            schema.badValue = std::move(*bad);
        }
        if (!schema.target.empty() && !schema.find(schema.target)) {
            return Error::badInput("the schema's target '" + schema.target +
                                   "' is not one of its columns");
        }
        return schema;
    } catch (const json::exception& e) {
        // Checks above cover the expected shapes; this turns any other type mismatch into a
        // message instead of an escaped exception.
        return Error::badInput(std::string("the schema is malformed: ") + e.what());
    }
}

Result<void> Schema::save(const std::string& path) const {
    return text::writeFileAtomically(
        path, toJson().dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

Result<Schema> Schema::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::badInput("cannot open schema '" + path + "'");
    std::ostringstream content;
    content << in.rdbuf();
    json j;
    try {
        j = json::parse(content.str());
    } catch (const json::parse_error& e) {
        return Error::badInput("'" + path + "' is not valid JSON: " + e.what());
    }
    auto schema = fromJson(j);
    if (!schema) return Error::badInput("'" + path + "': " + schema.error().message);
    return schema;
}

bool isMissingToken(std::string_view field) {
    field = text::trim(field);
    switch (field.size()) {
        case 0:
            return true;
        case 1:
            return field[0] == '?';
        case 2:
            return text::iequals(field, "NA");
        case 3:
            return text::iequals(field, "N/A");
        case 4:
            return text::iequals(field, "null");
        default:
            return false;
    }
}

}  // namespace cwb
