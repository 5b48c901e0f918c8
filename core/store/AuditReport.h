#pragma once
// The audit extract (`cwb report audit`): the audit entries a filter selects, with the result of
// verifying the whole chain, laid out as a ReportDocument for the PDF and Excel renderers.
// Reading the trail needs the role compliance or admin; the check is made here, in the engine,
// so every caller (command line, GUI) gets the same refusal.

#include <cstddef>
#include <string>
#include <vector>

#include "common/Result.h"
#include "report/ReportDocument.h"
#include "store/AuditLog.h"
#include "store/Roles.h"

namespace cwb::store {

class Store;

// An extract bigger than this is refused (narrow it with the filters): a report of more pages
// than anyone reads is no extract.
inline constexpr std::size_t kMaxAuditReportEntries = 20000;

struct AuditReportRequest {
    AuditFilter filter;    // from/to: ISO 8601 date or UTC time (checked by checkAuditTime)
    std::string keptHead;  // a head hash kept elsewhere (optional): also detects a rewrite
};

struct AuditReport {
    AuditReportRequest request;
    std::vector<AuditEntry> entries;  // the selected entries, in sequence order
    ChainCheck chain;                 // verification of the whole chain, not just the extract
    std::string storeId;
    std::string storePath;
    std::string generatedBy;  // the acting user
    std::string generatedAt;  // UTC
};

// BadInput unless `time` is empty or an ISO 8601 date (2026-12-01) or UTC time
// (2026-12-01T09:30, 2026-12-01T09:30:00, ...Z, ...000Z).
Result<void> checkAuditTime(const std::string& time, const char* what);

// Needs Action::ReadAudit. Verifies the chain and reads the filtered entries (at most
// kMaxAuditReportEntries, else BadInput naming the count).
Result<AuditReport> buildAuditReport(Store& store, const Actor& actor,
                                     const AuditReportRequest& request);

// Sections: the extract (store, who, when, filters), chain verification (a broken chain is a
// highlighted finding naming the first broken entry), entries by event, and the entries.
ReportDocument auditDocument(const AuditReport& report);

}  // namespace cwb::store
