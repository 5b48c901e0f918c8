#include "ui/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/Version.h"

namespace cwb::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Credit Workbench"));
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    m_modelHeader = new QLabel(central);
    m_modelHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_modelHeader->setObjectName("modelHeader");
    layout->addWidget(m_modelHeader);
    m_views = new QTabWidget(central);
    m_characteristics = new QTableWidget(0, 3, m_views);
    m_characteristics->setHorizontalHeaderLabels({tr("Characteristic"), tr("Type"), tr("Label")});
    m_characteristics->horizontalHeader()->setStretchLastSection(true);
    m_characteristics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_views->addTab(m_characteristics, tr("&Model"));
    layout->addWidget(m_views, 1);
    setCentralWidget(central);
    buildMenus();
    refreshModelHeader();
    statusBar()->showMessage(tr("Ready"));
    QSettings settings;
    restoreGeometry(settings.value("mainWindow/geometry").toByteArray());
    resize(size().expandedTo(QSize(900, 600)));
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open model..."), this, &MainWindow::chooseModel);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Credit Workbench"), this, &MainWindow::showAbout);
}

bool MainWindow::openModel(const QString& path) {
    auto bundle = loadBundle(path.toStdString());
    if (!bundle) {
        QMessageBox::warning(this, tr("Cannot open model"),
                             QString::fromStdString(bundle.error().message));
        return false;
    }
    m_model = std::make_shared<const ModelBundle>(std::move(*bundle));
    m_modelPath = path;
    refreshModelHeader();
    statusBar()->showMessage(tr("Model loaded: %1").arg(path), 5000);
    emit modelChanged();
    return true;
}

void MainWindow::chooseModel() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), QString(),
                                                      tr("Model bundles (*.cwbm)"));
    if (!path.isEmpty()) openModel(path);
}

void MainWindow::refreshModelHeader() {
    if (!m_model) {
        m_modelHeader->setText(tr("No model loaded. Use File > Open model."));
        m_characteristics->setRowCount(0);
        return;
    }
    QString auc = tr("n/a");
    const auto& dev = m_model->metrics;
    if (dev.contains("cross_validation"))
        for (const auto& c : dev["cross_validation"])
            if (c.value("algorithm", "") == m_model->model->algorithm())
                auc = QString::number(c.value("cv_auc", 0.0), 'f', 3);
    m_modelHeader->setText(tr("<b>%1</b> &nbsp; version %2 &nbsp; %3 &nbsp; cross-validated AUC %4")
                               .arg(QString::fromStdString(m_model->name).toHtmlEscaped(),
                                    QString::fromStdString(m_model->version).toHtmlEscaped(),
                                    QString::fromStdString(m_model->model->algorithm()), auc));
    const auto features = m_model->schema.features();
    m_characteristics->setRowCount(static_cast<int>(features.size()));
    for (int r = 0; r < static_cast<int>(features.size()); ++r) {
        const ColumnSpec* spec = features[static_cast<std::size_t>(r)];
        m_characteristics->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(spec->name)));
        m_characteristics->setItem(r, 1, new QTableWidgetItem(QString::fromStdString(toString(spec->type))));
        m_characteristics->setItem(r, 2, new QTableWidgetItem(QString::fromStdString(spec->displayName())));
    }
}

void MainWindow::showAbout() {
    QString versions;
    for (const auto& [name, v] : libraryVersions())
        versions += QStringLiteral("<li>%1 %2</li>").arg(QString::fromStdString(name),
                                                          QString::fromStdString(v));
    QMessageBox::about(this, tr("About Credit Workbench"),
                       tr("<h3>Credit Workbench %1</h3><p>Credit scoring: train, explain, score "
                          "and govern models.</p><ul>%2</ul>")
                           .arg(QString::fromLatin1(version()), versions));
}

}  // namespace cwb::ui
