#include "report/MonotoneCheck.h"

#include <algorithm>
#include <cmath>

#include "model/Scorecard.h"

namespace cwb {

std::vector<std::pair<std::string, int>> monotoneConstraints(const ModelBundle& bundle) {
    std::vector<std::pair<std::string, int>> out;
    if (const auto* card = dynamic_cast<const ScorecardModel*>(bundle.model.get())) {
        const auto& bins = card->bins();
        const auto& beta = card->coefficients();
        for (std::size_t j = 0; j < bins.size(); ++j)
            if (j < beta.size() && beta[j] != 0.0 && !bins[j].categorical && bins[j].trend != 0)
                out.emplace_back(bins[j].feature, bins[j].trend);
        return out;
    }
    const auto it = bundle.metrics.find("monotone");
    if (it == bundle.metrics.end() || !it->is_array()) return out;
    std::vector<std::string> names;
    for (const auto& spec : bundle.schema.columns)
        if (spec.role == ColumnRole::Feature) names.push_back(spec.name);
    for (std::size_t j = 0; j < it->size() && j < names.size(); ++j)
        if ((*it)[j].is_number_integer() && (*it)[j].get<int>() != 0)
            out.emplace_back(names[j], (*it)[j].get<int>() > 0 ? 1 : -1);
    return out;
}

std::vector<MonotoneResult> checkMonotone(const ModelBundle& bundle, const EncodedData& data,
                                          std::size_t sampleRows, std::size_t gridPoints) {
    std::vector<MonotoneResult> results;
    if (data.rows == 0 || data.cols != bundle.model->featureCount()) return results;
    for (const auto& [feature, direction] : monotoneConstraints(bundle)) {
        const auto at = std::find(data.featureNames.begin(), data.featureNames.end(), feature);
        if (at == data.featureNames.end()) continue;
        const std::size_t col = static_cast<std::size_t>(at - data.featureNames.begin());
        std::vector<float> values;
        for (std::size_t r = 0; r < data.rows; ++r)
            if (!std::isnan(data.at(r, col))) values.push_back(data.at(r, col));
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
        std::vector<float> grid;
        if (values.size() <= gridPoints) {
            grid = values;
        } else {
            for (std::size_t k = 0; k < gridPoints; ++k)
                grid.push_back(values[k * (values.size() - 1) / (gridPoints - 1)]);
            grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
        }
        MonotoneResult result{feature, direction, 0, 0, 0.0};
        const std::size_t rows = std::min(sampleRows, data.rows);
        std::vector<float> batch(grid.size() * data.cols);
        std::vector<double> margins(grid.size());
        for (std::size_t s = 0; s < rows && grid.size() > 1; ++s) {
            const std::size_t r = s * data.rows / rows;  // spread over the file
            for (std::size_t k = 0; k < grid.size(); ++k) {
                std::copy(data.row(r), data.row(r) + data.cols, batch.begin() + k * data.cols);
                batch[k * data.cols + col] = grid[k];
            }
            bundle.model->predictMargin(batch.data(), grid.size(), margins.data());
            double reversal = 0.0;
            for (std::size_t k = 1; k < grid.size(); ++k)
                reversal = std::max(reversal, -direction * (margins[k] - margins[k - 1]));
            ++result.rowsChecked;
            // Tolerance for rounding in the model's arithmetic, far below a point of score.
            if (reversal > 1e-9) {
                ++result.violations;
                result.largestReversal = std::max(result.largestReversal, reversal);
            }
        }
        results.push_back(result);
    }
    return results;
}

}  // namespace cwb
