#pragma once
// The rejected rows of a batch run (line, column, reason, record) as a table model. Reject files
// are usually short; the first kMaxRows are kept, and the total and counts per reason are
// computed over the whole file.

#include <QAbstractTableModel>

#include <map>
#include <vector>

#include "common/Progress.h"
#include "common/Result.h"

namespace cwb::ui {

struct RejectRow {
    qint64 line = 0;
    QString column;
    QString reason;
    QString record;
};

struct RejectList {
    std::vector<RejectRow> rows;         // the first kMaxRows
    qint64 total = 0;                    // all rejects in the file
    std::map<QString, qint64> byReason;  // "column: reason" -> count
};

inline constexpr int kMaxRejectRows = 10000;

// Reads a rejects file written by the batch scorer (worker thread).
Result<RejectList> readRejects(const QString& path, ProgressToken* progress);

class RejectsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { LineRole = Qt::UserRole + 1 };
    explicit RejectsModel(QObject* parent = nullptr);

    void setRejects(RejectList list);
    const RejectList& rejects() const { return m_list; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    RejectList m_list;
};

}  // namespace cwb::ui
