#include "common/ShippedData.h"

#include <QDir>
#include <QFileInfo>

namespace cwb {

namespace {

// Symbolic links resolved where the folder exists, so /usr/bin reached through a link (or a
// build tree under a linked home) compares as the real path.
QString canonicalFolder(const QString& path) {
    const QString canonical = QFileInfo(path).canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(QDir(path).absolutePath()) : canonical;
}

bool isInside(const QString& folder, const QString& parent) {
    if (folder.isEmpty() || parent.isEmpty()) return false;
    const QString f = canonicalFolder(folder);
    const QString p = canonicalFolder(parent);
    return f == p || f.startsWith(p.endsWith('/') ? p : p + '/');
}

QString existing(const QString& path) {
    return QFileInfo::exists(path) ? QDir::cleanPath(QFileInfo(path).absoluteFilePath())
                                   : QString();
}

}  // namespace

QString locateShippedData(const QString& relative, const ShippedDataLocations& where) {
    if (relative.isEmpty()) return {};
    if (isInside(where.applicationDir, where.buildDir) && !where.sourceDir.isEmpty())
        if (QString found = existing(QDir(where.sourceDir).filePath(relative)); !found.isEmpty())
            return found;
    if (!where.applicationDir.isEmpty() && !where.relativeDataDir.isEmpty()) {
        const QDir dataDir(QDir(where.applicationDir).filePath(where.relativeDataDir));
        if (QString found = existing(dataDir.filePath(relative)); !found.isEmpty()) return found;
    }
    for (const QString& system : where.systemDataDirs)
        if (QString found = existing(QDir(system).filePath("credit-workbench/" + relative));
            !found.isEmpty())
            return found;
    return {};
}

}  // namespace cwb
