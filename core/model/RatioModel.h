#pragma once
// A tree model that also reads derived ratio characteristics (features/Ratios.h, decision 51).
// It takes the schema's inputs like every model and computes its ratio columns itself, so the
// bundle's schema, the forms, batch files and the service stay as they are. Contributions are
// per input: each ratio's contribution is split half to its numerator and half to its
// denominator, so they still add up to the margin and reasons name what the applicant stated.

#include <memory>
#include <vector>

#include "features/Ratios.h"
#include "model/Model.h"

namespace cwb {

inline constexpr const char* kRatioModelKind = "ratios-xgboost-ubj";

class RatioModel final : public Model {
public:
    // inner reads inputs + ratios.size() features: the inputs, then the ratios in order.
    RatioModel(std::unique_ptr<Model> inner, std::size_t inputs, std::vector<RatioFeature> ratios);

    std::string algorithm() const override { return m_inner->algorithm(); }
    std::size_t featureCount() const override { return m_inputs; }
    void predictMargin(const float* X, std::size_t rows, double* margins) const override;
    void contributions(const float* X, std::size_t rows, double* out, double* base) const override;
    std::string kind() const override { return kRatioModelKind; }
    // A header (magic, length, JSON with the inputs and ratios) followed by the inner model's
    // bytes; docs/file-formats.md.
    std::vector<std::uint8_t> serialize() const override;
    std::string parametersJson() const override;
    ExplanationFootprint explanationFootprint() const override {
        return m_inner->explanationFootprint();
    }

    const std::vector<RatioFeature>& ratios() const { return m_ratios; }
    const Model& inner() const { return *m_inner; }

    // Reads serialize()'s bytes; damaged or hostile bytes give BadInput naming what is wrong.
    static Result<std::unique_ptr<Model>> deserialize(const std::vector<std::uint8_t>& bytes,
                                                      std::optional<std::size_t> featureCount);

private:
    std::unique_ptr<Model> m_inner;
    std::size_t m_inputs;
    std::vector<RatioFeature> m_ratios;
};

}  // namespace cwb
