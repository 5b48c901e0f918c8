// Issue 10, files and paths: what `cwb score` does with its outputs and inputs as a user meets
// it. Outputs replace old files atomically and never destroy an input; special files are
// refused; SIGINT/SIGTERM leave the old output and no temporaries; text that a spreadsheet would
// run as a formula is neutralised; Windows-1252 files are read; broken files get short messages.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "CliRunner.h"

using namespace cwb::test;

namespace {

QString modelPath() {
    return QString::fromStdString(sourcePath("models/german_credit.cwbm"));
}
QString batchPath() {
    return QString::fromStdString(sourcePath("sample_data/batch_german.csv"));
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& data) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

// Files in dir whose names say they are cwb temporaries.
QStringList temporaries(const QString& dir) {
    return QDir(dir).entryList({QStringLiteral("*.cwb-*"), QStringLiteral("*.part")},
                               QDir::Files | QDir::Hidden);
}

QList<QByteArray> lines(const QByteArray& text) {
    QList<QByteArray> out = text.split('\n');
    while (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

}  // namespace

class CliOutputsTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString tmp(const QString& name) const { return m_dir.filePath(name); }

    CliRun score(const QString& in, const QString& out, QStringList extra = {},
                 int timeoutMs = 120000) {
        QStringList args{"score", "--model", modelPath(), "--in", in, "--out", out, "--quiet"};
        args << extra;
        return runCli(args, timeoutMs);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void outputEqualToTheModelIsRefused() {
        const QString model = tmp("model-copy.cwbm");
        QVERIFY(QFile::copy(modelPath(), model));
        const QByteArray before = readAll(model);
        CliRun run =
            runCli({"score", "--model", model, "--in", batchPath(), "--out", model, "--quiet"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("same file as the model"), run.err.constData());
        QCOMPARE(readAll(model), before);
        // By identity, not by name: another spelling and a hard link are caught too.
        const QString link = tmp("model-hardlink.csv");
        QCOMPARE(::link(model.toLocal8Bit().constData(), link.toLocal8Bit().constData()), 0);
        run = runCli({"score", "--model", model, "--in", batchPath(), "--out", link, "--quiet"});
        QCOMPARE(run.exitCode, 2);
        run = runCli({"score", "--model", model, "--in", batchPath(), "--out",
                      m_dir.path() + "/./" + QFileInfo(model).fileName(), "--quiet"});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(readAll(model), before);
        QVERIFY(temporaries(m_dir.path()).isEmpty());
    }

    void outputOrRejectsEqualToTheInputIsRefused() {
        const QString in = tmp("input-copy.csv");
        QVERIFY(QFile::copy(batchPath(), in));
        const QByteArray before = readAll(in);
        CliRun run = score(in, in);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("same file as the input"), run.err.constData());
        run = score(in, tmp("fine.csv"), {"--rejects", in});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(readAll(in), before);
        QVERIFY(!QFile::exists(tmp("fine.csv")));
    }

    void trainingRefusesToOverwriteItsDataBeforeTraining() {
        const QString data = tmp("train-copy.csv");
        QVERIFY(
            QFile::copy(QString::fromStdString(sourcePath("sample_data/german_credit.csv")), data));
        const QByteArray before = readAll(data);
        const CliRun run =
            runCli({"train", "--data", data, "--target", "class", "--bad", "2", "--algorithm",
                    "scorecard", "--cv", "2", "--out", data, "--quiet"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("same file as the training data"), run.err.constData());
        QCOMPARE(readAll(data), before);
    }

    void symlinkedOutputIsWrittenThroughAndStaysALink() {
        const QString real = tmp("real-results.csv");
        QVERIFY(writeAll(real, "old\n"));
        const QString link = tmp("results-link.csv");
        QVERIFY(QFile::link(real, link));
        const CliRun run = score(batchPath(), link);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(lines(readAll(real)).size(), 5001);
        QVERIFY(temporaries(m_dir.path()).isEmpty());
    }

    void specialFilesAreRefusedNotReplaced() {
        CliRun run = score(batchPath(), "/dev/null");
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("character device"), run.err.constData());
        QVERIFY(QFileInfo(QStringLiteral("/dev/null")).exists());
        const QString fifo = tmp("out.fifo");
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        run = score(batchPath(), fifo, {}, 20000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("FIFO"), run.err.constData());
    }

    void fifoInputWithoutWriterDoesNotHang() {
        const QString fifo = tmp("in.fifo");
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        const auto started = std::chrono::steady_clock::now();
        const CliRun run = score(fifo, tmp("from-fifo.csv"), {}, 20000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("not a regular file"), run.err.constData());
        QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
    }

    void twoRunsOnTheSameOutputBothSucceed() {
        const QString out = tmp("shared.csv");
        for (int trial = 0; trial < 3; ++trial) {
            QProcess a, b;
            const QStringList args{"score", "--model", modelPath(), "--in",      batchPath(),
                                   "--out", out,       "--quiet",   "--reasons", "0"};
            a.start(cliPath(), args);
            b.start(cliPath(), args);
            QVERIFY(a.waitForFinished(120000));
            QVERIFY(b.waitForFinished(120000));
            QCOMPARE(a.exitCode(), 0);
            QCOMPARE(b.exitCode(), 0);
            QCOMPARE(lines(readAll(out)).size(), 5001);
        }
        QVERIFY(temporaries(m_dir.path()).isEmpty());
    }

    void replacingKeepsTheOldFileUntilTheNewOneIsComplete_data() {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }
    void replacingKeepsTheOldFileUntilTheNewOneIsComplete() {
        QFETCH(int, signal);
        // A portfolio big enough to be interrupted: the sample batch 40 times.
        const QString big = tmp("big.csv");
        if (!QFile::exists(big)) {
            const QList<QByteArray> rows = lines(readAll(batchPath()));
            QByteArray text = rows.first() + '\n';
            for (int copy = 0; copy < 40; ++copy)
                for (qsizetype r = 1; r < rows.size(); ++r)
                    text += rows[r] + '\n';
            QVERIFY(writeAll(big, text));
        }
        QTemporaryDir outDir;
        const QString out = outDir.filePath("scored.csv");
        QVERIFY(writeAll(out, "the previous run's results\n"));
        QProcess p;
        p.start(cliPath(), {"score", "--model", modelPath(), "--in", big, "--out", out, "--quiet",
                            "--threads", "1", "--chunk-rows", "512"});
        QVERIFY(p.waitForStarted());
        // Wait until the temporary exists, i.e. scoring has begun.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (temporaries(outDir.path()).isEmpty() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        QVERIFY(!temporaries(outDir.path()).isEmpty());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        QCOMPARE(::kill(static_cast<pid_t>(p.processId()), signal), 0);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 128 + signal);
        QVERIFY2(p.readAllStandardError().contains("cancelled"), "no cancel message");
        QCOMPARE(readAll(out), QByteArray("the previous run's results\n"));
        QVERIFY2(temporaries(outDir.path()).isEmpty(),
                 qPrintable(temporaries(outDir.path()).join(' ')));
    }

    void formulasInUserTextAreNeutralised() {
        const QList<QByteArray> rows = lines(readAll(batchPath()));
        QByteArray text = rows[0] + '\n';
        // Ids that a spreadsheet would run, a negative number id that it must not change, and
        // a row rejected for an unknown level whose record starts with a formula.
        QList<QByteArray> ids{"=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-42", "\tTAB"};
        for (qsizetype i = 0; i < ids.size(); ++i) {
            QByteArray row = rows[i + 1];
            row = '"' + ids[i] + '"' + row.mid(row.indexOf(','));
            text += row + '\n';
        }
        // checking_status (the second column) gets a level the model never saw.
        QByteArray bad = rows[10];
        const qsizetype second = bad.indexOf(',', bad.indexOf(',') + 1);
        bad = "=SUM(9+9),=1+2" + bad.mid(second);
        text += bad + '\n';
        const QString in = tmp("formulas.csv");
        QVERIFY(writeAll(in, text));
        const QString out = tmp("formulas-out.csv");
        const CliRun run = score(in, out, {"--rejects", tmp("formulas-rejects.csv")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QByteArray results = readAll(out);
        QVERIFY2(results.contains("\n'=cmd|' /C calc'!A0,"), results.constData());
        QVERIFY(results.contains("\n'@SUM(1+1),"));
        QVERIFY(results.contains("\n'+1+1,"));
        QVERIFY(results.contains("\n-42,"));  // a number is never prefixed
        const QByteArray rejects = readAll(tmp("formulas-rejects.csv"));
        QCOMPARE(lines(rejects).size(), 2);
        // The record starts with a formula: the whole field is quoted and guarded.
        QVERIFY2(rejects.contains(",\"'=SUM(9+9),=1+2,"), rejects.constData());
        for (const QByteArray& line : lines(results))
            QVERIFY2(!line.startsWith('=') && !line.startsWith('@') && !line.startsWith('+'),
                     line.constData());
    }

    void windows1252InputIsDetectedAndNamedEncodingsAreRead() {
        // "Bürgschaft" and "€" as a Windows spreadsheet writes them, in a categorical column.
        QByteArray text = "id,guarantee,amount,bad\n";
        for (int i = 0; i < 200; ++i)
            text += QByteArray::number(i) +
                    (i % 3 == 0   ? ",B\xFCrgschaft,"
                     : i % 3 == 1 ? ",keine,"
                                  : ",\x80 Deposit,") +
                    QByteArray::number(1000 + (i * 37) % 900) + "," +
                    QByteArray::number(i % 4 == 0) + "\n";
        const QString in = tmp("cp1252.csv");
        QVERIFY(writeAll(in, text));
        const QString schema = tmp("cp1252.schema.json");
        CliRun run = runCli({"schema", "--data", in, "--out", schema});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QByteArray json = readAll(schema);
        QVERIFY2(json.contains("B\xC3\xBCrgschaft"), json.constData());  // UTF-8 now
        QVERIFY2(json.contains("\xE2\x82\xAC Deposit"), json.constData());

        const QString model = tmp("cp1252.cwbm");
        run = runCli({"train", "--data", in, "--target", "bad", "--algorithm", "scorecard", "--cv",
                      "2", "--id", "id", "--out", model, "--quiet"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        // Scoring the same file named as Windows-1252 and as detected gives the same results.
        run = runCli({"score", "--model", model, "--in", in, "--out", tmp("cp1252-a.csv"),
                      "--quiet", "--encoding", "windows-1252", "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json()["rows_scored"].get<int>(), 200);
        QCOMPARE(run.json()["encoding"].get<std::string>(), std::string("Windows-1252"));
        run = runCli({"score", "--model", model, "--in", in, "--out", tmp("cp1252-b.csv"),
                      "--quiet", "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(readAll(tmp("cp1252-a.csv")), readAll(tmp("cp1252-b.csv")));
        // Named as UTF-8, the file is refused with the first bad line.
        run = runCli({"score", "--model", model, "--in", in, "--out", tmp("cp1252-c.csv"),
                      "--quiet", "--encoding", "utf-8"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("line 2 is not valid UTF-8"), run.err.constData());
    }

    void invalidUtf8AfterTheFirstBlockNamesTheLine() {
        const QList<QByteArray> rows = lines(readAll(batchPath()));
        QByteArray text = rows[0] + '\n';
        int line = 1;
        while (text.size() < 3 * 1024 * 1024) {
            text += rows[1 + line % 5000] + '\n';
            ++line;
        }
        QByteArray bad = rows[1];
        bad.replace("yes", "y\xE9s");  // a Latin-1 byte deep in a UTF-8 file
        text += bad + '\n';
        ++line;
        const QString in = tmp("late-latin1.csv");
        QVERIFY(writeAll(in, text));
        const CliRun run = score(in, tmp("late-out.csv"));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("line " + QByteArray::number(line) + " is not valid UTF-8"),
                 run.err.constData());
        QVERIFY(!QFile::exists(tmp("late-out.csv")));
        QVERIFY(temporaries(m_dir.path()).isEmpty());
    }

    void carriageReturnOnlyFileGetsAShortMessage() {
        QByteArray text = lines(readAll(batchPath())).join('\r');
        const QString in = tmp("cr-only.csv");
        QVERIFY(writeAll(in, text));
        const CliRun run = score(in, tmp("cr-out.csv"));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.size() < 600, run.err.left(2000).constData());
        QVERIFY2(run.err.contains("carriage return"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(CliOutputsTest)
#include "tst_cli_outputs.moc"
