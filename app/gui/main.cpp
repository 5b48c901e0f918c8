// credit-workbench: the desktop workbench.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include <cstdio>
#include <cstring>

#include "common/Version.h"
#include "monitor/JsonLog.h"
#include "ui/common/GuiMetrics.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/Screenshots.h"

namespace {

// A shipped file: under share/ when installed, else next to the sources in a build tree.
QString shippedPath(const QString& installedRelative, const QString& sourcePath) {
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .filePath("../share/credit-workbench/" + installedRelative);
    if (QFileInfo::exists(installed)) return QDir::cleanPath(installed);
    return QFileInfo::exists(sourcePath) ? sourcePath : QString();
}

QString defaultModelPath() {
    return shippedPath("models/german_credit.cwbm",
                       QStringLiteral(CWB_SOURCE_MODELS_DIR "/german_credit.cwbm"));
}

QString sampleDataDir() {
    return shippedPath("sample_data", QStringLiteral(CWB_SOURCE_SAMPLE_DIR));
}

}  // namespace

int main(int argc, char** argv) {
    // Screenshots are rendered offscreen, and --version / --help print text: none of them
    // needs (or touches) a display, so they work on a headless machine too.
    for (int i = 1; i < argc; ++i) {
        const bool offscreen =
            std::strcmp(argv[i], "--screenshots") == 0 || std::strcmp(argv[i], "--version") == 0 ||
            std::strcmp(argv[i], "-v") == 0 || std::strcmp(argv[i], "--help") == 0 ||
            std::strcmp(argv[i], "-h") == 0;
        if (offscreen && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName("credit-workbench");
    QApplication::setOrganizationName("CreditWorkbench");
    QApplication::setApplicationDisplayName("Credit Workbench");
    QApplication::setApplicationVersion(cwb::version());

    QCommandLineParser parser;
    parser.setApplicationDescription("Credit Workbench: credit scoring workbench");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption modelOption("model", "Model bundle to open.", "file");
    QCommandLineOption screenshotsOption(
        "screenshots",
        "Render the applicant, explanation and batch views with the shipped model and sample "
        "data into <dir> as PNG files, then exit.",
        "dir");
    parser.addOption(modelOption);
    parser.addOption(screenshotsOption);
    parser.process(app);

    const QString model =
        parser.isSet(modelOption) ? parser.value(modelOption) : defaultModelPath();
    if (parser.isSet(screenshotsOption)) {
        if (model.isEmpty() || sampleDataDir().isEmpty()) {
            std::fprintf(stderr, "credit-workbench: the shipped model or sample data is missing\n");
            return 1;
        }
        const QString error =
            cwb::ui::renderScreenshots(parser.value(screenshotsOption), model, sampleDataDir());
        if (!error.isEmpty()) {
            std::fprintf(stderr, "credit-workbench: %s\n", qPrintable(error));
            return 1;
        }
        std::fprintf(stderr, "credit-workbench: screenshots written to %s\n",
                     qPrintable(parser.value(screenshotsOption)));
        return 0;
    }

    // Structured log: <state dir>/credit-workbench/gui.log; CWB_LOG_LEVEL as for cwb.
    cwb::LogConfig logConfig;
    logConfig.app = "gui";
    logConfig.level = cwb::logLevelFromString(qEnvironmentVariable("CWB_LOG_LEVEL").toStdString())
                          .value_or(cwb::LogLevel::Info);
    cwb::JsonLog::instance().configure(logConfig);

    cwb::ui::MainWindow window;
    if (!model.isEmpty()) window.openModel(model);
    window.show();
    const int code = app.exec();
    // A normal exit removes this GUI's group from the gateway (bounded wait, see GuiMetrics).
    window.monitoring()->shutdown();
    return code;
}
