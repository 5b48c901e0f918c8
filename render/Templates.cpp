#include "render/Templates.h"

#include <QFile>

namespace cwb::render {

Result<std::string> readRightsTemplate(const std::string& path) {
    constexpr qint64 kMaxBytes = 64 * 1024;
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly))
        return Error::badInput("template '" + path + "' cannot be read");
    if (f.size() > kMaxBytes)
        return Error::badInput("template '" + path + "' is larger than 64 KiB");
    return f.readAll().toStdString();
}

std::string defaultRightsTemplate() {
    QFile f(":/reports/adverse-action-rights.txt");
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll().toStdString();
}

}  // namespace cwb::render
