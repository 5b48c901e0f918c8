#pragma once
// In-database scoring: one SQL SELECT statement that scores every row of a table holding a
// model's input columns under their own names, so a portfolio is scored where it lives
// (`cwb export-sql`, docs/in-database-scoring.md).
//
// The statement returns, per input row: the id column (when the bundle's schema has one), pd,
// score, decision, reason_1..reason_K (scorecards only), reject_column and reject_reason.
// A row the engine would reject (decision 3: a missing value where training had none, an unseen
// level, a number out of float range) gets NULL pd, score, decision and reasons, and the
// engine's column and reason. It is a chain of common table expressions (WITH ... SELECT).
//
// Agreement with the engine (tested in SQLite and PostgreSQL):
//  - scorecards: the per-bin log-odds terms are the engine's doubles, added in the engine's
//    order, so pd, score and reasons come out identical (ties in reasons ranked as the engine);
//  - tree ensembles: one CASE expression per tree; dialects with single precision
//    (PostgreSQL, Spark) sum the leaves in float like the engine and XGBoost (identical
//    margins), the others in double (within a few float roundings of the engine's margin);
//  - split thresholds and bin edges become exact double comparisons (sqlexport/FloatCut.h).

#include <cstddef>
#include <string>
#include <vector>

#include "common/Result.h"
#include "scoring/ModelBundle.h"
#include "sqlexport/SqlDialect.h"

namespace cwb {

struct SqlExportOptions {
    SqlDialect dialect = SqlDialect::Sqlite;
    std::string table = "applicants";  // optionally qualified: schema.table
    // Reason columns reason_1..K: -1 = 4 for scorecards and 0 for tree models. Tree models
    // accept only 0: their reasons come from TreeSHAP in the engine.
    int reasons = -1;
    // The statement may not grow beyond this; a bigger model is refused.
    std::size_t maxBytes = std::size_t{32} << 20;
};

struct SqlExportResult {
    std::string sql;
    std::string modelType;  // "scorecard" or "trees"
    std::size_t trees = 0;
    std::size_t characteristics = 0;  // scorecard characteristics in the model
    int reasons = 0;
    bool singlePrecisionSums = false;  // tree leaves summed in float (as the engine does)
    std::vector<std::string> outputColumns;
};

// Refuses (BadInput, with the reason) a bundle the SQL cannot score faithfully: a model type
// other than a scorecard or an XGBoost tree ensemble, names that cannot be quoted, non-finite
// numbers, margins so large that EXP would overflow, reasons for a tree model, an id column
// named like an output column, or a statement beyond maxBytes.
Result<SqlExportResult> exportScoringSql(const ModelBundle& bundle,
                                         const SqlExportOptions& options);

// CREATE TABLE for an input table the statement can read: the id column and the model's input
// columns, numbers as double precision and categorical columns as text.
Result<std::string> inputTableDdl(const ModelBundle& bundle, SqlDialect dialect,
                                  const std::string& table);

}  // namespace cwb
