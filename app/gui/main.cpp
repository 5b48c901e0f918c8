// credit-workbench: the desktop workbench.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include "common/Version.h"
#include "ui/MainWindow.h"

namespace {

// The shipped default model: next to the sources in a build tree, under share/ when installed.
QString defaultModelPath() {
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .filePath("../share/credit-workbench/models/german_credit.cwbm");
    if (QFileInfo::exists(installed)) return installed;
    const QString source = QStringLiteral(CWB_SOURCE_MODELS_DIR "/german_credit.cwbm");
    return QFileInfo::exists(source) ? source : QString();
}

}  // namespace

int main(int argc, char** argv) {
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
    parser.addOption(modelOption);
    parser.process(app);

    cwb::ui::MainWindow window;
    const QString model = parser.isSet(modelOption) ? parser.value(modelOption) : defaultModelPath();
    if (!model.isEmpty()) window.openModel(model);
    window.show();
    return app.exec();
}
