#pragma once
// Tables out of the workbench: to the clipboard as tab-separated text (what spreadsheets paste)
// and to CSV files (RFC 4180, comma, decimal point, UTF-8). Works on any item model; cells
// with a ReportTableModel::ValueRole are written unformatted so no precision is lost.

#include <QModelIndexList>
#include <QString>

class QAbstractItemModel;

namespace cwb::ui {

// Header row and every row. CSV fields are quoted when they need it; TSV replaces tabs and
// line breaks in a field with spaces.
QString tableToCsv(const QAbstractItemModel& model);
QString tableToTsv(const QAbstractItemModel& model, const QModelIndexList& only = {});

// Puts the table (or only the given cells, spanning their rows and columns) on the clipboard
// as text/plain and text/csv.
void copyTable(const QAbstractItemModel& model, const QModelIndexList& only = {});

// Writes tableToCsv to path through a temporary file renamed on success. False with *error set
// (naming the file) when it cannot.
bool exportTableCsv(const QAbstractItemModel& model, const QString& path, QString* error);

}  // namespace cwb::ui
