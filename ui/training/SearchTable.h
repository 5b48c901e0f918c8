#pragma once
// What `--algorithm auto`'s nested search tried (core model/AutoSearch.h): one row per
// configuration with its mean inner AUC on each outer fold's training rows and on all rows,
// the chosen cell of each column in bold, a row with the outer test AUC of the configuration
// each outer fold chose, and a last row with the derived ratios each scope proposed.

#include <QTableWidget>

namespace cwb {
struct SearchReport;
}

namespace cwb::ui {

class SearchTable : public QTableWidget {
    Q_OBJECT
public:
    explicit SearchTable(QWidget* parent = nullptr);
    // Shows a search; nullptr (training without auto) empties and hides the table.
    void showSearch(const SearchReport* search);
};

}  // namespace cwb::ui
