#pragma once
// The "Validation gate" section of the validation report for a registered model (issue 12):
// every check of the registry's latest validation with its figure, threshold and verdict, and
// the approver's written justification beside each failed figure. It reads what the registry
// stored (store::Registry::show(), passed as its JSON so that report/ needs no store), so the
// report shows the figures the approval was given on, not figures computed again.

#include <nlohmann/json.hpp>

#include "report/ReportDocument.h"

namespace cwb {

// Inserts the section before the report's closing "Approval" section (at the end without one)
// and names the registry version and its signature state in the identity's "Approvals" line.
// reportDataSha256: the data the rest of the report was computed on; a validation stored for
// another file is said so.
void insertValidationGateSection(ReportDocument& document, const nlohmann::json& shown,
                                 const std::string& reportDataSha256);

}  // namespace cwb
