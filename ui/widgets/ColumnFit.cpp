#include "ui/widgets/ColumnFit.h"

#include <QEvent>
#include <QHeaderView>
#include <QTableView>

#include <algorithm>

namespace cwb::ui {

std::vector<int> fitColumnWidths(const std::vector<int>& contentWidths, int room, int floor) {
    const auto widthAt = [&](int content, int cap) {
        return std::min(content, std::max(cap, floor));
    };
    const auto totalAt = [&](int cap) {
        long long sum = 0;
        for (int w : contentWidths)
            sum += widthAt(w, cap);
        return sum;
    };
    if (contentWidths.empty()) return {};
    const int widest = *std::max_element(contentWidths.begin(), contentWidths.end());
    if (totalAt(widest) <= room) return contentWidths;
    // The largest cap in [floor, widest) whose widths fit; floor when none does.
    int lo = floor, hi = widest - 1;
    while (lo < hi) {
        const int mid = lo + (hi - lo + 1) / 2;
        if (totalAt(mid) <= room)
            lo = mid;
        else
            hi = mid - 1;
    }
    std::vector<int> widths;
    widths.reserve(contentWidths.size());
    for (int w : contentWidths)
        widths.push_back(widthAt(w, lo));
    return widths;
}

ColumnFitter::ColumnFitter(QTableView* table, int floor)
    : QObject(table), m_table(table), m_floor(floor) {
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideRight);
    table->viewport()->installEventFilter(this);
}

void ColumnFitter::measure() {
    m_table->resizeColumnsToContents();
    const QHeaderView* header = m_table->horizontalHeader();
    m_columns.clear();
    m_contentWidths.clear();
    for (int c = 0; c < header->count(); ++c) {
        if (header->isSectionHidden(c)) continue;
        m_columns.push_back(c);
        m_contentWidths.push_back(header->sectionSize(c));
    }
    m_appliedWidth = -1;
    apply();
}

bool ColumnFitter::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_table->viewport() && event->type() == QEvent::Resize) apply();
    return QObject::eventFilter(watched, event);
}

void ColumnFitter::apply() {
    const int room = m_table->viewport()->width();
    if (m_columns.empty() || room == m_appliedWidth) return;
    m_appliedWidth = room;
    const std::vector<int> fitted = fitColumnWidths(m_contentWidths, room, m_floor);
    QHeaderView* header = m_table->horizontalHeader();
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        if (m_columns[i] < header->count()) header->resizeSection(m_columns[i], fitted[i]);
}

}  // namespace cwb::ui
