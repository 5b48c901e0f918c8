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
    // The penalty is applied to the mean log-likelihood, so its strength does not change with
    // the number of rows.
    double ridge = 1e-3;                // L2 penalty on the coefficients (not the intercept)
    double minInformationValue = 0.02;  // characteristics below this IV are left out
    int maxIterations = 50;
    // Optional, per feature: level texts (index = level code) for categorical bin labels.
    // Presentation only; not a training parameter and not in parametersJson().
    std::vector<std::vector<std::string>> levelNames;
};

// How the fit went, for training reports and warnings.
struct ScorecardFitInfo {
    int iterations = 0;  // Newton iterations of the final fit
    bool converged = false;
    std::vector<std::string> leftOutLowIv;      // IV below minInformationValue
    std::vector<std::string> leftOutWrongSign;  // coefficient came out with the wrong sign
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

    const ScorecardSettings& settings() const { return m_settings; }
    void setSettings(ScorecardSettings settings) { m_settings = std::move(settings); }
    const ScorecardFitInfo& fitInfo() const { return m_fitInfo; }
    void setFitInfo(ScorecardFitInfo info) { m_fitInfo = std::move(info); }

    // Points of every bin, points[j][b], for score = offset - factor * margin (DESIGN.md score
    // scaling with factor = PDO / ln 2): -factor * beta_j * WoE_jb plus an equal share of
    // offset - factor * intercept for each characteristic in the model. Left-out
    // characteristics score 0; an unseen value scores the share alone (WoE 0).
    std::vector<std::vector<double>> binPoints(double offset, double factor) const;

private:
    std::vector<CharacteristicBins> m_bins;
    std::vector<double> m_coefficients;
    double m_intercept;
    ScorecardSettings m_settings;
    ScorecardFitInfo m_fitInfo;
};

// Bins every feature, leaves out characteristics with IV below the minimum, fits the
// regression and refits without characteristics whose coefficient has the wrong sign (a
// positive coefficient on WoE), one at a time, so every bin's points follow its WoE. Fails
// (BadInput) without rows, without both goods and bads, or when no characteristic reaches the
// minimum IV; "cancelled" (Failure) on cancel.
// The result is a ScorecardModel with featureCount() == data.cols.
Result<std::unique_ptr<Model>> trainScorecard(const EncodedData& data,
                                              const ScorecardSettings& settings,
                                              ProgressRange progress);

// Refits the regression of a scorecard whose bins were edited by hand (merged or split): the
// characteristics with included[j] stay in the model, all others score 0; nothing is dropped
// for a low IV or a wrong sign (the editor warns instead, so an edit never silently removes a
// characteristic). bins must hold one entry per feature of data, with statistics computed on
// it. Fails like trainScorecard; "cancelled" (Failure) on cancel.
Result<std::unique_ptr<ScorecardModel>> refitScorecard(std::vector<CharacteristicBins> bins,
                                                       const std::vector<bool>& included,
                                                       const EncodedData& data,
                                                       const ScorecardSettings& settings,
                                                       ProgressRange progress);

}  // namespace cwb
