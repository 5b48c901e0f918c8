#include "pipeline/DevelopmentSample.h"

#include "common/Hash.h"

namespace cwb {

bool isDevelopmentSample(const ModelBundle& bundle, const std::string& dataPath) {
    const auto recorded = bundle.training.find("data_sha256");
    if (recorded == bundle.training.end() || !recorded->is_string()) return false;
    const std::string expected = recorded->get<std::string>();
    if (expected.empty()) return false;
    const auto actual = sha256OfFile(dataPath);
    return actual && *actual == expected;
}

std::string developmentSampleWarning() {
    return "This is the file the model was trained on (same SHA-256 fingerprint): its figures "
           "are in-sample and optimistic. Evaluate on data the model has not seen to judge it.";
}

}  // namespace cwb
