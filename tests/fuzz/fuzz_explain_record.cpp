// Fuzz target: the applicant record of `cwb explain --record JSON` (data/RecordJson.h) read and
// explained with the shipped model, as the command does.

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>

#include "FuzzSupport.h"
#include "data/RecordJson.h"
#include "scoring/ModelBundle.h"
#include "scoring/Scorer.h"

namespace {

const cwb::Scorer& shippedScorer() {
    static const cwb::Scorer scorer = [] {
        auto bundle = cwb::loadBundle(CWB_SOURCE_DIR "/models/german_credit.cwbm");
        if (!bundle) cwb::fuzz::fail("the shipped model does not load");
        return cwb::Scorer(std::make_shared<const cwb::ModelBundle>(std::move(*bundle)));
    }();
    return scorer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cwb;
    const Scorer& scorer = shippedScorer();
    auto values = parseRecordJson(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!values) {
        fuzz::touch(values.error().message);
        return 0;
    }
    auto result = scorer.explainRecord(*values, 4);
    if (!result) {
        fuzz::touch(result.error().message);
        return 0;
    }
    fuzz::touch(result->toJson(scorer.featureNames()).dump());
    return 0;
}
