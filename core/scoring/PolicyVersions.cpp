#include "scoring/PolicyVersions.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cwb {

namespace {

constexpr std::size_t kMaxLineBytes = 64 * 1024;  // one record is a few hundred bytes
constexpr std::size_t kMaxLines = 1000000;        // a log this long is not a policy history

bool same(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(a));
}

PolicyVersion own(const ModelBundle& bundle) {
    PolicyVersion v;
    v.model = bundle.name;
    v.modelVersion = bundle.version;
    v.version = 1;
    v.policy = bundle.policy;
    v.scaling = bundle.scaling;
    v.source = "model";
    return v;
}

}  // namespace

nlohmann::json PolicyVersion::toJson() const {
    return {{"model", model},
            {"model_version", modelVersion},
            {"policy_version", version},
            {"policy", policy.toJson()},
            {"scaling", scaling.toJson()},
            {"source", source},
            {"changed_by", changedBy},
            {"changed_at", changedAt}};
}

Result<PolicyVersion> PolicyVersion::fromJson(const nlohmann::json& j) {
    if (!j.is_object()) return Error::badInput("a policy record is not a JSON object");
    PolicyVersion v;
    try {
        v.model = j.at("model").get<std::string>();
        v.modelVersion = j.at("model_version").get<std::string>();
        v.version = j.at("policy_version").get<int>();
        v.source = j.at("source").get<std::string>();
        v.changedBy = j.at("changed_by").get<std::string>();
        v.changedAt = j.at("changed_at").get<std::string>();
    } catch (const nlohmann::json::exception& e) {
        return Error::badInput(std::string("a policy record lacks a field: ") + e.what());
    }
    auto policy = DecisionPolicy::fromJson(j.at("policy"));
    if (!policy) return policy.error();
    auto scaling = ScoreScaling::fromJson(j.at("scaling"));
    if (!scaling) return scaling.error();
    v.policy = *policy;
    v.scaling = *scaling;
    if (v.version < 1) return Error::badInput("a policy record has a version below 1");
    return v;
}

bool PolicyVersion::samePolicy(const DecisionPolicy& p, const ScoreScaling& s) const {
    return same(policy.approveFrom, p.approveFrom) && same(policy.declineBelow, p.declineBelow) &&
           same(scaling.basePoints, s.basePoints) && same(scaling.baseOdds, s.baseOdds) &&
           same(scaling.pdo, s.pdo);
}

Result<std::vector<PolicyVersion>> PolicyLog::versions(const ModelBundle& bundle) const {
    std::vector<PolicyVersion> out{own(bundle)};
    std::ifstream in(m_path, std::ios::binary);
    if (!in) return out;  // no log yet: only the bundle's own policy
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (number > kMaxLines || line.size() > kMaxLineBytes)
            return Error::badInput("policy log '" + m_path + "' line " + std::to_string(number) +
                                   ": too long for a policy history");
        if (line.empty()) continue;
        const auto json = nlohmann::json::parse(line, nullptr, false);
        if (json.is_discarded())
            return Error::badInput("policy log '" + m_path + "' line " + std::to_string(number) +
                                   ": not JSON");
        auto v = PolicyVersion::fromJson(json);
        if (!v)
            return Error::badInput("policy log '" + m_path + "' line " + std::to_string(number) +
                                   ": " + v.error().message);
        if (v->model != bundle.name || v->modelVersion != bundle.version) continue;
        if (v->version == 1) continue;  // the bundle's own, already first
        out.push_back(std::move(*v));
    }
    return out;
}

Result<PolicyVersion> PolicyLog::apply(const ModelBundle& bundle, const DecisionPolicy& policy,
                                       const ScoreScaling& scaling, const std::string& source,
                                       const std::string& changedBy, const std::string& changedAt) {
    auto all = versions(bundle);
    if (!all) return all.error();
    const PolicyVersion& latest = all->back();
    if (latest.samePolicy(policy, scaling)) return latest;
    PolicyVersion next;
    next.model = bundle.name;
    next.modelVersion = bundle.version;
    next.version = latest.version + 1;
    next.policy = policy;
    next.scaling = scaling;
    next.source = source;
    next.changedBy = changedBy;
    next.changedAt = changedAt;
    std::ofstream out(m_path, std::ios::binary | std::ios::app);
    if (!out) return Error::failure("cannot write the policy log '" + m_path + "'");
    out << next.toJson().dump() << '\n';
    out.flush();
    if (!out) return Error::failure("cannot write the policy log '" + m_path + "'");
    return next;
}

}  // namespace cwb
