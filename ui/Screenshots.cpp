#include "ui/Screenshots.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include "ui/ApplicantView.h"
#include "ui/BatchView.h"
#include "ui/ExplanationView.h"
#include "ui/MainWindow.h"

namespace cwb::ui {

namespace {

// Runs the event loop until `signal` of `sender` fires or the timeout passes.
template <class Sender, class Signal>
bool waitFor(Sender* sender, Signal signal, int timeoutMs) {
    QEventLoop loop;
    bool fired = false;
    QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return fired;
}

bool save(MainWindow& window, QWidget* view, const QString& path) {
    window.showView(view);
    // Let layouts and charts settle at the final size before grabbing.
    for (int i = 0; i < 3; ++i)
        QApplication::processEvents();
    return window.grab().save(path);
}

}  // namespace

QString renderScreenshots(const QString& dir, const QString& modelPath, const QString& sampleDir) {
    if (!QDir().mkpath(dir)) return QStringLiteral("cannot create '%1'").arg(dir);
    // Keep the user's settings (recent files, geometry) out of it.
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());

    MainWindow window;
    if (!window.openModel(modelPath, true))
        return QStringLiteral("cannot open the model '%1'").arg(modelPath);
    window.setAttribute(Qt::WA_DontShowOnScreen);
    window.resize(1360, 900);
    window.show();
    QApplication::processEvents();

    const QDir samples(sampleDir);
    ApplicantView* applicant = window.applicantView();
    applicant->loadFromFile(samples.filePath("applicants.csv"), 1);
    if (!waitFor(applicant, &ApplicantView::loaded, 30000) || !applicant->result())
        return QStringLiteral("cannot score the sample applicant from %1").arg(sampleDir);
    const QDir out(dir);
    if (!save(window, applicant, out.filePath("applicant.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("applicant.png"));

    window.explainCurrentApplicant();
    if (!save(window, window.explanationView(), out.filePath("explanation.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("explanation.png"));

    BatchView* batch = window.batchView();
    batch->setInputFile(samples.filePath("batch_german.csv"));
    if (!waitFor(batch, &BatchView::previewReady, 30000) || !batch->run() ||
        !waitFor(batch, &BatchView::resultsReady, 300000))
        return QStringLiteral("cannot score the sample batch: %1").arg(batch->statusText());
    if (!save(window, batch, out.filePath("batch.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("batch.png"));
    batch->showSummary();
    if (!save(window, batch, out.filePath("batch-summary.png")))
        return QStringLiteral("cannot write %1").arg(out.filePath("batch-summary.png"));
    return {};
}

}  // namespace cwb::ui
