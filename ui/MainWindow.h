#pragma once
// The workbench's main window: the active model always visible in the header, a model picker,
// status bar, About. Views (applicant, explanation, batch, ...) plug into the central tabs.

#include <QMainWindow>

#include <memory>

#include "scoring/ModelBundle.h"

class QLabel;
class QTabWidget;
class QTableWidget;

namespace cwb::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Loads a bundle; shows a clear message (and keeps the current model) when it cannot.
    bool openModel(const QString& path);
    std::shared_ptr<const ModelBundle> model() const { return m_model; }

signals:
    void modelChanged();

private:
    void buildMenus();
    void chooseModel();
    void showAbout();
    void refreshModelHeader();

    std::shared_ptr<const ModelBundle> m_model;
    QString m_modelPath;
    QLabel* m_modelHeader = nullptr;
    QTabWidget* m_views = nullptr;
    QTableWidget* m_characteristics = nullptr;
};

}  // namespace cwb::ui
