// The install tree every package is made from: `cmake --install` of this build into a folder
// that is not /usr (as an unpacked tarball would be), then the installed programs run from
// there. They must find the shipped model and sample data beside themselves, never in the
// checkout, and keep the user's settings, store and log in the XDG folders. The real Debian
// package is installed, upgraded and removed by installer/test-package.sh in CI.

#include <QDirIterator>
#include <QImageReader>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "../core/CliRunner.h"

namespace {

using cwb::test::CliRun;
using cwb::test::runProgram;

// "model  /path" lines of credit-workbench --paths.
QMap<QString, QString> parsePaths(const QByteArray& out) {
    QMap<QString, QString> paths;
    for (const QByteArray& line : out.split('\n')) {
        const QString text = QString::fromUtf8(line).trimmed();
        const qsizetype space = text.indexOf(' ');
        if (space > 0) paths.insert(text.left(space), text.mid(space).trimmed());
    }
    return paths;
}

QByteArray gunzip(const QString& path) {
    const CliRun r = runProgram(QStringLiteral("gzip"), {"-dc", path});
    return r.exitCode == 0 ? r.out : QByteArray();
}

}  // namespace

class InstalledLayoutTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_prefix;

    QString installed(const QString& relative) const { return m_prefix + '/' + relative; }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_prefix = m_dir.filePath("opt/credit-workbench");
        const CliRun install =
            runProgram(QStringLiteral(CWB_CMAKE_COMMAND),
                       {"--install", QStringLiteral(CWB_BUILD_DIR), "--prefix", m_prefix});
        QVERIFY2(install.exitCode == 0, install.err.constData());
    }

    void holdsWhatThePackageShips() {
        QStringList expected = {
            "bin/cwb",
            "bin/credit-workbench",
            "share/credit-workbench/models/german_credit.cwbm",
            "share/credit-workbench/sample_data/README.md",
            "share/credit-workbench/sample_data/german_credit.csv",
            "share/credit-workbench/sample_data/german_credit.dictionary.csv",
            "share/credit-workbench/sample_data/applicants.csv",
            "share/credit-workbench/sample_data/batch_german.csv",
            "share/applications/credit-workbench.desktop",
            "share/metainfo/io.github.creditworkbench.CreditWorkbench.metainfo.xml",
            "share/icons/hicolor/scalable/apps/credit-workbench.svg",
            "share/man/man1/cwb.1.gz",
            "share/man/man1/credit-workbench.1.gz",
            "share/doc/credit-workbench/copyright",
            "share/doc/credit-workbench/changelog.gz",
            "share/doc/credit-workbench/user-guide.md",
            "share/doc/credit-workbench/monitoring.md",
            "share/doc/credit-workbench/file-formats.md",
            "share/doc/credit-workbench/monitoring/prometheus.yml",
            "share/doc/credit-workbench/monitoring/alerts.yml",
            "share/doc/credit-workbench/monitoring/alerts_test.yml",
            "share/doc/credit-workbench/monitoring/grafana-dashboard.json",
        };
        for (const QString& size : QStringLiteral(CWB_ICON_SIZES).split(' '))
            expected
                << QStringLiteral("share/icons/hicolor/%1x%1/apps/credit-workbench.png").arg(size);

        QSet<QString> present;
        QDirIterator it(m_prefix, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            present.insert(QDir(m_prefix).relativeFilePath(it.next()));
        for (const QString& file : expected)
            QVERIFY2(present.contains(file), qPrintable("not installed: " + file));
        // Nothing else: no scratch files, build outputs, recipes or generators.
        for (const QString& file : present)
            QVERIFY2(expected.contains(file), qPrintable("installed but not expected: " + file));
        QVERIFY(QFileInfo(installed("bin/cwb")).isExecutable());
        QVERIFY(QFileInfo(installed("bin/credit-workbench")).isExecutable());
    }

    void programsCarryNoLibrarySearchPath() {
        // Both link system libraries only; Debian binaries carry no RPATH or RUNPATH.
        for (const char* program : {"bin/cwb", "bin/credit-workbench"}) {
            const CliRun dynamic =
                runProgram(QStringLiteral("readelf"), {"-d", installed(program)});
            QVERIFY2(dynamic.exitCode == 0, dynamic.err.constData());
            QVERIFY(dynamic.out.contains("(NEEDED)"));
            QVERIFY2(!dynamic.out.contains("(RUNPATH)") && !dynamic.out.contains("(RPATH)"),
                     dynamic.out.constData());
        }
    }

    void iconsAreRealPngsOfTheirSize() {
        for (const QString& size : QStringLiteral(CWB_ICON_SIZES).split(' ')) {
            QImageReader reader(installed(
                QStringLiteral("share/icons/hicolor/%1x%1/apps/credit-workbench.png").arg(size)));
            QCOMPARE(reader.format(), QByteArray("png"));
            const QImage icon = reader.read();
            QVERIFY2(!icon.isNull(), qPrintable(reader.errorString()));
            QCOMPARE(icon.width(), size.toInt());
            QCOMPARE(icon.height(), size.toInt());
            // Rendered, not blank: the tile's blue fills the centre, the corners are clear.
            QVERIFY(qAlpha(icon.pixel(icon.width() / 2, icon.height() / 2)) == 255);
            QCOMPARE(qAlpha(icon.pixel(0, 0)), 0);
        }
    }

    void versionIsTheProjectVersionEverywhere() {
        const QString version = QStringLiteral(CWB_PROJECT_VERSION);
        const CliRun cli = runProgram(installed("bin/cwb"), {"--version"});
        QCOMPARE(cli.exitCode, 0);
        QCOMPARE(QString::fromUtf8(cli.out).trimmed(), "cwb " + version);
        const CliRun gui = runProgram(installed("bin/credit-workbench"), {"--version"});
        QCOMPARE(gui.exitCode, 0);
        QVERIFY2(gui.out.contains(version.toUtf8()), gui.out.constData());
        for (const char* page :
             {"share/man/man1/cwb.1.gz", "share/man/man1/credit-workbench.1.gz"}) {
            const QByteArray text = gunzip(installed(page));
            QVERIFY2(text.startsWith(".TH "), page);
            QVERIFY2(text.contains("\"Credit Workbench " + version.toUtf8() + "\""), page);
            QVERIFY2(!text.contains('@'), page);  // no placeholder left
        }
        const QByteArray changelog = gunzip(installed("share/doc/credit-workbench/changelog.gz"));
        QVERIFY(changelog.startsWith("credit-workbench (" + version.toUtf8() + ") "));
    }

    void installedCliScoresTheInstalledSample() {
        const QString out = m_dir.filePath("scored.csv");
        const CliRun score = runProgram(
            installed("bin/cwb"),
            {"score", "--model", installed("share/credit-workbench/models/german_credit.cwbm"),
             "--in", installed("share/credit-workbench/sample_data/applicants.csv"), "--out", out,
             "--json"});
        QVERIFY2(score.exitCode == 0, score.err.constData());
        const nlohmann::json summary = score.json();
        QCOMPARE(summary.value("rows_scored", -1), 10);
        QCOMPARE(summary.value("rows_rejected", -1), 0);
        QVERIFY(QFileInfo(out).size() > 0);
    }

    void installedGuiFindsItsDataAndTheUsersFolders_data() {
        QTest::addColumn<bool>("xdgSet");
        QTest::newRow("XDG variables set") << true;
        QTest::newRow("only HOME") << false;
    }

    void installedGuiFindsItsDataAndTheUsersFolders() {
        QFETCH(bool, xdgSet);
        const QString home = m_dir.filePath(xdgSet ? "home-xdg" : "home-plain");
        QVERIFY(QDir().mkpath(home));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", home);
        for (const char* name :
             {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_DATA_DIRS"})
            env.remove(name);
        QString config = home + "/.config", data = home + "/.local/share",
                state = home + "/.local/state";
        if (xdgSet) {
            config = m_dir.filePath("xdg/config");
            data = m_dir.filePath("xdg/data");
            state = m_dir.filePath("xdg/state");
            env.insert("XDG_CONFIG_HOME", config);
            env.insert("XDG_DATA_HOME", data);
            env.insert("XDG_STATE_HOME", state);
        }
        // Leave no system data folder that could hold another copy of the data.
        env.insert("XDG_DATA_DIRS", m_dir.filePath("no-system-data"));
        const CliRun paths = runProgram(installed("bin/credit-workbench"), {"--paths"}, env);
        QVERIFY2(paths.exitCode == 0, paths.err.constData());
        const QMap<QString, QString> found = parsePaths(paths.out);
        QCOMPARE(found.value("model"),
                 installed("share/credit-workbench/models/german_credit.cwbm"));
        QCOMPARE(found.value("sample-data"), installed("share/credit-workbench/sample_data"));
        QCOMPARE(found.value("settings"), config + "/CreditWorkbench/credit-workbench.conf");
        QCOMPARE(found.value("store"), data + "/CreditWorkbench/credit-workbench/workbench.sqlite");
        QCOMPARE(found.value("log"), state + "/credit-workbench/gui.log");
    }
};

QTEST_MAIN(InstalledLayoutTest)
#include "tst_installed_layout.moc"
