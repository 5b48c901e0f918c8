#pragma once
// The logistic WoE scorecard: every characteristic binned (features/Binning.h), logistic
// regression on WoE values solved with Eigen (regularised IRLS), points per bin.

#include <memory>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/EncodedData.h"
#include "features/Binning.h"
#include "model/Model.h"

namespace cwb {

struct ScorecardSettings {
    BinningSettings binning;
    double ridge = 1e-3;           // L2 penalty on the coefficients (not the intercept)
    double minInformationValue = 0.02;  // characteristics below this IV are left out
    int maxIterations = 50;
};

class ScorecardModel : public Model {
public:
    ScorecardModel(std::vector<CharacteristicBins> bins, std::vector<double> coefficients,
                   double intercept);

    std::string algorithm() const override { return "scorecard"; }
    std::size_t featureCount() const override { return m_bins.size(); }
    void predictMargin(const float* X, std::size_t rows, double* margins) const override;
    void contributions(const float* X, std::size_t rows, double* out, double* base) const override;
    std::string kind() const override { return "scorecard-json"; }
    std::vector<std::uint8_t> serialize() const override;
    std::string parametersJson() const override;

    static Result<std::unique_ptr<ScorecardModel>> deserialize(const std::vector<std::uint8_t>& b);

    const std::vector<CharacteristicBins>& bins() const { return m_bins; }
    const std::vector<double>& coefficients() const { return m_coefficients; }  // 0 = left out
    double intercept() const { return m_intercept; }

private:
    std::vector<CharacteristicBins> m_bins;
    std::vector<double> m_coefficients;
    double m_intercept;
};

Result<std::unique_ptr<Model>> trainScorecard(const EncodedData& data,
                                              const ScorecardSettings& settings,
                                              ProgressRange progress);

}  // namespace cwb
