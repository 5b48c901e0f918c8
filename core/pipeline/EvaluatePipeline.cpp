#include "pipeline/EvaluatePipeline.h"

#include <algorithm>

#include "data/EncodedData.h"
#include "data/Table.h"
#include "data/TextUtil.h"
#include "scoring/Scorer.h"

namespace cwb {

Result<LabelledScores> scoreLabelledFile(const ModelBundle& bundle, const std::string& dataPath,
                                         const std::string& target, const std::string& badValue,
                                         ProgressToken* progress) {
    return scoreFile(bundle, dataPath, target, badValue, ScoreFileOptions{}, progress);
}

Result<LabelledScores> scoreFile(const ModelBundle& bundle, const std::string& dataPath,
                                 const std::string& target, const std::string& badValue,
                                 const ScoreFileOptions& options, ProgressToken* progress) {
    Schema schema = bundle.schema;
    if (!target.empty()) schema.target = target;
    if (!badValue.empty()) schema.badValue = badValue;
    if (schema.target.empty() && options.requireTarget)
        return Error::badInput("the model records no target column; give --target");
    // Reading the file is most of the work for a scorecard; the margins follow in chunks.
    // The reader gets a token of its own so its fractions map onto the first 60 %; a cancel of
    // the caller's token is passed on at the reader's next report.
    ProgressToken readToken;
    if (progress) {
        readToken.setCallback([progress, &readToken](double f, const std::string& text) {
            if (progress->isCanceled()) readToken.cancel();
            progress->report(0.6 * f, text.empty() ? "reading the file" : text);
        });
    }
    auto table = readTable(dataPath, progress ? &readToken : nullptr);
    if (progress && progress->isCanceled()) return Error::failure("cancelled");
    if (!table) return table.error();
    const bool hasTarget = !schema.target.empty() && table->columnIndex(schema.target) >= 0;
    if (!hasTarget && options.requireTarget)
        return Error::badInput("'" + dataPath + "' has no target column '" + schema.target + "'");
    std::vector<int> carriedFields;
    for (const auto& name : options.carryColumns) {
        const int field = table->columnIndex(name);
        if (field < 0) return Error::badInput("'" + dataPath + "' has no column '" + name + "'");
        carriedFields.push_back(field);
    }
    auto data = encodeTable(*table, schema, hasTarget);
    if (!data) return data.error();
    if (data->rows == 0) return Error::badInput("'" + dataPath + "': no usable rows");
    const auto bads =
        std::count_if(data->labels.begin(), data->labels.end(), [](float y) { return y > 0.5f; });
    if (hasTarget && (bads == 0 || static_cast<std::size_t>(bads) == data->rows))
        return Error::badInput("target '" + schema.target + "' in '" + dataPath +
                               "' needs both bads (value '" + schema.badValue + "') and goods");

    LabelledScores scores;
    scores.labelled = hasTarget;
    // Encoded rows are the table's kept rows in order, minus the rejected ones: walk both
    // line lists to pick the carried values of the used rows.
    for (std::size_t k = 0; k < carriedFields.size(); ++k) {
        auto& values = scores.carried[options.carryColumns[k]];
        values.reserve(data->rows);
        const auto& column = table->columns[static_cast<std::size_t>(carriedFields[k])];
        std::size_t t = 0;
        for (std::size_t r = 0; r < data->rows; ++r) {
            while (table->lines[t] != data->lines[r])
                ++t;
            values.emplace_back(text::trim(column[t]));
        }
    }
    scores.rowsRead = table->rowsRead;
    scores.bads = static_cast<std::size_t>(bads);
    scores.margins.resize(data->rows);
    // Rows are scored independently, so chunks give the same margins as one call and let a
    // cancel stop a large file promptly.
    constexpr std::size_t chunk = 50000;
    for (std::size_t begin = 0; begin < data->rows; begin += chunk) {
        if (progress && progress->isCanceled()) return Error::failure("cancelled");
        const std::size_t n = std::min(chunk, data->rows - begin);
        bundle.model->predictMargin(data->row(begin), n, scores.margins.data() + begin);
        if (progress)
            progress->report(
                0.6 + 0.4 * static_cast<double>(begin + n) / static_cast<double>(data->rows),
                "scoring");
    }
    scores.schema = std::move(schema);
    scores.data = std::move(*data);
    return scores;
}

}  // namespace cwb
