#pragma once
// Cutoffs and scaling are part of a model's policy: each change for a model makes a new policy
// version, recorded as one JSON line in a log (model, bundle version, version number, cutoffs,
// scaling, who, when, from where). Version 1 is the bundle's own policy. The record carries
// what an audit needs, so the governance store can take the log over and restrict who may
// change it once it exists.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/Result.h"
#include "scoring/DecisionPolicy.h"
#include "scoring/ModelBundle.h"
#include "scoring/ScoreScaling.h"

namespace cwb {

struct PolicyVersion {
    std::string model;         // bundle name
    std::string modelVersion;  // bundle version
    int version = 1;           // 1: the bundle's own policy
    DecisionPolicy policy;
    ScoreScaling scaling;
    std::string source;     // "model" (the bundle's own) or "settings"
    std::string changedBy;  // login name; empty for version 1
    std::string changedAt;  // ISO 8601 UTC; empty for version 1

    nlohmann::json toJson() const;
    static Result<PolicyVersion> fromJson(const nlohmann::json& json);
    bool samePolicy(const DecisionPolicy& p, const ScoreScaling& s) const;
};

class PolicyLog {
public:
    explicit PolicyLog(std::string path) : m_path(std::move(path)) {}
    const std::string& path() const { return m_path; }

    // Every version recorded for the bundle (same name and version), oldest first, starting
    // with version 1, the bundle's own policy (recorded or not). A line that cannot be read
    // makes the log unusable (BadInput, naming the file and line): a policy record is never
    // guessed.
    Result<std::vector<PolicyVersion>> versions(const ModelBundle& bundle) const;

    // The version in force for the bundle with these cutoffs and scaling: the latest recorded
    // one when it holds them, else a new version appended to the log (who, when and source as
    // given). Back to the bundle's own values is a new version too: the log is a history.
    Result<PolicyVersion> apply(const ModelBundle& bundle, const DecisionPolicy& policy,
                                const ScoreScaling& scaling, const std::string& source,
                                const std::string& changedBy, const std::string& changedAt);

private:
    std::string m_path;
};

}  // namespace cwb
