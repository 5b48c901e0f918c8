#pragma once
// The model validation report (in the spirit of SR 11-7 model documentation): every figure of
// one bundle on one labelled validation file, computed once. The performance figures are a
// PerformanceReport (the same rows and functions as `cwb evaluate`) and the fairness figures a
// FairnessReport (as `cwb fairness`), so the report's numbers equal the commands'.

#include <memory>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "monitor/Drift.h"
#include "report/Fairness.h"
#include "report/PerformanceReport.h"
#include "report/ReportDocument.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct ValidationRequest {
    std::string bundlePath;  // for its SHA-256 and name in the report
    std::string dataPath;
    std::string target, badValue;               // empty: the bundle's own
    std::vector<std::string> protectedColumns;  // empty: the schema's protected columns
    FairnessOptions fairness;
};

struct RejectReason {
    std::string reason;
    std::size_t rows = 0;
};

struct ValidationReport {
    std::shared_ptr<const ModelBundle> bundle;
    std::string generatedAt;  // UTC, ISO 8601
    std::string bundlePath, bundleSha256;
    std::string dataPath, dataSha256;
    bool dataIsDevelopmentSample = false;      // same SHA-256 as the training file
    std::string dateColumn, dateFrom, dateTo;  // when the schema has a date column

    PerformanceReport performance;
    FairnessReport fairness;
    double scorePsi = 0.0;  // NaN when the bundle has no reference score distribution
    std::vector<FeaturePsi> characteristicPsi;  // CSI (scorecards: bins stored in the model)
    std::vector<RejectReason> rejectReasons;    // most frequent first
    std::vector<std::string> warnings;          // diagnostics, each one plain sentence
    std::vector<std::string> limitations;
};

// Scores the file once and computes every section. BadInput as for `cwb evaluate` (unlabelled
// file, missing target, one class) or a missing protected column; "cancelled" on cancel.
Result<ValidationReport> buildValidationReport(std::shared_ptr<const ModelBundle> bundle,
                                               const ValidationRequest& request,
                                               ProgressToken* progress);

// The report laid out as a document for the renderers (PDF pages, workbook sheets).
ReportDocument validationDocument(const ValidationReport& report);

// Thresholds behind the stability findings (the usual industry rule of thumb).
inline constexpr double kPsiModerate = 0.10;
inline constexpr double kPsiSignificant = 0.25;

}  // namespace cwb
