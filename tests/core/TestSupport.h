#pragma once
// Shared helpers for the engine tests: where the shared data and fixtures are, and a scratch
// folder per test executable.

#include <QDir>
#include <QString>
#include <QTemporaryDir>

#include <string>

#include "../common/TestPaths.h"

namespace cwb::test {

inline std::string sharedPath(const char* relative) {
    return QDir(sharedDir()).filePath(QString::fromUtf8(relative)).toStdString();
}
inline std::string fixturePath(const char* relative) {
    return QDir(sourceFile(QStringLiteral("tests/data")))
        .filePath(QString::fromUtf8(relative))
        .toStdString();
}
inline std::string sourcePath(const char* relative) {
    return sourceFile(QString::fromUtf8(relative)).toStdString();
}
inline QString cliPath() {
    return cliExecutable();
}

// Writes text to a new file in dir and returns its path.
std::string writeFile(const QTemporaryDir& dir, const char* name, const std::string& text);

}  // namespace cwb::test

#include <QFile>
inline std::string cwb::test::writeFile(const QTemporaryDir& dir, const char* name,
                                        const std::string& text) {
    const QString path = dir.filePath(QString::fromUtf8(name));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(text.data(), static_cast<qint64>(text.size()));
    return path.toStdString();
}
