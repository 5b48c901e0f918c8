#pragma once
// Draws a ReportDocument as an A4 PDF with QPdfWriter: a header naming the subject and date on
// every page, "Page i of n" footers, tables that continue across pages with their header row
// repeated, charts drawn into the page and selectable text. Needs a QGuiApplication
// (RenderSession on the command line).

#include <string>

#include "common/Progress.h"
#include "common/Result.h"
#include "report/ReportDocument.h"

namespace cwb::render {

struct PdfInfo {
    int pages = 0;
};

// Writes to a temporary file next to `path` and renames it on success, so a failed or
// cancelled run leaves no half-written report. Failure names the path.
Result<PdfInfo> writePdf(const ReportDocument& document, const std::string& path,
                         ProgressToken* progress = nullptr);

}  // namespace cwb::render
