#pragma once
// The index behind the batch results table: one pass over a score output CSV records where each
// row starts and keeps the few values that sorting, filtering, the summary and the histogram
// need (pd, score, decision, id, reason codes). Rows are read from the file on demand. All
// functions here are plain computations, meant for worker threads.

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"
#include "scoring/DecisionPolicy.h"

namespace cwb::ui {

struct BatchResultsIndex {
    QString path;
    QStringList header;
    int idColumn = -1;
    int pdColumn = -1;
    int scoreColumn = -1;
    int decisionColumn = -1;
    std::vector<int> reasonColumns;  // reason_1.. reason_K: characteristics (codes)
    // Per reason column, its reason_K_text column (cwb score --reason-text), or -1.
    std::vector<int> reasonTextColumns;
    std::vector<qint64> offsets;  // start of each data row, plus the end of the last one
    std::vector<float> pd;
    std::vector<std::int32_t> score;
    std::vector<std::uint8_t> decision;  // Decision as integer
    QByteArray ids;                      // id values back to back, see idStart
    std::vector<std::uint32_t> idStart;  // rows + 1 entries
    QStringList reasonDictionary;        // distinct reason codes; codes index this list
    std::vector<std::vector<std::uint16_t>> reasonCodes;  // per reason column, per row

    std::size_t rows() const { return pd.size(); }
    QByteArray id(std::size_t row) const {
        return ids.mid(static_cast<qsizetype>(idStart[row]),
                       static_cast<qsizetype>(idStart[row + 1] - idStart[row]));
    }
};

// Indexes a file written by the batch scorer. Fails with a message naming the file when it
// cannot be read or lacks the pd, score and decision columns. Cancel gives "cancelled".
Result<BatchResultsIndex> indexResultsFile(const QString& path, ProgressToken* progress);

// Splits one CSV record (no line ending) into fields, undoing RFC 4180 quoting.
QStringList splitCsvRecord(const QByteArray& record);

// Which rows a view shows, and in which order.
struct ResultsViewSpec {
    bool decisions[3] = {true, true, true};  // approve, refer, decline
    int minScore = -1000000;
    int maxScore = 1000000;
    int sortColumn = -1;  // -1: file order
    bool descending = false;

    bool accepts(int score, int decision) const {
        return decisions[decision] && score >= minScore && score <= maxScore;
    }
    bool filters() const {
        return !decisions[0] || !decisions[1] || !decisions[2] || minScore > -1000000 ||
               maxScore < 1000000;
    }
};

// File rows shown by the spec, in display order. Sorting is stable, so equal keys keep file
// order. Columns without a sort key (none today) keep file order.
std::vector<std::uint32_t> computeViewOrder(const BatchResultsIndex& index,
                                            const ResultsViewSpec& spec);

// Writes the header and the given rows (in that order) of the indexed file to path, through a
// temporary file renamed on success.
Result<void> exportRows(const BatchResultsIndex& index, const std::vector<std::uint32_t>& rows,
                        const QString& path, ProgressToken* progress);

}  // namespace cwb::ui
