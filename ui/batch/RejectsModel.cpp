#include "ui/batch/RejectsModel.h"

#include "data/CsvReader.h"

namespace cwb::ui {

Result<RejectList> readRejects(const QString& path, ProgressToken* progress) {
    auto reader = CsvReader::open(path.toStdString());
    if (!reader) return reader.error();
    const auto& header = (*reader)->header();
    if (header.size() < 4 || header[0] != "line" || header[2] != "reason")
        return Error::badInput("'" + path.toStdString() + "' is not a rejects file");
    RejectList list;
    CsvRecord record;
    for (;;) {
        auto more = (*reader)->next(record);
        if (!more) return more.error();
        if (!*more) break;
        if (record.fields.size() < 4) continue;
        ++list.total;
        const QString column = QString::fromUtf8(record.fields[1].data(), record.fields[1].size());
        const QString reason = QString::fromUtf8(record.fields[2].data(), record.fields[2].size());
        ++list.byReason[column.isEmpty() ? reason : column + QStringLiteral(": ") + reason];
        if (list.rows.size() < kMaxRejectRows)
            list.rows.push_back(
                {QString::fromUtf8(record.fields[0].data(), record.fields[0].size()).toLongLong(),
                 column, reason,
                 QString::fromUtf8(record.fields[3].data(), record.fields[3].size())});
        if (progress && list.total % 65536 == 0 && progress->isCanceled())
            return Error::failure("cancelled");
    }
    return list;
}

RejectsModel::RejectsModel(QObject* parent) : QAbstractTableModel(parent) {}

void RejectsModel::setRejects(RejectList list) {
    beginResetModel();
    m_list = std::move(list);
    endResetModel();
}

int RejectsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_list.rows.size());
}

int RejectsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 4;
}

QVariant RejectsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RejectRow& r = m_list.rows[static_cast<std::size_t>(index.row())];
    if (role == LineRole) return r.line;
    if (role == Qt::TextAlignmentRole && index.column() == 0)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
        case 0:
            return r.line;
        case 1:
            return r.column;
        case 2:
            return r.reason;
        case 3:
            return r.record;
    }
    return {};
}

QVariant RejectsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal) return {};
    switch (section) {
        case 0:
            return tr("Line");
        case 1:
            return tr("Column");
        case 2:
            return tr("Reason");
        case 3:
            return tr("Record");
    }
    return {};
}

}  // namespace cwb::ui
