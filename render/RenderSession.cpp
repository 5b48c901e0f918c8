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
}  // namespace

RenderSession::RenderSession() {
    if (!QCoreApplication::instance()) m_app = std::make_unique<QGuiApplication>(g_argc, g_argv);
}

RenderSession::~RenderSession() = default;

}  // namespace cwb::render
