// Where the workbench finds its shipped model and sample data (common/ShippedData.h): from the
// build tree, from an installed copy anywhere (package under /usr, tarball unpacked elsewhere),
// and from the XDG data directories, in that order, on real folders.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "common/ShippedData.h"

namespace {

const QString kModel = QStringLiteral("models/german_credit.cwbm");

bool touch(const QString& path) {
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) return false;
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write("x") == 1;
}

}  // namespace

class ShippedDataTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_root;

    QString path(const QString& relative) const {
        return QDir::cleanPath(m_root.filePath(relative));
    }

    // A machine with a checkout and its build tree, an installed prefix, an unpacked tarball and
    // two system data folders. Only the files named in `present` exist.
    cwb::ShippedDataLocations layout(const QString& applicationDir) const {
        cwb::ShippedDataLocations where;
        where.applicationDir = path(applicationDir);
        where.buildDir = path("src/build/release");
        where.sourceDir = path("src");
        where.relativeDataDir = QStringLiteral("../share/credit-workbench");
        where.systemDataDirs = {path("home/.local/share"), path("usr/share")};
        return where;
    }

private slots:
    void init() {
        QVERIFY(m_root.isValid());
        QVERIFY(QDir(m_root.path()).removeRecursively());
        QVERIFY(QDir().mkpath(m_root.path()));
    }

    void findsTheFirstExistingPlace_data() {
        QTest::addColumn<QString>("applicationDir");
        QTest::addColumn<QStringList>("present");
        QTest::addColumn<QString>("expected");  // empty: not found
        const QString src = "src/" + kModel;
        const QString usr = "usr/share/credit-workbench/" + kModel;
        const QString opt = "opt/cw/share/credit-workbench/" + kModel;
        const QString home = "home/.local/share/credit-workbench/" + kModel;
        QTest::newRow("build tree reads the sources")
            << "src/build/release/app" << QStringList{src, usr} << src;
        QTest::newRow("installed under /usr reads /usr/share")
            << "usr/bin" << QStringList{src, usr} << usr;
        QTest::newRow("unpacked tarball reads its own copy first")
            << "opt/cw/bin" << QStringList{src, usr, home, opt} << opt;
        QTest::newRow("moved binary falls back to the XDG data directories in order")
            << "opt/cw/bin" << QStringList{src, usr, home} << home;
        QTest::newRow("last XDG data directory") << "opt/cw/bin" << QStringList{src, usr} << usr;
        QTest::newRow("installed binary never reads a checkout")
            << "usr/bin" << QStringList{src} << QString();
        QTest::newRow("build tree without the source file falls back to the install")
            << "src/build/release/app" << QStringList{usr} << usr;
        QTest::newRow("a sibling folder of the build tree is not inside it")
            << "src/build/release-other/app" << QStringList{src} << QString();
        QTest::newRow("nothing anywhere") << "usr/bin" << QStringList{} << QString();
    }

    void findsTheFirstExistingPlace() {
        QFETCH(QString, applicationDir);
        QFETCH(QStringList, present);
        QFETCH(QString, expected);
        QVERIFY(QDir().mkpath(path(applicationDir)));
        for (const QString& file : present)
            QVERIFY(touch(path(file)));
        const QString found = cwb::locateShippedData(kModel, layout(applicationDir));
        QCOMPARE(found, expected.isEmpty() ? QString() : path(expected));
    }

    void findsFolders() {
        QVERIFY(QDir().mkpath(path("usr/bin")));
        QVERIFY(touch(path("usr/share/credit-workbench/sample_data/applicants.csv")));
        QCOMPARE(cwb::locateShippedData("sample_data", layout("usr/bin")),
                 path("usr/share/credit-workbench/sample_data"));
    }

    void followsALinkedBinaryFolder() {
        // /usr/bin reached through a link (e.g. /bin -> usr/bin) still resolves share/.
        QVERIFY(QDir().mkpath(path("usr/bin")));
        QVERIFY(touch(path("usr/share/credit-workbench/" + kModel)));
        QVERIFY(QFile::link(path("usr/bin"), path("bin")));
        cwb::ShippedDataLocations where = layout("bin");
        where.systemDataDirs.clear();
        // ../share from the link's target, as applicationDirPath() reports the real folder; a
        // build tree reached through a link is still recognised as the build tree.
        where.applicationDir = QFileInfo(path("bin")).canonicalFilePath();
        QCOMPARE(cwb::locateShippedData(kModel, where),
                 path("usr/share/credit-workbench/" + kModel));
        QVERIFY(QDir().mkpath(path("src/build/release/app")));
        QVERIFY(touch(path("src/" + kModel)));
        QVERIFY(QFile::link(path("src/build"), path("buildlink")));
        where = layout("buildlink/release/app");
        QCOMPARE(cwb::locateShippedData(kModel, where), path("src/" + kModel));
    }

    void emptyRelativePathIsNotFound() {
        QVERIFY(touch(path("usr/share/credit-workbench/" + kModel)));
        QCOMPARE(cwb::locateShippedData(QString(), layout("usr/bin")), QString());
    }
};

QTEST_GUILESS_MAIN(ShippedDataTest)
#include "tst_shipped_data.moc"
