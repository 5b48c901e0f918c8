#pragma once
// A trained model over encoded features (see data/EncodedData.h). All outputs are in margin
// space: the log-odds of "bad". Implementations: tree ensembles through XGBoost (boosted trees,
// random forest, imported) and the logistic WoE scorecard.
//
// Thread-safety: const methods may be called from several threads at once.
// Errors inside a model (a library failure) are broken invariants: they throw
// std::runtime_error with the library's message, caught at the CLI/GUI/worker boundary.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/Result.h"

namespace cwb {

// How a model computes its contributions, for cwb info: TreeSHAP's lookup tables and what they
// cost (model/ShapPathTables.h), or the quadrature walk for the trees without them.
struct ExplanationFootprint {
    std::string method;           // "treeshap", "xgboost" (XGBoost's own pred_contribs), or
                                  // empty when the model says nothing (scorecard points)
    std::size_t tableTrees = 0;   // trees explained by table lookup
    std::size_t walkedTrees = 0;  // trees explained by the quadrature walk
    std::size_t tableBytes = 0;   // memory the lookup tables take
};

class Model {
public:
    virtual ~Model() = default;

    // "xgboost", "forest" or "scorecard"; imported XGBoost models report "xgboost".
    virtual std::string algorithm() const = 0;
    virtual std::size_t featureCount() const = 0;

    // margins[r] = log-odds of bad for row r of X (rows x featureCount(), row-major, NaN =
    // missing).
    virtual void predictMargin(const float* X, std::size_t rows, double* margins) const = 0;

    // Per-feature contributions in log-odds, out is rows x featureCount(); base[r] is the base
    // value of row r. For every row base + sum(contributions) equals the margin (to 1e-4).
    virtual void contributions(const float* X, std::size_t rows, double* out,
                               double* base) const = 0;

    // Serialization for the model bundle: a kind tag plus bytes that deserializeModel() reads.
    // "xgboost-ubj", "scorecard-json" or "ratios-xgboost-ubj" (model/RatioModel.h)
    virtual std::string kind() const = 0;
    virtual std::vector<std::uint8_t> serialize() const = 0;

    // Parameters used to train the model, as JSON text (for the bundle and cwb info).
    virtual std::string parametersJson() const = 0;

    virtual ExplanationFootprint explanationFootprint() const { return {}; }
};

// Reads a model written by Model::serialize(). A damaged, hostile or unknown payload gives
// BadInput; with featureCount, so does a model with another number of inputs.
Result<std::unique_ptr<Model>> deserializeModel(const std::string& kind,
                                                const std::vector<std::uint8_t>& bytes,
                                                std::optional<std::size_t> featureCount = {});

}  // namespace cwb
