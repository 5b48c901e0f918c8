#pragma once
// A read-only table of report figures (gains, calibration, importance, IV, swaps...): the text
// the user sees, and under ValueRole the value itself (a double, an integer or text), so exports
// and tests never parse formatted numbers. Filled whole from engine results, which are small.

#include <QAbstractTableModel>
#include <QStringList>
#include <QVariant>

#include <vector>

namespace cwb::ui {

class ReportTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // The unformatted value of a cell: double, qulonglong or QString.
    static constexpr int ValueRole = Qt::UserRole + 1;

    struct Cell {
        QVariant value;
        QString text;  // empty: the value's own text
    };
    using Row = std::vector<Cell>;

    explicit ReportTableModel(QObject* parent = nullptr);

    void setTable(const QStringList& headers, std::vector<Row> rows);
    void clear() { setTable(m_headers, {}); }
    // The value in a row whose first column reads `key` (for key-value tables), or invalid.
    QVariant valueFor(const QString& key, int column = 1) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Cell helpers: a number shown with `decimals`, a percentage of a share, a count, text.
    static Cell number(double value, int decimals);
    static Cell percent(double share, int decimals = 1);
    static Cell count(std::size_t value);
    static Cell text(const QString& text);

private:
    QStringList m_headers;
    std::vector<Row> m_rows;
};

}  // namespace cwb::ui
