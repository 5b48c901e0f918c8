// The batch view with a file a Windows spreadsheet wrote (Windows-1252): the preview says which
// encoding it read, and the run reads the file the same way, writing the ids as UTF-8 (issue 10).

#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "../common/TestPaths.h"
#include "ui/batch/BatchView.h"
#include "ui/shell/MainWindow.h"

using namespace cwb;
using namespace cwb::ui;

namespace {
const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kBatch = cwb::test::sourceFile(QStringLiteral("sample_data/batch_german.csv"));
}  // namespace

class TestBatchEncoding : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void windows1252BatchIsShownAndScored() {
        QFile sample(kBatch);
        QVERIFY(sample.open(QIODevice::ReadOnly));
        // Ids "Bü00001".. in Windows-1252 (one byte 0xFC for ü).
        QByteArray text = sample.readAll();
        text.replace("\nB0",
                     "\nB\xFC"
                     "0");
        QTemporaryDir dir;
        const QString path = dir.filePath("windows.csv");
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text);
        out.close();

        MainWindow window;
        window.openModel(kModel, true);
        BatchView* view = window.batchView();
        QSignalSpy ready(view, &BatchView::previewReady);
        view->setInputFile(path);
        QVERIFY(ready.wait(20000));
        QVERIFY(view->preview()->usable());
        auto* label = window.findChild<QLabel*>("previewDialect");
        QVERIFY(label);
        QVERIFY2(label->text().contains("Windows-1252"), qPrintable(label->text()));
        QCOMPARE(view->preview()->rows.first().first(), QString::fromUtf8("B\xC3\xBC"
                                                                          "00001"));

        QSignalSpy results(view, &BatchView::resultsReady);
        QVERIFY(view->run());
        QVERIFY(results.wait(120000));
        QVERIFY(view->lastRun());
        QCOMPARE(view->lastRun()->rowsScored, std::size_t{5000});
        QCOMPARE(view->lastRun()->encoding, std::string("Windows-1252"));
    }
};

QTEST_MAIN(TestBatchEncoding)
#include "tst_batch_encoding.moc"
