#include "ui/widgets/ReportTableModel.h"

#include <QLocale>

#include <cmath>

namespace cwb::ui {

ReportTableModel::ReportTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ReportTableModel::setTable(const QStringList& headers, std::vector<Row> rows) {
    beginResetModel();
    m_headers = headers;
    m_rows = std::move(rows);
    for (auto& row : m_rows)
        row.resize(static_cast<std::size_t>(m_headers.size()));
    endResetModel();
}

QVariant ReportTableModel::valueFor(const QString& key, int column) const {
    for (const auto& row : m_rows)
        if (!row.empty() && row[0].value.toString() == key && column < static_cast<int>(row.size()))
            return row[static_cast<std::size_t>(column)].value;
    return {};
}

int ReportTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ReportTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_headers.size());
}

QVariant ReportTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Cell& cell =
        m_rows[static_cast<std::size_t>(index.row())][static_cast<std::size_t>(index.column())];
    switch (role) {
        case Qt::DisplayRole:
            return cell.text.isEmpty() ? cell.value.toString() : cell.text;
        case ValueRole:
            return cell.value;
        case Qt::TextAlignmentRole: {
            const bool numeric = cell.value.typeId() == QMetaType::Double ||
                                 cell.value.typeId() == QMetaType::ULongLong;
            return QVariant::fromValue(
                Qt::Alignment((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
        }
        default:
            return {};
    }
}

QVariant ReportTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Horizontal)
        return section >= 0 && section < m_headers.size() ? m_headers[section] : QVariant();
    return section + 1;
}

ReportTableModel::Cell ReportTableModel::number(double value, int decimals) {
    if (std::isnan(value)) return {value, QStringLiteral("–")};
    return {value, QLocale().toString(value, 'f', decimals)};
}

ReportTableModel::Cell ReportTableModel::percent(double share, int decimals) {
    if (std::isnan(share)) return {share, QStringLiteral("–")};
    return {share, QLocale().toString(100.0 * share, 'f', decimals) + QStringLiteral(" %")};
}

ReportTableModel::Cell ReportTableModel::count(std::size_t value) {
    return {QVariant::fromValue(static_cast<qulonglong>(value)),
            QLocale().toString(static_cast<qulonglong>(value))};
}

ReportTableModel::Cell ReportTableModel::text(const QString& text) {
    return {text, text};
}

}  // namespace cwb::ui
