// credit-workbench: the desktop workbench.

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>
#include <cstring>

#include "common/ShippedData.h"
#include "common/Version.h"
#include "monitor/JsonLog.h"
#include "ui/common/AppSettings.h"
#include "ui/common/GuiMetrics.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/Screenshots.h"
#include "ui/store/StoreSession.h"

namespace {

// The shipped model and sample data: next to the sources when this binary runs from its build
// tree, else in the data folder installed with it (share/credit-workbench beside bin/, wherever
// the package or tarball put it), else in the XDG data directories.
QString shippedData(const QString& relative) {
    cwb::ShippedDataLocations where;
    where.applicationDir = QCoreApplication::applicationDirPath();
    where.buildDir = QStringLiteral(CWB_BUILD_DIR);
    where.sourceDir = QStringLiteral(CWB_SOURCE_DIR);
    where.relativeDataDir = QStringLiteral(CWB_RELATIVE_DATA_DIR);
    where.systemDataDirs = QStandardPaths::standardLocations(QStandardPaths::GenericDataLocation);
    return cwb::locateShippedData(relative, where);
}

QString defaultModelPath() {
    return shippedData(QStringLiteral("models/german_credit.cwbm"));
}

QString sampleDataDir() {
    return shippedData(QStringLiteral("sample_data"));
}

// --paths: what this user's workbench reads and writes, for an administrator or a bug report.
void printPaths() {
    const auto line = [](const char* what, const QString& path) {
        std::printf("%-12s %s\n", what, path.isEmpty() ? "(not found)" : qPrintable(path));
    };
    line("model", defaultModelPath());
    line("sample-data", sampleDataDir());
    line("settings", QSettings().fileName());
    line("store", cwb::ui::StoreSession::resolvePath(cwb::ui::AppSettings::load().storePath));
    line("log", QString::fromStdString(cwb::JsonLog::defaultLogDirectory() + "/gui.log"));
}

}  // namespace

int main(int argc, char** argv) {
    // Screenshots are rendered offscreen, and --version / --help / --paths print text: none of them
    // needs (or touches) a display, so they work on a headless machine too.
    for (int i = 1; i < argc; ++i) {
        const bool offscreen =
            std::strcmp(argv[i], "--screenshots") == 0 || std::strcmp(argv[i], "--version") == 0 ||
            std::strcmp(argv[i], "-v") == 0 || std::strcmp(argv[i], "--help") == 0 ||
            std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--paths") == 0;
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
    QCommandLineOption sizeOption(
        "screenshot-size",
        "Window size for --screenshots, as WIDTHxHEIGHT (default 1360x900), e.g. 1280x720 to "
        "check a small screen.",
        "size", "1360x900");
    QCommandLineOption pathsOption(
        "paths",
        "Print where the shipped model and sample data were found and where this user's "
        "settings, store and log are kept, then exit.");
    parser.addOption(modelOption);
    parser.addOption(screenshotsOption);
    parser.addOption(sizeOption);
    parser.addOption(pathsOption);
    parser.process(app);
    if (parser.isSet(pathsOption)) {
        printPaths();
        return 0;
    }

    const QString model =
        parser.isSet(modelOption) ? parser.value(modelOption) : defaultModelPath();
    if (parser.isSet(screenshotsOption)) {
        if (model.isEmpty() || sampleDataDir().isEmpty()) {
            std::fprintf(stderr, "credit-workbench: the shipped model or sample data is missing\n");
            return 1;
        }
        const QStringList wh = parser.value(sizeOption).split(QLatin1Char('x'));
        const int width = wh.size() == 2 ? wh[0].toInt() : 0;
        const int height = wh.size() == 2 ? wh[1].toInt() : 0;
        if (width < 320 || height < 240 || width > 10000 || height > 10000) {
            std::fprintf(stderr,
                         "credit-workbench: --screenshot-size wants WIDTHxHEIGHT, "
                         "e.g. 1280x720\n");
            return 2;
        }
        const QString error = cwb::ui::renderScreenshots(parser.value(screenshotsOption), model,
                                                         sampleDataDir(), QSize(width, height));
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
    // The store (issue 11) once the window is up: created on first start with this OS user as
    // its only user, who is then signed in without a dialog; a store with several users asks.
    QTimer::singleShot(0, &window, [&window] { window.openStore({}, true); });
    const int code = app.exec();
    // A normal exit removes this GUI's group from the gateway (bounded wait, see GuiMetrics).
    window.monitoring()->shutdown();
    return code;
}
