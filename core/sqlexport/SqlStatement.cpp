#include "sqlexport/SqlStatement.h"

#include <stdexcept>

namespace cwb {

void SqlStatement::beginStep(std::string_view name) {
    m_text += m_firstStep ? "WITH " : ",\n";
    m_firstStep = false;
    m_text += name;
    m_text += " AS (\n  SELECT\n    ";
}

void SqlStatement::endStep(std::string_view from) {
    m_text += "\n  FROM ";
    m_text += from;
    m_text += m_syntax.fence();
    m_text += "\n)";
}

std::string SqlStatement::carried() const {
    return std::string(m_hasId ? "cwb_id, " : "") + "cwb_reject_column, cwb_reject_reason";
}

std::string rawColumn(std::size_t j) {
    return "cwb_x" + std::to_string(j);
}

std::string featureColumn(std::size_t j) {
    return "cwb_f" + std::to_string(j);
}

std::string cutCondition(const SqlSyntax& syntax, const std::string& column, const FloatCut& cut,
                         bool passing) {
    const std::string bound = syntax.real(cut.bound);
    if (cut.kind == FloatCut::Kind::AtLeast) return column + (passing ? " >= " : " < ") + bound;
    if (cut.kind == FloatCut::Kind::Above) return column + (passing ? " > " : " <= ") + bound;
    throw std::logic_error("cutCondition: a cut that every or no value passes has no condition");
}

}  // namespace cwb
