#include "ui/widgets/ChartExport.h"

#include <QApplication>
#include <QBuffer>
#include <QChartView>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QStyle>
#include <QSvgGenerator>

#include "ui/widgets/LineChart.h"

namespace cwb::ui {

namespace {

bool writeAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    if (error) *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
}

}  // namespace

ChartFormat chartFormatFor(const QString& path) {
    return path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive) ? ChartFormat::Svg
                                                                     : ChartFormat::Png;
}

bool exportChartView(QChartView* view, const QString& path, ChartFormat format, QString* error) {
    const QSize size = view->size();
    // The scene is drawn straight into the target rectangle: vector shapes stay vectors in SVG,
    // and a PNG at twice the size is drawn sharp rather than scaled up.
    QGraphicsScene* scene = view->scene();
    const QRectF source = view->mapToScene(view->viewport()->rect()).boundingRect();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (format == ChartFormat::Svg) {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(view->chart() ? view->chart()->title() : QString());
        svg.setDescription(QObject::tr("Credit Workbench chart"));
        QPainter painter(&svg);
        painter.fillRect(QRect(QPoint(0, 0), size), view->palette().color(QPalette::Base));
        scene->render(&painter, QRectF(QPointF(0, 0), size), source);
        painter.end();
    } else {
        // Twice the resolution: exported charts end up in documents and on projectors.
        QImage image(size * 2, QImage::Format_ARGB32_Premultiplied);
        image.fill(view->palette().color(QPalette::Base));
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        scene->render(&painter, QRectF(image.rect()), source);
        painter.end();
        if (!image.save(&buffer, "PNG")) {
            if (error) *error = QObject::tr("Cannot encode the chart as PNG");
            return false;
        }
    }
    buffer.close();
    return writeAtomically(path, bytes, error);
}

bool exportLineChart(const LineChartData& data, const QString& path, ChartFormat format,
                     QString* error, QSize size) {
    LineChart chart;
    chart.setAttribute(Qt::WA_DontShowOnScreen);
    chart.setPalette(QApplication::style()->standardPalette());
    chart.setData(data);  // after the palette, so the chart takes its colours
    chart.resize(size);
    chart.show();  // lays the chart out at the export size; never on screen
    QApplication::processEvents();
    const bool ok = exportChartView(&chart, path, format, error);
    chart.hide();
    return ok;
}

}  // namespace cwb::ui
