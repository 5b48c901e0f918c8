#pragma once
// The batch report: what a scored file looked like and how it was decided - counts by decision,
// the score distribution, rows not scored by reason, stability against the development sample
// (score PSI; CSI for scorecards) and the most frequent reasons among declines - with the
// bundle's SHA-256 so the run can be traced to the exact model.

#include <memory>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "monitor/Drift.h"
#include "report/ReportDocument.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct BatchReasonCount {
    std::string feature, text;
    std::size_t asFirst = 0;  // declines whose principal reason this is
    std::size_t listed = 0;   // declines that list it among their (up to four) reasons
};

struct BatchReport {
    std::shared_ptr<const ModelBundle> bundle;
    std::string generatedAt, bundlePath, bundleSha256, dataPath, dataSha256;
    std::size_t rowsRead = 0, rowsScored = 0, rowsRejected = 0;
    std::size_t approved = 0, referred = 0, declined = 0;
    std::vector<double> binEdges;  // score histogram: bins + 1 edges (points)
    std::vector<std::size_t> binCounts;
    double meanScore = 0.0;
    double scorePsi = 0.0;  // NaN without a reference distribution in the bundle
    std::vector<FeaturePsi> characteristicPsi;
    std::vector<std::pair<std::string, std::size_t>> rejectReasons;  // most frequent first
    std::vector<BatchReasonCount> declineReasons;                    // most frequent first
};

Result<BatchReport> buildBatchReport(std::shared_ptr<const ModelBundle> bundle,
                                     const std::string& bundlePath, const std::string& dataPath,
                                     ProgressToken* progress);

ReportDocument batchDocument(const BatchReport& report);

}  // namespace cwb
