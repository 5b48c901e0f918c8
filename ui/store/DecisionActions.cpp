#include "ui/store/DecisionActions.h"

#include "common/Hash.h"
#include "store/RecordScore.h"
#include "ui/store/StoreSession.h"

namespace cwb::ui {

Result<std::int64_t> recordDecision(StoreSession& session, const ModelBundle& bundle,
                                    const QString& bundlePath,
                                    const std::map<std::string, std::string>& values,
                                    const ScoreResult& result, const QString& applicantId) {
    if (!session.isOpen()) return Error::badInput("no store is open");
    if (!session.signedIn()) return Error::badInput("sign in first (File > Sign in)");
    if (bundlePath.isEmpty()) return Error::badInput("the model has no file to identify it by");
    auto sha = sha256OfFile(bundlePath.toStdString());
    if (!sha) return sha.error();
    auto input = store::makeDecisionInput(bundle, *sha, values, result,
                                          applicantId.trimmed().toStdString(), "gui");
    if (!input) return input.error();
    return session.store()->decisions().record(*session.actor(), *input);
}

Result<std::int64_t> overrideDecision(StoreSession& session, std::int64_t decisionId,
                                      const QString& newDecision, const QString& reasonCode,
                                      const QString& comment) {
    if (!session.isOpen()) return Error::badInput("no store is open");
    if (!session.signedIn()) return Error::badInput("sign in first (File > Sign in)");
    return session.store()->decisions().override(*session.actor(), decisionId,
                                                 newDecision.toStdString(),
                                                 reasonCode.toStdString(), comment.toStdString());
}

}  // namespace cwb::ui
