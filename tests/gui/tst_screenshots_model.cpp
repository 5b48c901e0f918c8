// `credit-workbench --screenshots` with a model that cannot score the German sample data (a
// Taiwan model, say) is refused at once with the reason, instead of every view waiting out its
// timeout (issue 10: over a minute with a 300-tree model).

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>

#include "../common/TestPaths.h"
#include "pipeline/TrainPipeline.h"
#include "scoring/ModelBundle.h"
#include "ui/shell/Screenshots.h"

using namespace cwb;

class TestScreenshotsModel : public QObject {
    Q_OBJECT
private slots:
    void aModelForOtherDataIsRefusedAtOnce() {
        QTemporaryDir dir;
        // A small model on columns the German samples do not have.
        QByteArray text = "id,limit_bal,pay_0,bad\n";
        for (int i = 0; i < 400; ++i)
            text += QByteArray::number(i) + ',' + QByteArray::number(1000 + (i * 97) % 5000) + ',' +
                    QByteArray::number(i % 5 - 1) + ',' + QByteArray::number(i % 3 == 0) + '\n';
        QFile data(dir.filePath("other.csv"));
        QVERIFY(data.open(QIODevice::WriteOnly));
        data.write(text);
        data.close();
        TrainJob job;
        job.dataPath = data.fileName().toStdString();
        job.target = "bad";
        job.badValue = "1";
        job.idColumns = {"id"};
        job.request.algorithm = Algorithm::Xgboost;
        job.request.folds = 0;
        job.name = "other";
        auto trained = runTraining(job, nullptr);
        QVERIFY2(trained, trained ? "" : trained.error().message.c_str());
        const QString model = dir.filePath("other.cwbm");
        QVERIFY(saveBundle(trained->bundle, model.toStdString()));

        const auto started = std::chrono::steady_clock::now();
        const QString error = ui::renderScreenshots(
            dir.filePath("shots"), model, cwb::test::sourceFile(QStringLiteral("sample_data")));
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        QVERIFY2(error.contains("German sample data"), qPrintable(error));
        QVERIFY2(seconds < 10.0, qPrintable(QString::number(seconds)));
    }
};

QTEST_MAIN(TestScreenshotsModel)
#include "tst_screenshots_model.moc"
