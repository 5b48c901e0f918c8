#include "features/Ratios.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "features/Binning.h"

namespace cwb {

float ratioValue(float numerator, float denominator) {
    if (std::isnan(numerator) || std::isnan(denominator) || !(denominator > 0.0f))
        return std::numeric_limits<float>::quiet_NaN();
    return numerator / denominator;
}

std::string ratioName(const std::vector<std::string>& featureNames, const RatioFeature& ratio) {
    return featureNames.at(ratio.numerator) + "/" + featureNames.at(ratio.denominator);
}

std::vector<RatioFeature> ratioCandidates(const EncodedData& data, std::size_t maxOperands) {
    struct Operand {
        std::size_t column;
        double informationValue;
        bool denominator;
    };
    // A ratio of a characteristic with few values (a rate from 1 to 4, a count of dependents,
    // a delay status from -2 to 8) is close to a relabelling of its operands; amounts,
    // durations and ages are what ratios are made of.
    constexpr std::size_t kMinDistinct = 12;
    std::vector<Operand> operands;
    const BinningSettings binning;
    for (std::size_t j = 0; j < data.cols; ++j) {
        if (data.categorical[j]) continue;
        std::set<float> distinct;
        std::size_t positive = 0;
        for (std::size_t r = 0; r < data.rows; ++r) {
            const float v = data.at(r, j);
            if (std::isnan(v)) continue;
            if (distinct.size() < kMinDistinct) distinct.insert(v);
            if (v > 0.0f) ++positive;
        }
        if (distinct.size() < kMinDistinct) continue;
        operands.push_back({j, 0.0, 2 * positive >= data.rows});
    }
    if (operands.size() > maxOperands) {
        // Binning each operand is only needed to choose among them.
        for (Operand& o : operands)
            o.informationValue = binCharacteristic(data, o.column, binning).informationValue;
        std::stable_sort(operands.begin(), operands.end(), [](const Operand& a, const Operand& b) {
            return a.informationValue > b.informationValue;
        });
        operands.resize(maxOperands);
        std::sort(operands.begin(), operands.end(),
                  [](const Operand& a, const Operand& b) { return a.column < b.column; });
    }
    // a/b and b/a order the rows alike where both are defined (trees see the same splits), so
    // each pair is tried once: over the later column when it can divide, else over the earlier.
    std::vector<RatioFeature> out;
    for (std::size_t x = 0; x < operands.size(); ++x)
        for (std::size_t y = x + 1; y < operands.size(); ++y) {
            if (operands[y].denominator)
                out.push_back({operands[x].column, operands[y].column});
            else if (operands[x].denominator)
                out.push_back({operands[y].column, operands[x].column});
        }
    return out;
}

void appendRatios(const float* X, std::size_t rows, std::size_t baseCols,
                  const std::vector<RatioFeature>& ratios, float* out) {
    const std::size_t cols = baseCols + ratios.size();
    for (std::size_t r = 0; r < rows; ++r) {
        const float* in = X + r * baseCols;
        float* row = out + r * cols;
        std::copy(in, in + baseCols, row);
        for (std::size_t k = 0; k < ratios.size(); ++k)
            row[baseCols + k] = ratioValue(in[ratios[k].numerator], in[ratios[k].denominator]);
    }
}

EncodedData withRatios(const EncodedData& data, const std::vector<RatioFeature>& ratios) {
    if (ratios.empty()) return data;
    EncodedData out;
    out.featureNames = data.featureNames;
    out.categorical = data.categorical;
    out.levelCounts = data.levelCounts;
    for (const auto& ratio : ratios) {
        out.featureNames.push_back(ratioName(data.featureNames, ratio));
        out.categorical.push_back(false);
        out.levelCounts.push_back(0);
    }
    out.rows = data.rows;
    out.cols = data.cols + ratios.size();
    out.values.resize(out.rows * out.cols);
    appendRatios(data.values.data(), data.rows, data.cols, ratios, out.values.data());
    out.labels = data.labels;
    out.ids = data.ids;
    out.protectedValues = data.protectedValues;
    out.lines = data.lines;
    return out;
}

}  // namespace cwb
