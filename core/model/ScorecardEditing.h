#pragma once
// Editing a trained scorecard by hand: merge or split a characteristic's bins, then refit the
// regression on the development data and recompute every bin's points and the development
// AUC (docs/decisions.md, decision 10). States are immutable values: an edit makes a new state
// from an old one, so the GUI can compute on a worker thread, keep a history for undo and save
// whichever state is shown.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/Progress.h"
#include "common/Result.h"
#include "data/EncodedData.h"
#include "model/Scorecard.h"

namespace cwb {

struct ScorecardEdit {
    enum class Kind { Merge, SplitAt, SplitLevel };
    Kind kind = Kind::Merge;
    std::string feature;
    std::size_t bin = 0;
    std::size_t other = 0;  // Merge: the second bin
    double cut = 0.0;       // SplitAt: the new edge
    int level = -1;         // SplitLevel: the level code moved out

    static ScorecardEdit merge(std::string feature, std::size_t bin, std::size_t other);
    static ScorecardEdit splitAt(std::string feature, std::size_t bin, double cut);
    static ScorecardEdit splitLevel(std::string feature, std::size_t bin, int level);
    // For the bundle's record of edits (training.json, "scorecard_edits").
    nlohmann::json toJson() const;
};

struct ScorecardState {
    std::shared_ptr<const ScorecardModel> model;
    double developmentAuc = 0.0;
    std::vector<std::vector<double>> points;  // points[feature][bin], unrounded
    std::vector<ScorecardEdit> edits;         // from the trained scorecard to this state
    std::vector<std::string> warnings;        // e.g. a coefficient with the wrong sign
};

class ScorecardEditSession {
public:
    // data: the development sample the scorecard was trained on (labels required), with the
    // scorecard's features in the same order. levelNames[feature] names categorical levels
    // (index = code). offset and factor are the score scaling's (points = offset - factor *
    // margin). Fails (BadInput) when the data does not fit the model.
    static Result<ScorecardEditSession> create(std::shared_ptr<const ScorecardModel> trained,
                                               std::shared_ptr<const EncodedData> data,
                                               std::vector<std::vector<std::string>> levelNames,
                                               double offset, double factor);

    // The trained scorecard as it is (no refit), with its points and development AUC.
    const ScorecardState& initial() const { return m_initial; }
    // Applies one edit to `from` and refits. Fails (BadInput) with a clear message for an edit
    // that cannot be made; "cancelled" (Failure) on cancel.
    Result<ScorecardState> apply(const ScorecardState& from, const ScorecardEdit& edit,
                                 ProgressRange progress) const;

    const EncodedData& data() const { return *m_data; }
    const std::vector<std::string>& levelNames(std::size_t feature) const;
    int featureIndex(const std::string& feature) const;  // -1 when absent

private:
    ScorecardState evaluate(std::shared_ptr<const ScorecardModel> model,
                            std::vector<ScorecardEdit> edits) const;

    std::shared_ptr<const ScorecardModel> m_trained;
    std::shared_ptr<const EncodedData> m_data;
    std::vector<std::vector<std::string>> m_levelNames;
    double m_offset = 0.0;
    double m_factor = 1.0;
    ScorecardState m_initial;
};

}  // namespace cwb
