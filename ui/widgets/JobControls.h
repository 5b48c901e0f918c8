#pragma once
// The controls of the views that run JobRunner jobs (training, batch, performance, compare,
// scorecard editor), built one way so the keys stay the same across views: Choose (Ctrl+Shift+O),
// Run (Ctrl+R) and Cancel (Esc) buttons, and a progress bar that follows the job beside a status
// label. Texts, tooltips, object names and placement stay with each view.

#include <QString>

#include <initializer_list>

class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QWidget;

namespace cwb::ui {

class JobRunner;

// JobRunner reports fractions; the bars show them in this many steps.
inline constexpr int kJobProgressSteps = 1000;

QPushButton* makeChooseButton(const QString& text, const QString& toolTip, QWidget* parent);
QPushButton* makeRunButton(const QString& text, const QString& toolTip, QWidget* parent);
// toolTip may be empty.
QPushButton* makeCancelButton(const QString& toolTip, QWidget* parent);

// A bar without text that follows job's progress.
QProgressBar* makeJobProgressBar(JobRunner* job, QWidget* parent);
// A job's end on its bar: full when it succeeded, empty otherwise.
void showJobEnd(QProgressBar* bar, bool ok);

// The job's bar and a status label on one row, the label statusStretch times as wide.
struct JobProgressRow {
    QHBoxLayout* layout = nullptr;
    QProgressBar* bar = nullptr;
    QLabel* status = nullptr;
};
JobProgressRow makeJobProgressRow(JobRunner* job, QWidget* parent, int statusStretch);

// A status label's text, in red when it reports an error.
void showStatus(QLabel* status, const QString& text, bool error);

// Run is enabled when a job can start and none runs, Cancel while one runs, and the inputs
// only when none runs (a job reads them when it starts).
void enableJobControls(bool running, bool canRun, QPushButton* run, QPushButton* cancel,
                       std::initializer_list<QWidget*> inputs);

// A file to open, the dialog starting in the folder of the latest recent file of recentKind.
QString chooseFileNearRecent(QWidget* parent, const QString& title, const QString& recentKind,
                             const QString& filter);

}  // namespace cwb::ui
