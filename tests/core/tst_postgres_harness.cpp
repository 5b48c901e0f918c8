// The PostgreSQL test harness itself (tests/common/PostgresServer.h), which the SQL export and
// team-store tests rely on: a real server starts unprivileged on loopback, password
// authentication works over TCP with the password kept off command lines, and the server and
// its directory are gone after stop() or when the object dies. Skipped only when the
// PostgreSQL binaries are not installed.

#include <QDir>
#include <QFileInfo>
#include <QTest>

#include "../common/PostgresServer.h"

using cwb::test::PostgresServer;

class TestPostgresHarness : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (!PostgresServer::available())
            QSKIP("PostgreSQL 15 (initdb, postgres, psql) is not installed");
    }

    void passwordOverTcpTrustOnSocket() {
        PostgresServer pg;
        PostgresServer::Options options;
        options.password = QStringLiteral("s3cret 'quoted' \"pw\"");
        QString error;
        QVERIFY2(pg.start(&error, options), qPrintable(error));
        QVERIFY(pg.running());
        QVERIFY(pg.port() > 0);
        // initdb read the password from a file that no longer exists.
        QVERIFY(QDir(pg.socketDir()).entryList({"*.pw"}).isEmpty());

        auto run = pg.sql("SELECT 40 + 2");
        QVERIFY2(run.ok(), run.err.constData());
        QCOMPARE(run.out.trimmed(), QByteArray("42"));

        run = pg.psqlOverTcp({"-A", "-t", "-c", "SELECT inet_server_addr()"}, options.password);
        QVERIFY2(run.ok(), run.err.constData());
        QCOMPARE(run.out.trimmed(), QByteArray("127.0.0.1"));
        run = pg.psqlOverTcp({"-c", "SELECT 1"}, "wrong");
        QVERIFY(!run.ok());
        QVERIFY2(run.err.contains("password authentication failed"), run.err.constData());
        run = pg.psqlOverTcp({"-c", "SELECT 1"});
        QVERIFY(!run.ok());

        // As root the server runs as another account: the data directory is not root's.
        if (::geteuid() == 0) QVERIFY(QFileInfo(pg.dataDir()).ownerId() != 0);
        run = pg.sql("SELECT current_setting('listen_addresses')");
        QCOMPARE(run.out.trimmed(), QByteArray("127.0.0.1"));
    }

    void stopAndDestructorCleanUp() {
        QString directory;
        quint16 port = 0;
        {
            PostgresServer pg;
            QString error;
            QVERIFY2(pg.start(&error), qPrintable(error));
            directory = pg.socketDir();
            port = pg.port();
            QVERIFY(QFileInfo::exists(directory));
        }
        QVERIFY(!QFileInfo::exists(directory));
        QProcess ready;
        ready.start(PostgresServer::binary("pg_isready"),
                    {"-h", "127.0.0.1", "-p", QString::number(port), "-t", "2"});
        QVERIFY(ready.waitForFinished(10000));
        QVERIFY(ready.exitCode() != 0);  // nobody answers on the port any more

        PostgresServer pg;
        QString error;
        QVERIFY2(pg.start(&error), qPrintable(error));
        pg.stop();
        QVERIFY(!pg.running());
        // A stopped server can be started again, fresh.
        QVERIFY2(pg.start(&error), qPrintable(error));
        QVERIFY(pg.sql("SELECT 1").ok());
    }
};

QTEST_GUILESS_MAIN(TestPostgresHarness)
#include "tst_postgres_harness.moc"
