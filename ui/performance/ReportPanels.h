#pragma once
// The two building blocks of the performance and comparison views: a chart with Export PNG /
// Export SVG, and a table with Copy (Ctrl+C) and Export CSV. Both ask for a file name with a
// dialog; exportTo() does the same without one (tests, scripting).

#include <QStringList>
#include <QWidget>

#include <functional>
#include <map>

#include "ui/widgets/LineChart.h"

class QPushButton;
class QTabWidget;
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

// The named charts and tables of a view (performance, compare), some of them on its tabs.
struct ReportPanels {
    std::map<QString, ChartPanel*> charts;
    std::map<QString, TablePanel*> tables;

    // nullptr for an unknown name.
    ChartPanel* chart(const QString& name) const;
    TablePanel* table(const QString& name) const;
    QStringList chartNames() const;
    QStringList tableNames() const;
    // Brings the named panel forward when it is one of tabs' pages.
    void showTab(QTabWidget* tabs, const QString& name) const;
    // Empties every chart and table (no result to show).
    void clear();
    // Every panel's export outcome goes to report (a view's status bar).
    void forwardExports(QObject* context, const std::function<void(const QString&)>& report);
};

}  // namespace cwb::ui
