#pragma once
// The audit trail as a table: one row per entry (sequence, time, user, event, details), with
// typed roles for what the columns show as text, and the entry where the chain breaks marked.

#include <QAbstractTableModel>

#include <vector>

#include "store/AuditLog.h"

namespace cwb::ui {

class AuditTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SeqColumn, AtColumn, UserColumn, EventColumn, DetailsColumn, ColumnCount };
    // Typed values of an entry, the same in every column of its row.
    enum Roles {
        SeqRole = Qt::UserRole + 1,  // qint64
        AtRole,                      // QDateTime, UTC
        UserNameRole,                // QString
        EventRole,                   // QString
        DetailsRole,                 // QJsonObject (the canonical JSON as stored)
        HashRole,                    // QString, hex
        PrevHashRole,                // QString, hex
        BrokenRole,                  // bool: the first entry that fails verification
    };

    explicit AuditTableModel(QObject* parent = nullptr);

    void setEntries(std::vector<store::AuditEntry> entries);
    // The sequence number of the first broken entry (0: none); its row is shown in red.
    void setBrokenSeq(qint64 seq);
    qint64 brokenSeq() const { return m_broken; }
    const store::AuditEntry& entry(int row) const { return m_entries.at(static_cast<size_t>(row)); }
    // The row of the entry with this sequence number, -1 when it is not shown.
    int rowOfSeq(qint64 seq) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<store::AuditEntry> m_entries;
    qint64 m_broken = 0;
};

}  // namespace cwb::ui
