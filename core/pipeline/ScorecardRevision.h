#pragma once
// The bundle side of scorecard editing: finding the development sample of a saved scorecard
// (its training file, checked by fingerprint), starting an editor on a bundle, and turning an
// edited state back into a bundle whose development figures and training record describe the
// edited scorecard.

#include <memory>
#include <string>

#include "common/Result.h"
#include "data/EncodedData.h"
#include "model/ScorecardEditing.h"
#include "scoring/ModelBundle.h"

namespace cwb {

// Reads and encodes the training data file of a scorecard bundle with the bundle's schema.
// Fails (BadInput, naming the file) when the bundle is not a scorecard, the file cannot be
// read, or its SHA-256 differs from the fingerprint the bundle recorded at training: bins
// recounted on other data would silently describe another sample.
Result<std::shared_ptr<const EncodedData>> loadDevelopmentData(const ModelBundle& bundle,
                                                               const std::string& path);

// An editor for the bundle's scorecard on its development data, with level names from the
// bundle's schema and points on the bundle's score scaling.
Result<ScorecardEditSession> editorForBundle(const ModelBundle& bundle,
                                             std::shared_ptr<const EncodedData> development);

// The bundle with the state's scorecard: development metrics and the reference score
// distribution recomputed on the development data, the edits recorded in training.json
// ("scorecard_edits"). The cross-validation results are kept: they describe the automatic
// binning the analyst started from (docs/decisions.md, decision 10).
ModelBundle bundleWithScorecard(const ModelBundle& base, const ScorecardState& state,
                                const EncodedData& development);

}  // namespace cwb
