// The performance view driven as a user would: evaluate the shipped model on the sample data
// and hold the figures to the real `cwb evaluate` and `cwb score`; move the cutoff; export
// charts (PNG, SVG) and tables (CSV, clipboard); refuse bad input; cancel. Every item model
// the view shows is watched by QAbstractItemModelTester throughout.

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QGuiApplication>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyle>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <map>
#include <memory>

#include "../common/GuiTestSupport.h"
#include "report/PerformanceReport.h"
#include "ui/performance/PerformanceView.h"
#include "ui/performance/ReportPanels.h"
#include "ui/shell/MainWindow.h"
#include "ui/widgets/LineChart.h"
#include "ui/widgets/ReportTableModel.h"

using namespace cwb;
using namespace cwb::ui;

namespace {

const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kData = cwb::test::sourceFile(QStringLiteral("sample_data/german_credit.csv"));
const QString kUnlabelled = cwb::test::sourceFile(QStringLiteral("sample_data/applicants.csv"));

using test::readLines;

// applicant_id -> bad (class 2), from the sample file: the id is the first field and the class
// the last, neither ever quoted.
std::map<QString, bool> outcomes() {
    std::map<QString, bool> bad;
    const QStringList lines = readLines(kData);
    for (int i = 1; i < lines.size(); ++i)
        bad[lines[i].section(',', 0, 0)] = lines[i].section(',', -1) == QLatin1String("2");
    return bad;
}

struct Fixture {
    std::shared_ptr<const ModelBundle> bundle;
    PerformanceView view;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    Fixture() {
        auto loaded = loadBundle(kModel.toStdString());
        if (loaded) bundle = std::make_shared<const ModelBundle>(std::move(*loaded));
        view.setModel(bundle);
        view.resize(1200, 800);
        for (const QString& name : view.tableNames())
            testers.push_back(std::make_unique<QAbstractItemModelTester>(
                view.table(name)->model(), QAbstractItemModelTester::FailureReportingMode::QtTest));
    }
    // Evaluates a file; returns the (ok, canceled, message) of evaluated().
    QList<QVariant> evaluate(const QString& path) {
        QSignalSpy done(&view, &PerformanceView::evaluated);
        view.setDataFile(path);
        if (!view.evaluate()) return {};
        if (!done.wait(120000)) return {};
        return done.takeFirst();
    }
};

// How the chart looks on screen at the export size: the reference an export must match.
QImage onScreen(const LineChartData& data) {
    LineChart chart;
    chart.setAttribute(Qt::WA_DontShowOnScreen);
    chart.setPalette(QApplication::style()->standardPalette());
    chart.setData(data);
    chart.resize(960, 600);
    chart.show();
    QApplication::processEvents();
    return chart.grab().toImage().convertToFormat(QImage::Format_RGB32);
}

// Mean absolute grey-level difference per pixel (0..255) of two images of the same size.
double meanDifference(const QImage& a, const QImage& b) {
    if (a.size() != b.size()) return 255.0;
    double sum = 0.0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            sum += std::abs(qGray(a.pixel(x, y)) - qGray(b.pixel(x, y)));
    return sum / (a.width() * a.height());
}

double valueOf(const TablePanel* panel, const QString& key, int column = 1) {
    return panel->model()->valueFor(key, column).toDouble();
}

}  // namespace

class TestPerformanceView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void aucAndKsEqualCwbEvaluate();
    void cutoffMovesApprovalAndBadRate();
    void chartsExportToPngAndSvg();
    void tablesExportToCsvAndClipboard();
    void refusesUnlabelledFileAndWrongTarget();
    void cancelKeepsThePreviousFigures();
    void mainWindowHasPerformanceAndCompareTabs();
    void developmentFileIsCalledOptimistic();

private:
    QTemporaryDir m_dir;
};

void TestPerformanceView::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestPerformanceView::aucAndKsEqualCwbEvaluate() {
    const auto run = test::runCli({"evaluate", "--model", kModel, "--data", kData, "--json"});
    QCOMPARE(run.exitCode, 0);
    const auto json = run.json();
    QVERIFY(json.is_object());

    Fixture f;
    const auto result = f.evaluate(kData);
    QVERIFY(!result.isEmpty());
    QVERIFY2(result[0].toBool(), qPrintable(result[2].toString()));
    const PerformanceReport* r = f.view.report();
    QVERIFY(r);
    QCOMPARE(r->auc, json["auc"].get<double>());
    QCOMPARE(r->ks, json["ks"].get<double>());
    QCOMPARE(r->gini, json["gini"].get<double>());
    QCOMPARE(r->rows, json["rows"].get<std::size_t>());
    // What the metrics table holds (and shows) is that same number.
    const TablePanel* metrics = f.view.table("metrics");
    QCOMPARE(valueOf(metrics, "AUC"), json["auc"].get<double>());
    QCOMPARE(valueOf(metrics, "KS"), json["ks"].get<double>());
    const QModelIndex aucText = metrics->model()->index(0, 1);
    QCOMPARE(aucText.data().toString(), QLocale().toString(json["auc"].get<double>(), 'f', 4));
    // The bundle's development figures sit beside them.
    QCOMPARE(valueOf(metrics, "AUC", 2), f.bundle->metrics["development"]["auc"].get<double>());
    // Gains bands as in `cwb evaluate`.
    QCOMPARE(f.view.table("gains")->model()->rowCount(), static_cast<int>(json["gains"].size()));
    for (int i = 0; i < f.view.table("gains")->model()->rowCount(); ++i)
        QCOMPARE(f.view.table("gains")
                     ->model()
                     ->index(i, 3)
                     .data(ReportTableModel::ValueRole)
                     .toULongLong(),
                 json["gains"][static_cast<std::size_t>(i)]["bads"].get<qulonglong>());
    qInfo("GUI AUC %.10f KS %.10f; cwb evaluate AUC %.10f KS %.10f", r->auc, r->ks,
          json["auc"].get<double>(), json["ks"].get<double>());
}

void TestPerformanceView::cutoffMovesApprovalAndBadRate() {
    const auto scores = test::cliScores(kModel, kData, m_dir.path() + "/scores.csv");
    QCOMPARE(scores.size(), std::size_t(1000));
    const auto bad = outcomes();
    Fixture f;
    QVERIFY(!f.evaluate(kData).isEmpty());
    QVERIFY(f.view.report());
    // The cutoff starts at the policy's decline boundary.
    QCOMPARE(f.view.cutoff(), static_cast<int>(f.bundle->policy.declineBelow));
    std::size_t lastApproved = 1001;
    for (int cutoff : {440, 480, 499, 500, 520, 538, 560, 600}) {
        f.view.setCutoff(cutoff);
        QCOMPARE(f.view.cutoff(), cutoff);
        // Counted independently from `cwb score`: approved when the score is >= the cutoff.
        std::size_t approved = 0, approvedBads = 0, bads = 0;
        for (const auto& [id, score] : scores) {
            bads += bad.at(id);
            if (score >= cutoff) {
                ++approved;
                approvedBads += bad.at(id);
            }
        }
        const CutoffOutcome o = f.view.outcome();
        QCOMPARE(o.approved, approved);
        QCOMPARE(o.approvedBads, approvedBads);
        QCOMPARE(o.declined, 1000 - approved);
        QCOMPARE(o.declinedBads, bads - approvedBads);
        QVERIFY(o.approved <= lastApproved);
        lastApproved = o.approved;
        // The labels and the confusion matrix say the same.
        const double rate = static_cast<double>(approved) / 1000.0;
        QVERIFY2(
            f.view.approvalRateText().startsWith(QLocale().toString(100.0 * rate, 'f', 1) + " %"),
            qPrintable(f.view.approvalRateText()));
        const double badRate =
            approved == 0 ? 0.0 : static_cast<double>(approvedBads) / static_cast<double>(approved);
        QVERIFY2(f.view.badRateText().startsWith(QLocale().toString(100.0 * badRate, 'f', 1)),
                 qPrintable(f.view.badRateText()));
        const ReportTableModel* confusion = f.view.table("confusion")->model();
        QCOMPARE(confusion->valueFor("Actual bad", 1).toULongLong(), approvedBads);
        QCOMPARE(confusion->valueFor("Actual bad", 2).toULongLong(), bads - approvedBads);
        QCOMPARE(confusion->valueFor("Total", 1).toULongLong(), approved);
        QCOMPARE(confusion->valueFor("Actual good", 1).toULongLong(), approved - approvedBads);
    }
    // From the keyboard: the cutoff box takes arrow keys.
    f.view.setCutoff(520);
    const std::size_t before = f.view.outcome().approved;
    auto* spin = f.view.findChild<QSpinBox*>();
    QVERIFY(spin);
    f.view.show();
    spin->setFocus();
    QTest::keyClick(spin, Qt::Key_Up);
    QCOMPARE(f.view.cutoff(), 521);
    QVERIFY(f.view.outcome().approved <= before);
}

void TestPerformanceView::chartsExportToPngAndSvg() {
    Fixture f;
    QVERIFY(!f.evaluate(kData).isEmpty());
    QVERIFY(f.view.report());
    for (const QString& name : f.view.chartNames()) {
        const QString png = m_dir.filePath(name + ".png"), svg = m_dir.filePath(name + ".svg");
        QString error;
        QVERIFY2(f.view.chart(name)->exportTo(png, &error), qPrintable(error));
        QVERIFY2(f.view.chart(name)->exportTo(svg, &error), qPrintable(error));
        const QImage image(png);
        QVERIFY2(!image.isNull() && image.width() == 1920 && image.height() == 1200,
                 qPrintable(png));
        // The whole chart, not a blank or a cropped part of it: scaled back down, the PNG and
        // the SVG drawn by Qt SVG both look like the chart on screen.
        const QImage reference = onScreen(f.view.chart(name)->chart()->data());
        const QImage scaled =
            image.scaled(960, 600, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                .convertToFormat(QImage::Format_RGB32);
        const double pngDiff = meanDifference(scaled, reference);
        QVERIFY2(pngDiff < 3.0, qPrintable(QString("%1 differs by %2").arg(png).arg(pngDiff)));
        QSvgRenderer svgRenderer(svg);
        QVERIFY2(svgRenderer.isValid(), qPrintable(svg));
        QImage svgImage(960, 600, QImage::Format_RGB32);
        svgImage.fill(Qt::white);
        {
            QPainter painter(&svgImage);
            painter.setRenderHint(QPainter::Antialiasing);
            svgRenderer.render(&painter);
        }
        const double svgDiff = meanDifference(svgImage, reference);
        QVERIFY2(svgDiff < 4.0, qPrintable(QString("%1 differs by %2").arg(svg).arg(svgDiff)));
        // Not blank: a chart has more than a couple of colours.
        QSet<QRgb> colours;
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, image.height() / 2));
        QVERIFY2(colours.size() > 2, qPrintable(png));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        bool sawSvg = false, sawPath = false;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement) {
                if (xml.name() == QLatin1String("svg")) sawSvg = true;
                if (xml.name() == QLatin1String("path") || xml.name() == QLatin1String("polyline"))
                    sawPath = true;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(sawSvg);
        QVERIFY2(sawPath, qPrintable(svg));
    }
    // A folder that does not exist is an error, not a crash.
    QString error;
    QVERIFY(!f.view.chart("roc")->exportTo("/nonexistent/dir/roc.png", &error));
    QVERIFY(error.contains("/nonexistent/dir/roc.png"));
}

void TestPerformanceView::tablesExportToCsvAndClipboard() {
    Fixture f;
    QVERIFY(!f.evaluate(kData).isEmpty());
    const PerformanceReport* r = f.view.report();
    QVERIFY(r);
    const QString csv = m_dir.filePath("gains.csv");
    QString error;
    QVERIFY2(f.view.table("gains")->exportTo(csv, &error), qPrintable(error));
    const QStringList lines = readLines(csv);
    QCOMPARE(lines.size(), 1 + static_cast<int>(r->gains.size()));
    QCOMPARE(lines[0], QString("Score from,Score to,Rows,Bads,Bad rate,Cum. bads captured,"
                               "Cum. population,Lift"));
    std::size_t rows = 0, bads = 0;
    for (int i = 1; i < lines.size(); ++i) {
        const QStringList fields = lines[i].split(',');
        QCOMPARE(fields.size(), 8);
        rows += fields[2].toULongLong();
        bads += fields[3].toULongLong();
        // Unformatted and at full precision: the bad rate is a share, not "31.0 %".
        QVERIFY(std::abs(fields[4].toDouble() - r->gains[static_cast<std::size_t>(i - 1)].badRate) <
                1e-12);
    }
    QCOMPARE(rows, std::size_t(1000));
    QCOMPARE(bads, std::size_t(300));

    // Metrics: the AUC written equals the report's to full precision.
    const QString metricsCsv = m_dir.filePath("metrics.csv");
    QVERIFY(f.view.table("metrics")->exportTo(metricsCsv, &error));
    bool found = false;
    for (const QString& line : readLines(metricsCsv))
        if (line.startsWith("AUC,")) {
            found = true;
            QVERIFY(std::abs(line.section(',', 1, 1).toDouble() - r->auc) < 1e-14);
        }
    QVERIFY(found);

    // Information value: one row per characteristic; a label with a comma is quoted.
    const QString ivCsv = m_dir.filePath("iv.csv");
    QVERIFY(f.view.table("information-value")->exportTo(ivCsv, &error));
    QFile ivFile(ivCsv);
    QVERIFY(ivFile.open(QIODevice::ReadOnly));
    const QString ivText = QString::fromUtf8(ivFile.readAll());
    QVERIFY(ivText.startsWith("Characteristic,IV,Strength,Bins,"));
    QVERIFY(ivText.contains("\""));  // the WoE-by-bin cell holds commas and is quoted
    QCOMPARE(f.view.table("information-value")->model()->rowCount(),
             static_cast<int>(r->informationValue.size()));

    // Clipboard: tab-separated, as shown.
    f.view.table("calibration")->copy();
    const QStringList copied = QGuiApplication::clipboard()->text().split('\n', Qt::SkipEmptyParts);
    QCOMPARE(copied.size(), 11);
    QVERIFY(copied[0].startsWith("Decile of PD\tRows\t"));
    QVERIFY(copied[1].contains(" %"));

    // Writing into a folder that does not exist fails with a message.
    QVERIFY(!f.view.table("gains")->exportTo("/nonexistent/dir/g.csv", &error));
    QVERIFY(error.contains("/nonexistent/dir/g.csv"));
}

void TestPerformanceView::refusesUnlabelledFileAndWrongTarget() {
    Fixture f;
    auto result = f.evaluate(kUnlabelled);
    QVERIFY(!result.isEmpty());
    QVERIFY(!result[0].toBool());
    QVERIFY(!result[1].toBool());
    QVERIFY2(result[2].toString().contains("class"), qPrintable(result[2].toString()));
    QVERIFY(!f.view.report());
    QVERIFY(f.view.statusText().contains("Cannot evaluate"));

    f.view.setTarget("class", "9");
    result = f.evaluate(kData);
    QVERIFY(!result.isEmpty());
    QVERIFY(!result[0].toBool());
    QVERIFY2(result[2].toString().contains("both"), qPrintable(result[2].toString()));

    f.view.setTarget("no_such_column", "1");
    result = f.evaluate(kData);
    QVERIFY(!result.isEmpty());
    QVERIFY(!result[0].toBool());
    QVERIFY2(result[2].toString().contains("no_such_column"), qPrintable(result[2].toString()));
}

void TestPerformanceView::cancelKeepsThePreviousFigures() {
    // A larger file (the sample 40 times) so the run is still going when Cancel arrives.
    const QStringList lines = readLines(kData);
    const QString big = m_dir.filePath("big.csv");
    {
        QFile out(big);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(lines[0].toUtf8() + '\n');
        for (int copy = 0; copy < 40; ++copy)
            for (int i = 1; i < lines.size(); ++i)
                out.write(lines[i].toUtf8() + '\n');
    }
    Fixture f;
    QVERIFY(!f.evaluate(kData).isEmpty());
    const double auc = f.view.report()->auc;
    QSignalSpy done(&f.view, &PerformanceView::evaluated);
    f.view.setDataFile(big);
    QVERIFY(f.view.evaluate());
    QVERIFY(f.view.isRunning());
    QVERIFY(!f.view.evaluate());  // one run at a time
    f.view.cancel();
    QVERIFY(done.wait(60000));
    QVERIFY(!done[0][0].toBool());
    QVERIFY(done[0][1].toBool());
    QCOMPARE(f.view.report()->rows, std::size_t(1000));
    QCOMPARE(f.view.report()->auc, auc);
}

void TestPerformanceView::mainWindowHasPerformanceAndCompareTabs() {
    MainWindow window;
    QVERIFY(window.openModel(kModel, true));
    QStringList tabs;
    for (int i = 0; i < window.views()->count(); ++i)
        tabs << window.views()->tabText(i).remove('&');
    QVERIFY2(tabs.contains("Performance"), qPrintable(tabs.join(", ")));
    QVERIFY2(tabs.contains("Compare"), qPrintable(tabs.join(", ")));
    auto* view = window.findChild<PerformanceView*>();
    QVERIFY(view);
    // The window hands its model to the view: evaluation works straight away.
    QSignalSpy done(view, &PerformanceView::evaluated);
    view->setDataFile(kData);
    QVERIFY(view->evaluate());
    QVERIFY(done.wait(120000));
    QVERIFY(done[0][0].toBool());
}

// Issue 17: the view scored the development file without saying its figures are optimistic.
void TestPerformanceView::developmentFileIsCalledOptimistic() {
    Fixture f;
    auto* warning = f.view.findChild<QLabel*>("developmentSampleWarning");
    QVERIFY(warning);
    QVERIFY(warning->isHidden());
    QVERIFY(f.evaluate(kData).value(0).toBool());
    QVERIFY(f.view.report()->developmentSample);
    QVERIFY(!warning->isHidden());
    QVERIFY(warning->text().contains("optimistic", Qt::CaseInsensitive));
    // The same rows in another file (one row fewer) are not the training file.
    QStringList lines = readLines(kData);
    lines.removeLast();
    const QString other = m_dir.filePath("holdout.csv");
    QFile out(other);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write((lines.join('\n') + '\n').toUtf8());
    out.close();
    QVERIFY(f.evaluate(other).value(0).toBool());
    QVERIFY(!f.view.report()->developmentSample);
    QVERIFY(warning->isHidden());
}

QTEST_MAIN(TestPerformanceView)
#include "tst_performance_view.moc"
