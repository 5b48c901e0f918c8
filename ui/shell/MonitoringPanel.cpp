#include "ui/shell/MonitoringPanel.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>

#include "ui/common/GuiMetrics.h"

namespace cwb::ui {

namespace {
QLabel* valueLabel(QWidget* parent, const char* name) {
    auto* label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(name));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}
}  // namespace

MonitoringPanel::MonitoringPanel(GuiMetrics* metrics, QWidget* parent)
    : QWidget(parent), m_metrics(metrics) {
    auto* form = new QFormLayout(this);
    m_gateway = valueLabel(this, "monitorGateway");
    m_schedule = valueLabel(this, "monitorSchedule");
    m_lastPush = valueLabel(this, "monitorLastPush");
    m_pushes = valueLabel(this, "monitorPushes");
    m_failures = valueLabel(this, "monitorFailures");
    m_session = valueLabel(this, "monitorSession");
    form->addRow(tr("Pushgateway:"), m_gateway);
    form->addRow(tr("Pushes:"), m_schedule);
    form->addRow(tr("Last push:"), m_lastPush);
    form->addRow(tr("Attempts:"), m_pushes);
    form->addRow(tr("Failed pushes:"), m_failures);
    form->addRow(tr("This session:"), m_session);
    connect(m_metrics, &GuiMetrics::pushed, this, &MonitoringPanel::refresh);
    connect(m_metrics, &GuiMetrics::changed, this, &MonitoringPanel::refresh);
    refresh();
}

void MonitoringPanel::refresh() {
    const MonitorConfig& config = m_metrics->config();
    const QString source = m_metrics->urlSource();
    if (!m_metrics->pushing()) {
        m_gateway->setText(
            source == "environment"
                ? tr("off (CWB_PUSHGATEWAY_URL is set and empty)")
                : tr("not configured: set it in Settings (Ctrl+,) or CWB_PUSHGATEWAY_URL"));
        m_schedule->setText(tr("none; metrics are kept for this session only"));
    } else {
        // Only scheme://host:port: the URL may carry a user and password.
        m_gateway->setText(
            tr("%1 (from %2), job credit_workbench, instance %3, app %4")
                .arg(QString::fromStdString(redactedUrl(config.gatewayUrl)),
                     source == "environment" ? tr("CWB_PUSHGATEWAY_URL") : tr("settings"),
                     QString::fromStdString(config.instance), QString::fromStdString(config.app)));
        m_schedule->setText(
            tr("every %1 s, at the end of every batch; deadline %2 ms")
                .arg(std::chrono::duration_cast<std::chrono::seconds>(config.schedule.interval)
                         .count())
                .arg(config.schedule.timeout.count()));
    }

    const GuiMetrics::PushStatus& status = m_metrics->pushStatus();
    if (!status.lastTime.isValid()) {
        m_lastPush->setText(m_metrics->pushing() ? tr("none yet") : tr("-"));
    } else {
        const QString when = QLocale().toString(status.lastTime.time(), "HH:mm:ss");
        const QString took = QString::number(status.last.seconds * 1000.0, 'f', 0);
        m_lastPush->setText(
            status.last.ok()
                ? tr("%1: OK (HTTP %2) in %3 ms").arg(when).arg(status.last.status).arg(took)
                : tr("%1: <b>failed</b> after %2 ms: %3")
                      .arg(when, took, QString::fromStdString(status.last.error).toHtmlEscaped()));
    }
    m_pushes->setText(QLocale().toString(static_cast<qulonglong>(status.attempts)));
    m_failures->setText(QLocale().toString(static_cast<qulonglong>(status.failures)));

    const GuiMetrics::Session& s = m_metrics->session();
    const auto count = [&](const char* decision) {
        const auto it = s.scores.find(decision);
        return QLocale().toString(static_cast<qulonglong>(it == s.scores.end() ? 0 : it->second));
    };
    QString text = tr("applicants scored: approve %1, refer %2, decline %3<br>batches: %4, "
                      "rows scored %5, rejected %6")
                       .arg(count("approve"), count("refer"), count("decline"),
                            QLocale().toString(static_cast<qulonglong>(s.batches)),
                            QLocale().toString(static_cast<qulonglong>(s.batchRowsScored)),
                            QLocale().toString(static_cast<qulonglong>(s.batchRowsRejected)));
    if (s.lastScorePsi) text += tr("<br>last batch score PSI: %1").arg(*s.lastScorePsi, 0, 'f', 4);
    if (s.errors > 0)
        text += tr("<br>errors: %1").arg(QLocale().toString(static_cast<qulonglong>(s.errors)));
    m_session->setText(text);
}

QString MonitoringPanel::gatewayText() const {
    return m_gateway->text();
}
QString MonitoringPanel::lastPushText() const {
    return m_lastPush->text();
}
QString MonitoringPanel::failuresText() const {
    return m_failures->text();
}
QString MonitoringPanel::sessionText() const {
    return m_session->text();
}

}  // namespace cwb::ui
