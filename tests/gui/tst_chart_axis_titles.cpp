// Issue 17: at a 1280x720 window the charts' axis titles were cut off. Each chart of the
// Compare, Performance and Scorecard editor views is shown as the user sees it in the main
// window at that size, and every axis title must be drawn whole (not shortened to "...") and
// lie inside the chart widget.

#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTextDocument>
#include <QtTest>

#include "../common/TestPaths.h"
#include "scoring/ModelBundle.h"
#include "ui/compare/CompareView.h"
#include "ui/performance/PerformanceView.h"
#include "ui/performance/ReportPanels.h"
#include "ui/scorecard/ScorecardEditor.h"
#include "ui/shell/MainWindow.h"
#include "ui/widgets/HistogramChart.h"

using namespace cwb;
using namespace cwb::ui;

namespace {

const QString kModel = cwb::test::sourceFile(QStringLiteral("models/german_credit.cwbm"));
const QString kData = cwb::test::sourceFile(QStringLiteral("sample_data/german_credit.csv"));

// What is wrong with the axis titles of the chart view as drawn now; empty when nothing is.
// Each intended title is looked for among the scene's text items by its words (a title may be
// broken over two lines), so one shortened to "..." is reported as not drawn whole; a whole one
// must lie inside the widget's viewport.
QStringList titleProblems(QChartView* view, const QStringList& titles, const QString& what) {
    QStringList problems;
    const QRect inside = view->viewport()->rect();
    for (const QString& title : titles) {
        if (title.isEmpty()) continue;
        const QGraphicsTextItem* found = nullptr;
        for (QGraphicsItem* item : view->scene()->items()) {
            auto* text = dynamic_cast<QGraphicsTextItem*>(item);
            if (text && text->isVisible() && text->toPlainText().simplified() == title.simplified())
                found = text;
        }
        if (!found) {
            problems << QStringLiteral("%1: axis title '%2' is not drawn whole").arg(what, title);
            continue;
        }
        // The text's box less the document's margin around it, as it lies on screen (a y
        // title is turned by 270 degrees).
        const qreal margin = found->document()->documentMargin();
        const QRectF local = found->boundingRect().adjusted(margin, margin, -margin, -margin);
        const QRect drawn = view->mapFromScene(found->mapToScene(local)).boundingRect();
        if (!inside.contains(drawn))
            problems << QStringLiteral("%1: axis title '%2' at %3,%4 %5x%6 outside %7x%8")
                            .arg(what, title)
                            .arg(drawn.x())
                            .arg(drawn.y())
                            .arg(drawn.width())
                            .arg(drawn.height())
                            .arg(inside.width())
                            .arg(inside.height());
    }
    return problems;
}

// The problems of each chart page of a view's tabs, each page brought forward in turn.
QStringList tabProblems(QTabWidget* tabs, const QString& view, int* checked) {
    QStringList problems;
    for (int i = 0; i < tabs->count(); ++i) {
        auto* panel = qobject_cast<ChartPanel*>(tabs->widget(i));
        if (!panel) continue;
        tabs->setCurrentIndex(i);
        QApplication::processEvents();
        const LineChartData& data = panel->chart()->data();
        problems << titleProblems(panel->chart(), {data.xTitle, data.yTitle},
                                  view + " " + tabs->tabText(i));
        ++*checked;
    }
    return problems;
}

}  // namespace

class TestChartAxisTitles : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void axisTitlesFitAt1280x720() {
        auto loaded = loadBundle(kModel.toStdString());
        QVERIFY(loaded);
        const auto bundle = std::make_shared<const ModelBundle>(std::move(*loaded));
        MainWindow window;
        QVERIFY(window.openModel(kModel, true));
        window.resize(1280, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList problems;

        // Compare: the shipped model against itself is enough to draw every curve.
        CompareView* compare = window.compareView();
        window.showView(compare);
        QSignalSpy compared(compare, &CompareView::compared);
        compare->setModelBFile(kModel);
        compare->setDataFile(kData);
        QVERIFY(compare->compare());
        QVERIFY(compared.wait(120000));
        QVERIFY2(compared.first().first().toBool(), qPrintable(compared.first().at(1).toString()));
        auto* compareTabs = compare->chart("roc")->parentWidget()->parentWidget();
        QVERIFY(qobject_cast<QTabWidget*>(compareTabs));
        int checked = 0;
        problems << tabProblems(qobject_cast<QTabWidget*>(compareTabs), "Compare", &checked);
        QCOMPARE(checked, 3);  // ROC, precision-recall, gains

        PerformanceView* performance = window.performanceView();
        window.showView(performance);
        QSignalSpy evaluated(performance, &PerformanceView::evaluated);
        performance->setDataFile(kData);
        QVERIFY(performance->evaluate());
        QVERIFY(evaluated.wait(120000));
        QVERIFY2(evaluated.first().first().toBool(),
                 qPrintable(evaluated.first().at(2).toString()));
        checked = 0;
        for (QTabWidget* tabs : performance->findChildren<QTabWidget*>())
            problems << tabProblems(tabs, "Performance", &checked);
        QCOMPARE(checked, int(performance->chartNames().size()));

        ScorecardEditor* editor = window.scorecardEditor();
        QSignalSpy ready(editor, &ScorecardEditor::ready);
        editor->setSourceFromFile(bundle, kData);
        QVERIFY(ready.wait(30000));
        QVERIFY2(ready.first().first().toBool(), qPrintable(ready.first().at(1).toString()));
        window.showView(editor);
        QApplication::processEvents();
        auto* bins = editor->findChild<HistogramChart*>("binChart");
        QVERIFY(bins);
        QVERIFY(!bins->data().yTitle.isEmpty());
        problems << titleProblems(bins, {bins->data().xTitle, bins->data().yTitle},
                                  "Scorecard editor");
        // Category labels are drawn as written, though Qt Charts reads them as rich text
        // ("0 to < 200 DM" came out as "0 to ").
        QStringList drawn;
        for (QGraphicsItem* item : bins->scene()->items())
            if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible())
                drawn << text->toPlainText().simplified();
        int special = 0;
        for (const QString& category : bins->data().categories) {
            if (!category.contains('<') && !category.contains('&')) continue;
            ++special;
            if (!drawn.contains(category.simplified()))
                problems << QStringLiteral(
                                "Scorecard editor: category '%1' is not drawn as "
                                "written")
                                .arg(category);
        }
        QVERIFY2(special > 0, qPrintable(bins->data().categories.join(" | ")));

        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    }
};

QTEST_MAIN(TestChartAxisTitles)
#include "tst_chart_axis_titles.moc"
