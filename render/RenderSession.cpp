#include "render/RenderSession.h"

#include <QGuiApplication>

namespace cwb::render {

namespace {
// QGuiApplication keeps references to argc and argv for its whole life.
int g_argc = 3;
char g_arg0[] = "cwb";
char g_arg1[] = "-platform";
// Forced, so that a QT_QPA_PLATFORM meant for the GUI (xcb without a display) cannot break
// the command line.
char g_arg2[] = "offscreen";
char* g_argv[] = {g_arg0, g_arg1, g_arg2, nullptr};

QtMessageHandler g_previous = nullptr;
// The command line has no session: Qt's note that XDG_RUNTIME_DIR is unset says nothing to a
// user of `cwb report` (the offscreen platform never uses it), so it is not printed.
void quietHandler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR"))) return;
    if (g_previous) g_previous(type, context, message);
}
}  // namespace

RenderSession::RenderSession() {
    if (QCoreApplication::instance()) return;
    g_previous = qInstallMessageHandler(quietHandler);
    m_app = std::make_unique<QGuiApplication>(g_argc, g_argv);
}

RenderSession::~RenderSession() {
    if (!m_app) return;
    m_app.reset();
    qInstallMessageHandler(g_previous);
}

}  // namespace cwb::render
