#pragma once
// The two building blocks of the performance and comparison views: a chart with Export PNG /
// Export SVG, and a table with Copy (Ctrl+C) and Export CSV. Both ask for a file name with a
// dialog; exportTo() does the same without one (tests, scripting).

#include <QWidget>

#include "ui/LineChart.h"

class QPushButton;
class QTableView;

namespace cwb::ui {

class ReportTableModel;

class ChartPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChartPanel(const QString& name, QWidget* parent = nullptr);
    void setData(const LineChartData& data);
    LineChart* chart() const { return m_chart; }
    // Format from the suffix (.svg or .png). False with *error set when it cannot write.
    bool exportTo(const QString& path, QString* error) const;

signals:
    void exported(bool ok, const QString& message);

private:
    void chooseAndExport(const QString& suffix);

    QString m_name;  // default file name
    LineChart* m_chart = nullptr;
};

class TablePanel : public QWidget {
    Q_OBJECT
public:
    explicit TablePanel(const QString& name, QWidget* parent = nullptr);
    ReportTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    // Copies the selected cells, or the whole table when nothing is selected.
    void copy() const;
    bool exportTo(const QString& path, QString* error) const;

signals:
    void exported(bool ok, const QString& message);

private:
    void chooseAndExport();

    QString m_name;
    ReportTableModel* m_model = nullptr;
    QTableView* m_view = nullptr;
};

}  // namespace cwb::ui
