#pragma once
// Model-ready data: one float column per model feature (a characteristic), NaN = missing,
// categorical characteristics as level codes 0..K-1 from the schema. The same RowEncoder turns
// training rows and scored rows into this form, so training and scoring cannot drift apart.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"
#include "data/Schema.h"
#include "data/Table.h"

namespace cwb {

struct EncodedData {
    std::vector<std::string> featureNames;
    std::vector<bool> categorical;  // per feature
    std::vector<int> levelCounts;   // per feature: number of levels (0 for numeric)
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<float> values;     // row-major rows x cols
    std::vector<float> labels;     // 1 = bad, 0 = good; empty when there is no target
    std::vector<std::string> ids;  // id column values, empty when the schema has none
    std::map<std::string, std::vector<std::string>> protectedValues;  // by column name
    std::vector<std::int64_t> lines;                                  // source line of each row
    std::vector<RejectedRow> rejects;

    float at(std::size_t row, std::size_t col) const { return values[row * cols + col]; }
    const float* row(std::size_t r) const { return values.data() + r * cols; }
    // A copy holding only the given rows (in that order); rejects are not copied.
    EncodedData subset(const std::vector<std::size_t>& rowIndices) const;
};

// Maps a file's header onto a schema once, then encodes records of that file.
class RowEncoder {
public:
    // Fails (BadInput) when a feature column of the schema is missing from the header, naming
    // the file's columns; with requireTarget also when the target column is missing.
    static Result<RowEncoder> bind(const Schema& schema, const std::vector<std::string>& header,
                                   char decimalSeparator, bool requireTarget);

    std::size_t featureCount() const { return m_features.size(); }
    std::size_t expectedFieldCount() const { return m_fieldCount; }
    bool hasTarget() const { return m_targetField >= 0; }
    bool hasId() const { return m_idField >= 0; }

    // Encodes a record's fields into out[featureCount()]. Returns false and fills reject
    // (column, reason) when the row cannot be used: wrong field count, a number that does not
    // parse or is out of range, a number outside the schema's valid range, a missing value
    // where the schema does not allow one, or a categorical level not seen in training.
    bool encode(const std::vector<std::string_view>& fields, float* out, RejectedRow& reject) const;
    // Target: 1 bad, 0 good; false (with reject filled) when missing.
    bool encodeTarget(const std::vector<std::string_view>& fields, float& label,
                      RejectedRow& reject) const;
    std::string_view id(const std::vector<std::string_view>& fields) const;

    // The fast path of batch scoring (decision 46): encodes one unquoted line (no line break)
    // straight from its bytes, without splitting it into fields first, when every field the
    // model reads is plain: a number of at most 15 digits ("-12", "0.25", with the file's
    // decimal separator) inside its valid range, or a categorical level spelled exactly as in
    // the schema. Gives false, having decided nothing, for anything else (a missing value,
    // spaces, an exponent, an unknown level, a wrong field count, a blank line): the caller
    // then splits the line and calls encode(), which accepts or refuses it with its reason.
    // What it encodes is bit for bit what encode() gives for the same line.
    bool encodePlainLine(std::string_view line, char delimiter, float* out,
                         std::string_view& id) const;

private:
    struct Feature {
        int field;               // index in the file's record
        const ColumnSpec* spec;  // points into the bound schema (which must outlive this)
    };
    std::vector<Feature> m_features;
    std::size_t m_fieldCount = 0;
    int m_targetField = -1;
    int m_idField = -1;
    std::string m_badValue;
    std::string m_targetName;
    char m_decimal = '.';
    // Per field of the file, for encodePlainLine: kSkip, kIdField, or the feature index.
    static constexpr int kSkip = -1;
    static constexpr int kIdField = -2;
    std::vector<int> m_fieldUse;  // empty: the fast path is off (a field with two uses)
};

// Encodes a whole table; rows the encoder refuses go to rejects (together with the table's own).
// Labels are filled only with requireTarget (a row without a target value is then rejected).
// Fails (BadInput, naming the file) when columns are missing or when every row is rejected.
Result<EncodedData> encodeTable(const Table& table, const Schema& schema, bool requireTarget);

// True when a target field equals the bad value: exact text, or numerically equal ("2" == "2.0").
bool isBadValue(std::string_view field, std::string_view badValue);

}  // namespace cwb
