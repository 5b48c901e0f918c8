#include "render/Templates.h"

#include <QFile>

namespace cwb::render {

std::string defaultRightsTemplate() {
    QFile f(":/reports/adverse-action-rights.txt");
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll().toStdString();
}

}  // namespace cwb::render
