#pragma once
// Rendering needs a QGuiApplication (fonts, paint engines). The command line has none: a
// RenderSession creates one on the offscreen platform for its lifetime, so `cwb report` works
// without a display. In the GUI and in tests that made their own application it does nothing.

#include <memory>

class QGuiApplication;

namespace cwb::render {

class RenderSession {
public:
    RenderSession();
    ~RenderSession();
    RenderSession(const RenderSession&) = delete;
    RenderSession& operator=(const RenderSession&) = delete;

private:
    std::unique_ptr<QGuiApplication> m_app;
};

}  // namespace cwb::render
