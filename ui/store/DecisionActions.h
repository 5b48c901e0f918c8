#pragma once
// The Applicant view's Record decision and Override actions, through core: the signed-in user
// is the actor, core checks the role (analyst or loan officer to record, loan officer to
// override) and audits what it records.

#include <QString>

#include <cstdint>
#include <map>
#include <string>

#include "common/Result.h"
#include "scoring/ModelBundle.h"
#include "scoring/Scorer.h"

namespace cwb::ui {

class StoreSession;

// Records the scored applicant as a decision (source "gui"); returns its id. `bundlePath` is
// hashed (SHA-256) so the record names the exact model file.
Result<std::int64_t> recordDecision(StoreSession& session, const ModelBundle& bundle,
                                    const QString& bundlePath,
                                    const std::map<std::string, std::string>& values,
                                    const ScoreResult& result, const QString& applicantId);

Result<std::int64_t> overrideDecision(StoreSession& session, std::int64_t decisionId,
                                      const QString& newDecision, const QString& reasonCode,
                                      const QString& comment);

}  // namespace cwb::ui
