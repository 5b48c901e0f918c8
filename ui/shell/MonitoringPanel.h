#pragma once
// The monitoring panel (a dock of the main window): where the GUI pushes its metrics, how
// the last push went, how many pushes failed, and what this session has recorded so far.
// Updated live from GuiMetrics' signals; it reads only state kept on the GUI thread, so it
// never waits for the network.

#include <QWidget>

class QLabel;

namespace cwb::ui {

class GuiMetrics;

class MonitoringPanel : public QWidget {
    Q_OBJECT
public:
    explicit MonitoringPanel(GuiMetrics* metrics, QWidget* parent = nullptr);

    QString gatewayText() const;
    QString lastPushText() const;
    QString failuresText() const;
    QString sessionText() const;

private:
    void refresh();

    GuiMetrics* m_metrics;
    QLabel* m_gateway = nullptr;
    QLabel* m_schedule = nullptr;
    QLabel* m_lastPush = nullptr;
    QLabel* m_pushes = nullptr;
    QLabel* m_failures = nullptr;
    QLabel* m_session = nullptr;
};

}  // namespace cwb::ui
