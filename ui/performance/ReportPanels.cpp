#include "ui/performance/ReportPanels.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/widgets/ChartExport.h"
#include "ui/widgets/ReportTableModel.h"
#include "ui/widgets/TableExport.h"

namespace cwb::ui {

namespace {

QString defaultPath(const QString& name, const QString& suffix) {
    return QDir::home().filePath(name + suffix);
}

}  // namespace

ChartPanel::ChartPanel(const QString& name, QWidget* parent) : QWidget(parent), m_name(name) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_chart = new LineChart(this);
    layout->addWidget(m_chart, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    auto* png = new QPushButton(tr("Export PNG..."), this);
    png->setToolTip(tr("Save this chart as a PNG image"));
    auto* svg = new QPushButton(tr("Export SVG..."), this);
    svg->setToolTip(tr("Save this chart as an SVG drawing (scales without loss)"));
    buttons->addWidget(png);
    buttons->addWidget(svg);
    layout->addLayout(buttons);
    connect(png, &QPushButton::clicked, this, [this] { chooseAndExport(QStringLiteral(".png")); });
    connect(svg, &QPushButton::clicked, this, [this] { chooseAndExport(QStringLiteral(".svg")); });
}

void ChartPanel::setData(const LineChartData& data) {
    m_chart->setData(data);
}

bool ChartPanel::exportTo(const QString& path, QString* error) const {
    return exportLineChart(m_chart->data(), path, chartFormatFor(path), error);
}

void ChartPanel::chooseAndExport(const QString& suffix) {
    const bool svg = suffix == QLatin1String(".svg");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export chart"), defaultPath(m_name, suffix),
                                     svg ? tr("SVG drawings (*.svg)") : tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    QString error;
    const bool ok = exportTo(path, &error);
    emit exported(ok, ok ? tr("Chart saved to %1").arg(path) : error);
}

TablePanel::TablePanel(const QString& name, QWidget* parent) : QWidget(parent), m_name(name) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_model = new ReportTableModel(this);
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setAlternatingRowColors(true);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->verticalHeader()->setVisible(false);
    layout->addWidget(m_view, 1);
    // Ctrl+C on the table copies what is selected as a table, not just the current cell.
    auto* copyAction = new QAction(tr("Copy"), m_view);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    m_view->addAction(copyAction);
    connect(copyAction, &QAction::triggered, this, &TablePanel::copy);
    connect(m_model, &QAbstractItemModel::modelReset, m_view, &QTableView::resizeColumnsToContents);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    auto* copyButton = new QPushButton(tr("Copy table"), this);
    copyButton->setToolTip(tr("Copy the table (or the selected cells) to the clipboard"));
    auto* csv = new QPushButton(tr("Export CSV..."), this);
    csv->setToolTip(tr("Save the table as a CSV file"));
    buttons->addWidget(copyButton);
    buttons->addWidget(csv);
    layout->addLayout(buttons);
    connect(copyButton, &QPushButton::clicked, this, [this] {
        copy();
        emit exported(true, tr("Table copied to the clipboard"));
    });
    connect(csv, &QPushButton::clicked, this, &TablePanel::chooseAndExport);
}

void TablePanel::copy() const {
    const QModelIndexList selected = m_view->selectionModel()->selectedIndexes();
    copyTable(*m_model, selected.size() > 1 ? selected : QModelIndexList());
}

bool TablePanel::exportTo(const QString& path, QString* error) const {
    return exportTableCsv(*m_model, path, error);
}

void TablePanel::chooseAndExport() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export table"),
                                                      defaultPath(m_name, QStringLiteral(".csv")),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    const bool ok = exportTo(path, &error);
    emit exported(ok, ok ? tr("Table saved to %1").arg(path) : error);
}

ChartPanel* ReportPanels::chart(const QString& name) const {
    const auto it = charts.find(name);
    return it == charts.end() ? nullptr : it->second;
}

TablePanel* ReportPanels::table(const QString& name) const {
    const auto it = tables.find(name);
    return it == tables.end() ? nullptr : it->second;
}

QStringList ReportPanels::chartNames() const {
    QStringList names;
    for (const auto& [key, panel] : charts)
        names << key;
    return names;
}

QStringList ReportPanels::tableNames() const {
    QStringList names;
    for (const auto& [key, panel] : tables)
        names << key;
    return names;
}

void ReportPanels::showTab(QTabWidget* tabs, const QString& name) const {
    if (ChartPanel* c = chart(name))
        tabs->setCurrentWidget(c);
    else if (TablePanel* t = table(name))
        tabs->setCurrentWidget(t);
}

void ReportPanels::clear() {
    for (auto& [key, panel] : tables)
        panel->model()->setTable({}, {});
    for (auto& [key, panel] : charts)
        panel->setData({});
}

void ReportPanels::forwardExports(QObject* context,
                                  const std::function<void(const QString&)>& report) {
    for (auto& [key, panel] : charts)
        QObject::connect(panel, &ChartPanel::exported, context,
                         [report](bool, const QString& message) { report(message); });
    for (auto& [key, panel] : tables)
        QObject::connect(panel, &TablePanel::exported, context,
                         [report](bool, const QString& message) { report(message); });
}

}  // namespace cwb::ui
