// Fuzz target: a scorecard's bytes (model/Scorecard.h, ScorecardModel::deserialize) as a
// bundle's "model" part of kind scorecard-json holds them. A scorecard that loads must score,
// explain and give its points table.

#include <limits>
#include <vector>

#include "FuzzSupport.h"
#include "model/Scorecard.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cwb;
    const std::vector<std::uint8_t> bytes(data, data + size);
    auto model = ScorecardModel::deserialize(bytes);
    if (!model) {
        fuzz::touch(model.error().message);
        return 0;
    }
    const ScorecardModel& m = **model;
    const std::size_t features = m.featureCount();
    if (features == 0) return 0;
    std::vector<float> rows(3 * features, std::numeric_limits<float>::quiet_NaN());
    for (std::size_t j = 0; j < features; ++j) {
        rows[features + j] = 0.0f;
        rows[2 * features + j] = static_cast<float>(data[j % size]) - 8.0f;
    }
    std::vector<double> margins(3), base(3), contributions(3 * features);
    m.predictMargin(rows.data(), 3, margins.data());
    m.contributions(rows.data(), 3, contributions.data(), base.data());
    const auto points = m.binPoints(600.0, 20.0 / 0.6931471805599453);
    if (points.size() != features) fuzz::fail("a points table without a row per feature");
    fuzz::touch(m.parametersJson());
    const auto saved = m.serialize();
    if (!ScorecardModel::deserialize(saved)) fuzz::fail("a saved scorecard does not load");
    return 0;
}
