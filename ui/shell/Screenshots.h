#pragma once
// `credit-workbench --screenshots DIR`: renders each view with the shipped model and sample
// data (an applicant scored, its explanation, a batch run with results) into DIR as
// applicant.png, explanation.png, audit.png (a throw-away store's audit trail, verified),
// batch.png (and batch-summary.png), performance.png and compare.png. For documentation and for
// checking the views on machines without a display.

#include <QSize>
#include <QString>

namespace cwb::ui {

// Returns an empty string on success, else what went wrong. Needs a QApplication; settings
// and recent files of the user are left alone.
QString renderScreenshots(const QString& dir, const QString& modelPath, const QString& sampleDir,
                          const QSize& size = QSize(1360, 900));

}  // namespace cwb::ui
