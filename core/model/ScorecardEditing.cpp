#include "model/ScorecardEditing.h"

#include <cstdio>

#include "eval/Metrics.h"
#include "features/BinEditing.h"

namespace cwb {

// Each kind sets its own field; the others keep their defaults.
ScorecardEdit ScorecardEdit::merge(std::string feature, std::size_t bin, std::size_t other) {
    return {.kind = Kind::Merge, .feature = std::move(feature), .bin = bin, .other = other};
}

ScorecardEdit ScorecardEdit::splitAt(std::string feature, std::size_t bin, double cut) {
    return {.kind = Kind::SplitAt, .feature = std::move(feature), .bin = bin, .cut = cut};
}

ScorecardEdit ScorecardEdit::splitLevel(std::string feature, std::size_t bin, int level) {
    return {.kind = Kind::SplitLevel, .feature = std::move(feature), .bin = bin, .level = level};
}

nlohmann::json ScorecardEdit::toJson() const {
    // Bins are numbered from 1 here, as the editor shows them.
    switch (kind) {
        case Kind::Merge:
            return {{"edit", "merge"}, {"feature", feature}, {"bins", {bin + 1, other + 1}}};
        case Kind::SplitAt:
            return {{"edit", "split"}, {"feature", feature}, {"bin", bin + 1}, {"cut", cut}};
        case Kind::SplitLevel:
            return {
                {"edit", "split_level"}, {"feature", feature}, {"bin", bin + 1}, {"level", level}};
    }
    return {};
}

Result<ScorecardEditSession> ScorecardEditSession::create(
    std::shared_ptr<const ScorecardModel> trained, std::shared_ptr<const EncodedData> data,
    std::vector<std::vector<std::string>> levelNames, double offset, double factor) {
    if (!trained || !data) return Error::badInput("there is no scorecard to edit");
    if (data->labels.size() != data->rows || data->rows == 0)
        return Error::badInput("the development data has no rows with a target value");
    const auto& bins = trained->bins();
    if (data->cols != bins.size())
        return Error::badInput("the development data has " + std::to_string(data->cols) +
                               " characteristics; the scorecard has " +
                               std::to_string(bins.size()));
    for (std::size_t j = 0; j < bins.size(); ++j) {
        if (j < data->featureNames.size() && data->featureNames[j] != bins[j].feature)
            return Error::badInput("the development data's characteristic " +
                                   std::to_string(j + 1) + " is '" + data->featureNames[j] +
                                   "'; the scorecard's is '" + bins[j].feature + "'");
    }
    ScorecardEditSession editor;
    editor.m_trained = std::move(trained);
    editor.m_data = std::move(data);
    editor.m_levelNames = std::move(levelNames);
    editor.m_levelNames.resize(bins.size());
    editor.m_offset = offset;
    editor.m_factor = factor;
    editor.m_initial = editor.evaluate(editor.m_trained, {});
    return editor;
}

const std::vector<std::string>& ScorecardEditSession::levelNames(std::size_t feature) const {
    static const std::vector<std::string> none;
    return feature < m_levelNames.size() ? m_levelNames[feature] : none;
}

int ScorecardEditSession::featureIndex(const std::string& feature) const {
    const auto& bins = m_trained->bins();
    for (std::size_t j = 0; j < bins.size(); ++j)
        if (bins[j].feature == feature) return static_cast<int>(j);
    return -1;
}

ScorecardState ScorecardEditSession::evaluate(std::shared_ptr<const ScorecardModel> model,
                                              std::vector<ScorecardEdit> edits) const {
    ScorecardState state;
    std::vector<double> margins(m_data->rows);
    model->predictMargin(m_data->values.data(), m_data->rows, margins.data());
    state.developmentAuc = auc(margins, m_data->labels);
    state.points = model->binPoints(m_offset, m_factor);
    const double minIv = model->settings().minInformationValue;
    for (std::size_t j = 0; j < model->bins().size(); ++j) {
        const double beta = model->coefficients()[j];
        if (beta == 0.0) continue;
        const auto& c = model->bins()[j];
        // WoE = ln(%good/%bad) and the margin is the log-odds of bad: a positive coefficient
        // gives more points to riskier bins (decision 5).
        if (beta > 0.0)
            state.warnings.push_back("'" + c.feature +
                                     "' now has a positive coefficient: its riskier bins get "
                                     "more points. Undo the edit or merge further.");
        if (c.informationValue < minIv) {
            char text[200];
            std::snprintf(text, sizeof text,
                          "'%s' has an information value of %.4f, below the %.2f the automatic "
                          "scorecard requires",
                          c.feature.c_str(), c.informationValue, minIv);
            state.warnings.emplace_back(text);
        }
    }
    state.model = std::move(model);
    state.edits = std::move(edits);
    return state;
}

Result<ScorecardState> ScorecardEditSession::apply(const ScorecardState& from,
                                                   const ScorecardEdit& edit,
                                                   ProgressRange progress) const {
    if (!from.model) return Error::badInput("there is no scorecard to edit");
    const int feature = featureIndex(edit.feature);
    if (feature < 0)
        return Error::badInput("the scorecard has no characteristic '" + edit.feature + "'");
    const auto j = static_cast<std::size_t>(feature);
    const CharacteristicBins& current = from.model->bins()[j];
    Result<CharacteristicBins> edited = [&]() -> Result<CharacteristicBins> {
        switch (edit.kind) {
            case ScorecardEdit::Kind::Merge:
                return mergeBins(current, edit.bin, edit.other, *m_data, j, levelNames(j));
            case ScorecardEdit::Kind::SplitAt:
                return splitBinAt(current, edit.bin, edit.cut, *m_data, j, levelNames(j));
            case ScorecardEdit::Kind::SplitLevel:
                return splitOffLevel(current, edit.bin, edit.level, *m_data, j, levelNames(j));
        }
        return Error::badInput("unknown edit");
    }();
    if (!edited) return edited.error();
    progress.report(0.1, "refitting the scorecard");

    std::vector<CharacteristicBins> bins = from.model->bins();
    bins[j] = std::move(edited.value());
    std::vector<bool> included(bins.size());
    for (std::size_t k = 0; k < bins.size(); ++k)
        included[k] = from.model->coefficients()[k] != 0.0;
    auto refit = refitScorecard(std::move(bins), included, *m_data, from.model->settings(),
                                progress.sub(0.1, 0.9));
    if (!refit) return refit.error();
    // Characteristics the automatic fit left out stay out; the record says why.
    ScorecardFitInfo info = (*refit)->fitInfo();
    info.leftOutLowIv = m_trained->fitInfo().leftOutLowIv;
    info.leftOutWrongSign = m_trained->fitInfo().leftOutWrongSign;
    (*refit)->setFitInfo(std::move(info));

    std::vector<ScorecardEdit> edits = from.edits;
    edits.push_back(edit);
    ScorecardState state =
        evaluate(std::shared_ptr<const ScorecardModel>(std::move(refit.value())), std::move(edits));
    progress.report(1.0, "scorecard refitted");
    return state;
}

}  // namespace cwb
