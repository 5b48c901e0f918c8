#pragma once
// Writes a ReportDocument's tables as an Excel workbook through libxlsxwriter: one sheet per
// table, real numbers and percentages with number formats (so the figures can be worked on),
// the header row frozen. A first sheet "Report" names the report, its subject and date, and
// lists its key figures.

#include <string>

#include "common/Result.h"
#include "report/ReportDocument.h"

namespace cwb::render {

// Writes to a temporary file next to `path`, renamed on success. Failure names the path.
Result<int> writeXlsx(const ReportDocument& document, const std::string& path);  // sheets

// A valid, unique sheet name: no []:*?/\ characters, at most 31 characters.
std::string sheetName(const std::string& wanted, const std::vector<std::string>& taken);

}  // namespace cwb::render
