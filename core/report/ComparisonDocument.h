#pragma once
// The comparison report (the Compare view's Export report): two models on the same labelled
// file, their figures side by side, laid out as a ReportDocument for the PDF and Excel
// renderers. The figures are the ModelComparison's (core/report/ModelComparison.h): each
// model's PerformanceReport over the rows both could score, so they equal `cwb evaluate` on a
// file both models score in full.

#include <memory>
#include <string>

#include "report/ModelComparison.h"
#include "report/ReportDocument.h"
#include "scoring/ModelBundle.h"

namespace cwb {

struct ComparisonRequest {
    std::shared_ptr<const ModelBundle> bundleA, bundleB;
    std::string dataPath;
    double cutoffA = 0.0, cutoffB = 0.0;  // approve at or above (points), as in the view
    std::string date;                     // ISO date in the header (default: today)
};

// Sections: the models and the data, discrimination and accuracy side by side with ROC and
// cumulative-bads charts, the outcome at each model's cutoff, and the swap set. The swapped
// applicants are counted, not listed: their ids are personal data (decision 36).
ReportDocument comparisonDocument(const ModelComparison& comparison,
                                  const ComparisonRequest& request);

}  // namespace cwb
