#pragma once
// The Model over one XGBoost booster (boosted trees, random forest or an imported model).
// Private to core/model: the rest of the engine sees only Model and TreeModel.h.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <optional>
#include "common/Result.h"

#include "model/Model.h"
#include "model/TreeEnsemble.h"
#include "model/XgbHandles.h"

namespace cwb {

// Booster attributes under which the workbench keeps its own facts inside the model, so that
// serialize() -> deserializeModel() restores them without a side channel.
inline constexpr const char* kAttrAlgorithm = "cwb_algorithm";
inline constexpr const char* kAttrParameters = "cwb_parameters";
inline constexpr const char* kAttrBestIteration = "best_iteration";  // the Python package's key

// One XGBoost model document, checked before XGBoost sees it: XGBoost 1.7 reads UBJSON without
// bounds checks, so truncated or foreign bytes must be refused here (BadInput, "not an XGBoost
// model: ..."). loadable holds the bytes to give XGBoost: the UBJSON input, or JSON text made
// compact (XGBoost 1.7 only recognises JSON that starts with '{"', so pretty-printed files
// would fail). In document, the NaN and infinities XGBoost writes into JSON text are null.
struct XgboostDocument {
    nlohmann::json document;
    std::vector<std::uint8_t> loadable;
    bool ubjson = false;
};
Result<XgboostDocument> parseXgboostDocument(const std::vector<std::uint8_t>& bytes);

// XGBoost's message without the call name, time stamp and source location: fit for users.
std::string xgboostMessage(const std::exception& error);

class XgbTreeModel final : public Model {
public:
    // Loads UBJSON model bytes into a private inference booster. Throws std::runtime_error when
    // XGBoost refuses them; callers check untrusted bytes first (parseXgboostDocument).
    // For models the workbench itself just trained (trusted bytes).
    explicit XgbTreeModel(std::vector<std::uint8_t> ubj);
    // For bytes from a file: `checked` is the same model as read and checked by TreeEnsemble
    // before XGBoost was given the bytes.
    XgbTreeModel(std::vector<std::uint8_t> ubj, TreeEnsemble checked);

    std::string algorithm() const override { return m_algorithm; }
    std::size_t featureCount() const override { return m_featureCount; }
    void predictMargin(const float* X, std::size_t rows, double* margins) const override;
    void contributions(const float* X, std::size_t rows, double* out, double* base) const override;
    std::string kind() const override { return "xgboost-ubj"; }
    std::vector<std::uint8_t> serialize() const override { return m_bytes; }
    std::string parametersJson() const override { return m_parameters; }
    ExplanationFootprint explanationFootprint() const override;

    int bestIteration() const { return m_bestIteration; }  // -1 when unknown
    const std::vector<std::string>& featureNames() const { return m_featureNames; }
    const std::vector<bool>& categorical() const { return m_categorical; }

private:
    void loadBooster();
    xgb::DMatrix matrix(const float* X, std::size_t rows) const;

    std::vector<std::uint8_t> m_bytes;  // kept so serialize() is exact and needs no XGBoost call
    xgb::Booster m_booster;
    std::size_t m_featureCount = 0;
    std::vector<std::string> m_featureNames;  // empty when the model has none
    std::vector<std::string> m_featureTypes;  // "q" or "c" per feature, for every DMatrix
    std::vector<bool> m_categorical;
    std::string m_algorithm;
    std::string m_parameters;
    int m_bestIteration = -1;
    // The same trees flattened for the engine's own evaluator and exact fast TreeSHAP
    // (model/TreeShap.h): margins bit-identical to XGBoost's, contributions ~25x faster than
    // pred_contribs. Empty for models it does not support; XGBoost then answers.
    std::optional<TreeEnsemble> m_ensemble;
};

}  // namespace cwb
