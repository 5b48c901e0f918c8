#include "ui/audit/AuditTableModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace cwb::ui {

AuditTableModel::AuditTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void AuditTableModel::setEntries(std::vector<store::AuditEntry> entries) {
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

void AuditTableModel::setBrokenSeq(qint64 seq) {
    m_broken = seq;
    if (!m_entries.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int AuditTableModel::rowOfSeq(qint64 seq) const {
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].seq == seq) return static_cast<int>(i);
    return -1;
}

int AuditTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int AuditTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const store::AuditEntry& e = m_entries[static_cast<std::size_t>(index.row())];
    const bool broken = m_broken > 0 && e.seq == m_broken;
    switch (role) {
        case SeqRole:
            return QVariant::fromValue<qint64>(e.seq);
        case AtRole: {
            QDateTime at = QDateTime::fromString(QString::fromStdString(e.at), Qt::ISODateWithMs);
            return at.toUTC();
        }
        case UserNameRole:
            return QString::fromStdString(e.user);
        case EventRole:
            return QString::fromStdString(e.event);
        case DetailsRole:
            return QJsonDocument::fromJson(QByteArray::fromStdString(e.details)).object();
        case HashRole:
            return QString::fromStdString(e.hash);
        case PrevHashRole:
            return QString::fromStdString(e.prevHash);
        case BrokenRole:
            return broken;
        case Qt::DisplayRole:
            switch (index.column()) {
                case SeqColumn:
                    return QVariant::fromValue<qint64>(e.seq);
                case AtColumn:
                    return QString::fromStdString(e.at);
                case UserColumn:
                    return QString::fromStdString(e.user);
                case EventColumn:
                    return QString::fromStdString(e.event);
                case DetailsColumn:
                    return QString::fromStdString(e.details);
                default:
                    return {};
            }
        case Qt::ToolTipRole:
            return tr("Entry %1\nhash %2\nprevious %3")
                .arg(e.seq)
                .arg(QString::fromStdString(e.hash), QString::fromStdString(e.prevHash));
        case Qt::BackgroundRole:
            if (broken) return QBrush(QColor(0xff, 0xd6, 0xd6));
            return {};
        case Qt::ForegroundRole:
            if (broken) return QBrush(QColor(0xb0, 0x00, 0x20));
            return {};
        default:
            return {};
    }
}

QVariant AuditTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case SeqColumn:
            return tr("#");
        case AtColumn:
            return tr("Time (UTC)");
        case UserColumn:
            return tr("User");
        case EventColumn:
            return tr("Event");
        case DetailsColumn:
            return tr("Details");
        default:
            return {};
    }
}

}  // namespace cwb::ui
