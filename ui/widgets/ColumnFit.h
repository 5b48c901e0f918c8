#pragma once
// Column widths that fit a table's viewport: the batch results' four reason columns, sized to
// their longest texts, were wider than a 1280x720 window, so the last one was cut at the edge
// and the others wrapped onto two lines.

#include <QObject>

#include <vector>

class QTableView;

namespace cwb::ui {

// The widths to give columns of the given content widths so that together they take at most
// room: the widest are narrowed to one common cap, never below floor (nor below their own
// width when that is smaller); narrow columns keep theirs. When even floor cannot make them
// fit, the widest get floor and the table scrolls.
std::vector<int> fitColumnWidths(const std::vector<int>& contentWidths, int room, int floor);

// Keeps a table's columns fitted to its viewport: measure() sizes the visible columns to their
// contents (after new data) and remembers those widths; every change of the viewport's width
// then narrows the widest to fit (fitColumnWidths), long texts elided on one line (their whole
// text in the cell's tooltip where the model gives one). A child of the table.
class ColumnFitter : public QObject {
public:
    ColumnFitter(QTableView* table, int floor);
    void measure();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void apply();
    QTableView* m_table;
    int m_floor;
    std::vector<int> m_columns;  // visible sections, in order
    std::vector<int> m_contentWidths;
    int m_appliedWidth = -1;
};

}  // namespace cwb::ui
