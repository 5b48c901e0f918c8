#include "ui/widgets/JobControls.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "ui/common/AppSettings.h"
#include "ui/common/JobRunner.h"

namespace cwb::ui {

namespace {

QPushButton* makeButton(const QString& text, const QKeySequence& key, const QString& toolTip,
                        QWidget* parent) {
    auto* button = new QPushButton(text, parent);
    button->setShortcut(key);
    if (!toolTip.isEmpty()) button->setToolTip(toolTip);
    return button;
}

}  // namespace

QPushButton* makeChooseButton(const QString& text, const QString& toolTip, QWidget* parent) {
    return makeButton(text, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), toolTip, parent);
}

QPushButton* makeRunButton(const QString& text, const QString& toolTip, QWidget* parent) {
    return makeButton(text, QKeySequence(Qt::CTRL | Qt::Key_R), toolTip, parent);
}

QPushButton* makeCancelButton(const QString& toolTip, QWidget* parent) {
    return makeButton(QObject::tr("Cancel"), QKeySequence(Qt::Key_Escape), toolTip, parent);
}

QProgressBar* makeJobProgressBar(JobRunner* job, QWidget* parent) {
    auto* bar = new QProgressBar(parent);
    bar->setRange(0, kJobProgressSteps);
    bar->setTextVisible(false);
    QObject::connect(job, &JobRunner::progress, bar, [bar](double fraction, const QString&) {
        bar->setValue(static_cast<int>(fraction * kJobProgressSteps));
    });
    return bar;
}

void showJobEnd(QProgressBar* bar, bool ok) {
    bar->setValue(ok ? kJobProgressSteps : 0);
}

JobProgressRow makeJobProgressRow(JobRunner* job, QWidget* parent, int statusStretch) {
    JobProgressRow row;
    row.layout = new QHBoxLayout;
    row.bar = makeJobProgressBar(job, parent);
    row.status = new QLabel(parent);
    row.layout->addWidget(row.bar, 1);
    row.layout->addWidget(row.status, statusStretch);
    return row;
}

void showStatus(QLabel* status, const QString& text, bool error) {
    status->setText(text);
    status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void enableJobControls(bool running, bool canRun, QPushButton* run, QPushButton* cancel,
                       std::initializer_list<QWidget*> inputs) {
    run->setEnabled(!running && canRun);
    cancel->setEnabled(running);
    for (QWidget* w : inputs)
        w->setEnabled(!running);
}

QString chooseFileNearRecent(QWidget* parent, const QString& title, const QString& recentKind,
                             const QString& filter) {
    const QStringList recent = recentFiles(recentKind);
    return QFileDialog::getOpenFileName(
        parent, title, recent.isEmpty() ? QString() : QFileInfo(recent.first()).path(), filter);
}

}  // namespace cwb::ui
