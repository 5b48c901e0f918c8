#pragma once
// Where a test finds the checkout, the shared data and the `cwb` it was built with. CTest hands
// these to every test in its environment (cmake/CwbTest.cmake) instead of compiling them in: a
// test's object file then holds no path of the checkout, so a fresh clone (CI) gets ccache hits
// for every test it compiles (decision 47). A test run by hand, outside CTest, reads the same
// settings from the CMakeCache.txt of the build tree it sits in (<build>/tests/<test>).

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QtGlobal>

namespace cwb::test {

namespace detail {

// The build tree this executable belongs to: the folder above its own.
inline QString buildTree() {
    return QFileInfo(QFileInfo(QStringLiteral("/proc/self/exe")).symLinkTarget())
        .dir()
        .absoluteFilePath(QStringLiteral(".."));
}

// "NAME:TYPE=value" from the build tree's CMakeCache.txt, or an empty string.
inline QString cachedSetting(const QString& name) {
    QFile cache(QDir(buildTree()).filePath(QStringLiteral("CMakeCache.txt")));
    if (!cache.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
    const QByteArray prefix = name.toUtf8() + ':';
    while (!cache.atEnd()) {
        const QByteArray line = cache.readLine().trimmed();
        if (!line.startsWith(prefix)) continue;
        const qsizetype equals = line.indexOf('=');
        if (equals > 0) return QString::fromUtf8(line.mid(equals + 1));
    }
    return {};
}

// The environment variable, else what fallback() finds; stops the test when neither has it.
template <class Fallback>
QString setting(const char* variable, Fallback fallback) {
    QString value = qEnvironmentVariable(variable);
    if (value.isEmpty()) value = fallback();
    if (value.isEmpty())
        qFatal(
            "%s is not set and the build tree of this test does not say it: run the test "
            "with ctest",
            variable);
    return value;
}

}  // namespace detail

// The checkout's top folder.
inline QString sourceDir() {
    static const QString dir = detail::setting("CWB_SOURCE_DIR", [] {
        return detail::cachedSetting(QStringLiteral("CMAKE_HOME_DIRECTORY"));
    });
    return dir;
}
// A file of the checkout, by its path from the top ("models/german_credit.cwbm").
inline QString sourceFile(const QString& relative) {
    return QDir(sourceDir()).filePath(relative);
}
// ../shared next to the checkout (the real credit data, the peer pipelines).
inline QString sharedDir() {
    static const QString dir = detail::setting(
        "CWB_SHARED_DIR", [] { return detail::cachedSetting(QStringLiteral("CWB_SHARED_DIR")); });
    return dir;
}
// The `cwb` executable of this build tree.
inline QString cliExecutable() {
    static const QString path = detail::setting("CWB_CLI_PATH", [] {
        const QString cli = QDir(detail::buildTree()).filePath(QStringLiteral("app/cwb"));
        return QFileInfo::exists(cli) ? QDir::cleanPath(cli) : QString();
    });
    return path;
}

}  // namespace cwb::test
