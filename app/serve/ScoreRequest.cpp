#include "ScoreRequest.h"

#include <algorithm>
#include <vector>

namespace cwb::serve {

namespace {

struct Refusal {
    long index = -1;  // position in an array request; -1 for a single object
    std::string field;
    std::string reason;
};

nlohmann::json refusalJson(const Refusal& r) {
    nlohmann::json j = {{"field", r.field}, {"reason", r.reason}};
    if (r.index >= 0) j["index"] = r.index;
    return j;
}

// One applicant's values by column name, read as `cwb explain --record` reads them (numbers by
// their JSON text, null as a missing value), or the first thing wrong with it.
bool readApplicant(const ServedModel& model, const nlohmann::json& applicant,
                   std::map<std::string, std::string>& values, Refusal& refusal, bool needsId) {
    if (!applicant.is_object()) {
        refusal.reason = "an applicant must be a JSON object of characteristic: value";
        return false;
    }
    const Schema& schema = model.bundle->schema;
    for (const auto& [key, value] : applicant.items()) {
        if (!schema.find(key)) {
            refusal.field = key;
            refusal.reason = "unknown field: not a column of the model's input schema";
            return false;
        }
        if (value.is_null())
            values[key] = "";
        else if (value.is_string())
            values[key] = value.get<std::string>();
        else if (value.is_number())
            values[key] = value.dump();
        else {
            refusal.field = key;
            refusal.reason = "wrong type: must be a number, text or null";
            return false;
        }
    }
    for (const std::string& name : model.featureNames)
        if (!values.count(name)) {
            refusal.field = name;
            refusal.reason =
                "missing field: every model input must be given (null for a "
                "missing value)";
            return false;
        }
    if (needsId) {
        const ColumnSpec* id = schema.idColumn();
        auto it = id ? values.find(id->name) : values.end();
        if (id && (it == values.end() || it->second.empty() || it->second.size() > 256)) {
            refusal.field = id->name;
            refusal.reason =
                it == values.end() || it->second.empty()
                    ? "missing field: the service records decisions (--store) and needs the "
                      "applicant's id"
                    : "the applicant's id is longer than 256 characters";
            return false;
        }
    }
    return true;
}

}  // namespace

nlohmann::json errorBody(const std::string& message, const std::string& field,
                         const std::string& reason) {
    nlohmann::json body = {{"error", message}};
    if (!field.empty()) body["field"] = field;
    if (!reason.empty()) body["reason"] = reason;
    return body;
}

ScoreOutcome scoreBody(const ServedModel& model, std::string_view body, const ScoreLimits& limits) {
    ScoreOutcome outcome;
    const auto refuse = [&](nlohmann::json json) {
        outcome.status = 400;
        outcome.body = std::move(json);
        return outcome;
    };
    // The parser is iterative (no recursion to overflow); nesting is bounded anyway, since no
    // valid request nests deeper than array > object > value.
    bool tooDeep = false;
    const nlohmann::json::parser_callback_t depthGuard =
        [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
            if ((event == nlohmann::json::parse_event_t::object_start ||
                 event == nlohmann::json::parse_event_t::array_start) &&
                depth >= limits.maxDepth) {
                tooDeep = true;
                return false;
            }
            return true;
        };
    nlohmann::json request = nlohmann::json::parse(body.begin(), body.end(), depthGuard, false);
    if (tooDeep)
        return refuse(
            errorBody("invalid request", "",
                      "JSON nested deeper than " + std::to_string(limits.maxDepth) + " levels"));
    if (request.is_discarded())
        return refuse(errorBody("invalid JSON", "", "the body is not a JSON document"));
    const bool batch = request.is_array();
    if (!batch && !request.is_object())
        return refuse(errorBody("invalid request", "",
                                "the body must be one applicant (a JSON object) or an array of "
                                "them"));
    if (batch && request.empty())
        return refuse(errorBody("invalid request", "", "the array holds no applicant"));
    if (batch && request.size() > limits.maxBatch)
        return refuse(errorBody("too many applicants", "",
                                "at most " + std::to_string(limits.maxBatch) +
                                    " applicants per request, got " +
                                    std::to_string(request.size())));

    const std::size_t count = batch ? request.size() : 1;
    outcome.applicants = count;
    const ColumnSpec* idColumn = model.bundle->schema.idColumn();
    std::vector<Refusal> refusals;
    std::size_t refusedCount = 0;
    std::vector<float> row(model.encoder->featureCount());
    std::vector<std::string_view> fields(model.featureNames.size());
    nlohmann::json results = nlohmann::json::array();
    for (std::size_t i = 0; i < count; ++i) {
        const nlohmann::json& applicant = batch ? request[i] : request;
        std::map<std::string, std::string> values;
        Refusal refusal;
        refusal.index = batch ? static_cast<long>(i) : -1;
        bool ok = readApplicant(model, applicant, values, refusal, limits.forRecording);
        if (ok) {
            for (std::size_t j = 0; j < model.featureNames.size(); ++j)
                fields[j] = values.find(model.featureNames[j])->second;
            RejectedRow reject;
            ok = model.encoder->encode(fields, row.data(), reject);
            if (!ok) {
                refusal.field = reject.column;
                refusal.reason = reject.reason;
            }
        }
        if (!ok) {
            ++refusedCount;
            if (refusals.size() < limits.maxErrors) refusals.push_back(std::move(refusal));
            continue;
        }
        if (!refusals.empty()) continue;  // the request is refused: no need to score the rest
        ScoreResult result = model.scorer->explain(row.data(), limits.reasons);
        nlohmann::json json = result.toJson(model.featureNames);
        if (idColumn) {
            auto it = applicant.find(idColumn->name);
            if (it != applicant.end()) json["id"] = *it;
        }
        json["model"] = model.identity;
        ++outcome.decisions[json["decision"].get<std::string>()];
        results.push_back(std::move(json));
        if (limits.forRecording) outcome.scored.push_back({std::move(values), std::move(result)});
    }
    if (!refusals.empty()) {
        const Refusal& first = refusals.front();
        nlohmann::json json = errorBody(
            batch ? "applicant " + std::to_string(first.index) + " refused" : "applicant refused",
            first.field, first.reason);
        if (first.index >= 0) json["index"] = first.index;
        if (batch) {
            nlohmann::json list = nlohmann::json::array();
            for (const Refusal& r : refusals)
                list.push_back(refusalJson(r));
            json["errors"] = std::move(list);
            json["refused"] = refusedCount;
        }
        outcome.decisions.clear();
        outcome.scored.clear();
        return refuse(std::move(json));
    }
    if (batch)
        outcome.body = {{"model", model.identity}, {"results", std::move(results)}};
    else
        outcome.body = std::move(results[0]);
    return outcome;
}

}  // namespace cwb::serve
