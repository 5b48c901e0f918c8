#include "ui/store/ReportExportAudit.h"

#include "ui/store/StoreSession.h"

namespace cwb::ui {

std::function<Result<void>(const QString&, bool)> reportExportAudit(
    QPointer<StoreSession> session, std::function<nlohmann::json()> details) {
    return [session, details](const QString&, bool xlsx) -> Result<void> {
        // The session may have closed the store or signed out since the report was made.
        if (!session || !session->isOpen() || !session->signedIn())
            return Error::badInput("the store was closed or you signed out; sign in again");
        nlohmann::json entry = details();
        entry["format"] = xlsx ? "xlsx" : "pdf";
        auto logged =
            session->store()->audit().append(session->actor()->name, "report_exported", entry);
        if (!logged) return logged.error();
        return {};
    };
}

}  // namespace cwb::ui
