// Fuzz target: a tree model's bytes (model/TreeModel.h, deserializeTreeModel) as a bundle's
// "model" part holds them: XGBoost UBJSON, or XGBoost JSON text; or, when they start with the
// ratio model's magic "CWBRATIO", a tree model with derived ratios (model/RatioModel.h). A model
// that loads must predict and explain a row of missing values, of zeros and of values taken
// from the input.

#include <cstring>
#include <limits>
#include <vector>

#include "FuzzSupport.h"
#include "model/RatioModel.h"
#include "model/TreeModel.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cwb;
    const std::vector<std::uint8_t> bytes(data, data + size);
    const bool ratios = size >= 8 && std::memcmp(data, "CWBRATIO", 8) == 0;
    auto model = ratios ? deserializeModel(kRatioModelKind, bytes) : deserializeTreeModel(bytes);
    if (!model) {
        fuzz::touch(model.error().message);
        return 0;
    }
    const Model& m = **model;
    const std::size_t features = m.featureCount();
    // Models that load are bounded by what the bundle's schema can hold; a bigger input count is
    // refused by the loader before any row is built.
    if (features == 0 || features > 100000) return 0;
    std::vector<float> rows(3 * features, std::numeric_limits<float>::quiet_NaN());
    std::fill(rows.begin() + std::ptrdiff_t(features), rows.begin() + std::ptrdiff_t(2 * features),
              0.0f);
    for (std::size_t j = 0; j < features; ++j)
        rows[2 * features + j] = static_cast<float>(data[j % size]) - 8.0f;
    std::vector<double> margins(3), base(3), contributions(3 * features);
    m.predictMargin(rows.data(), 3, margins.data());
    m.contributions(rows.data(), 3, contributions.data(), base.data());
    fuzz::touch(m.parametersJson());
    fuzz::touch(m.algorithm());
    return 0;
}
