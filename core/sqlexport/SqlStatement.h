#pragma once
// Internal to core/sqlexport: the statement under construction, a chain of common table
// expressions ("steps") each reading the one before, and what every step carries along.
//
// Column names inside the statement are generated (cwb_id, cwb_x1, cwb_f1, ...), never taken
// from the bundle: the untrusted names of the input columns appear only, quoted, in the first
// step (cwb_raw), and the id column's name once more, quoted, in the final select list.
//   cwb_raw    the input columns: numbers as stored, categorical values as trimmed text
//   cwb_input  reject column and reason; features as numbers or level codes (NULL = missing)
//   ...        model steps (scorecard or trees), ending in cwb_margin (NULL for rejected rows)
//   cwb_scored pd and unrounded points; cwb_rounded the score; then the final SELECT.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"
#include "data/Schema.h"
#include "sqlexport/FloatCut.h"
#include "sqlexport/SqlDialect.h"

namespace cwb {

class SqlStatement {
public:
    SqlStatement(SqlSyntax syntax, std::size_t maxBytes) : m_syntax(syntax), m_limit(maxBytes) {}

    const SqlSyntax& syntax() const { return m_syntax; }
    std::string& text() { return m_text; }
    const std::string& text() const { return m_text; }
    // True once the text is longer than the limit; writers stop as soon as they see it.
    bool full() const { return m_text.size() > m_limit; }
    std::size_t limit() const { return m_limit; }

    // Opens a step: "WITH name AS (SELECT " or ",\nname AS (SELECT ".
    void beginStep(std::string_view name);
    // Separates select-list items.
    void nextItem() { m_text += ",\n    "; }
    // Closes a step that reads `from`, fenced so that it is computed once per row.
    void endStep(std::string_view from);

    // "cwb_id, cwb_reject_column, cwb_reject_reason" (no cwb_id when there is no id column).
    std::string carried() const;
    bool hasId() const { return m_hasId; }
    void setHasId(bool hasId) { m_hasId = hasId; }

private:
    SqlSyntax m_syntax;
    std::size_t m_limit;
    std::string m_text;
    bool m_hasId = false;
    bool m_firstStep = true;
};

// Generated column names, j counted from 1 over the model's features.
std::string rawColumn(std::size_t j);      // cwb_xJ
std::string featureColumn(std::size_t j);  // cwb_fJ

// "column >= bound" (passing) or "column < bound" (failing) for a cut of kind AtLeast, and
// "column > bound" / "column <= bound" for Above. All and None have no condition (logic_error).
std::string cutCondition(const SqlSyntax& syntax, const std::string& column, const FloatCut& cut,
                         bool passing);

// Steps cwb_raw and cwb_input for the schema's model features (in model order) and id.
Result<void> writeInputSteps(SqlStatement& sql, const Schema& schema, const std::string& table);

}  // namespace cwb
