#pragma once
// Report exports made in the GUI with a store (decision 36): recorded in the audit trail as
// `report_exported`, as `cwb report ... --store` records them, by the signed-in user.

#include <QPointer>
#include <QString>

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/Result.h"

namespace cwb::ui {

class StoreSession;

// For ReportPreviewDialog::setOnSaved: after each save appends `report_exported` with
// details() (asked then: figures known once the report is made) plus the format ("pdf" /
// "xlsx"). Refuses (nothing appended) when the session has
// no store or nobody signed in any more: the export then is not governed and says so.
std::function<Result<void>(const QString& path, bool xlsx)> reportExportAudit(
    QPointer<StoreSession> session, std::function<nlohmann::json()> details);

}  // namespace cwb::ui
