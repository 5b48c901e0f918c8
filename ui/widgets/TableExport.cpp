#include "ui/widgets/TableExport.h"

#include <QAbstractItemModel>
#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <QSaveFile>

#include <algorithm>

#include "data/TextUtil.h"
#include "ui/widgets/ReportTableModel.h"

namespace cwb::ui {

namespace {

// The raw value when the model offers one (full precision, no locale grouping), else the text.
QString exportText(const QModelIndex& index) {
    const QVariant value = index.data(ReportTableModel::ValueRole);
    if (value.isValid()) {
        if (value.typeId() == QMetaType::Double) return QString::number(value.toDouble(), 'g', 15);
        return value.toString();
    }
    return index.data(Qt::DisplayRole).toString();
}

QString csvField(const QString& shown) {
    // Text a spreadsheet would run as a formula gets a leading apostrophe (file-formats.md).
    const QString text =
        text::looksLikeFormula(shown.toStdString()) ? QLatin1Char('\'') + shown : shown;
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString tsvField(QString text) {
    text.replace(QLatin1Char('\t'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text;
}

}  // namespace

QString tableToCsv(const QAbstractItemModel& model) {
    QString out;
    QStringList fields;
    for (int c = 0; c < model.columnCount(); ++c)
        fields << csvField(model.headerData(c, Qt::Horizontal).toString());
    out += fields.join(QLatin1Char(',')) + QLatin1String("\r\n");
    for (int r = 0; r < model.rowCount(); ++r) {
        fields.clear();
        for (int c = 0; c < model.columnCount(); ++c)
            fields << csvField(exportText(model.index(r, c)));
        out += fields.join(QLatin1Char(',')) + QLatin1String("\r\n");
    }
    return out;
}

QString tableToTsv(const QAbstractItemModel& model, const QModelIndexList& only) {
    int firstRow = 0, lastRow = model.rowCount() - 1;
    int firstCol = 0, lastCol = model.columnCount() - 1;
    if (!only.isEmpty()) {
        firstRow = lastRow = only.front().row();
        firstCol = lastCol = only.front().column();
        for (const QModelIndex& i : only) {
            firstRow = std::min(firstRow, i.row());
            lastRow = std::max(lastRow, i.row());
            firstCol = std::min(firstCol, i.column());
            lastCol = std::max(lastCol, i.column());
        }
    }
    QString out;
    QStringList fields;
    for (int c = firstCol; c <= lastCol; ++c)
        fields << tsvField(model.headerData(c, Qt::Horizontal).toString());
    out += fields.join(QLatin1Char('\t')) + QLatin1Char('\n');
    for (int r = firstRow; r <= lastRow; ++r) {
        fields.clear();
        // What the user sees: a pasted table should look like the one on screen.
        for (int c = firstCol; c <= lastCol; ++c)
            fields << tsvField(model.index(r, c).data(Qt::DisplayRole).toString());
        out += fields.join(QLatin1Char('\t')) + QLatin1Char('\n');
    }
    return out;
}

void copyTable(const QAbstractItemModel& model, const QModelIndexList& only) {
    auto* mime = new QMimeData;
    mime->setText(tableToTsv(model, only));
    if (only.isEmpty()) mime->setData(QStringLiteral("text/csv"), tableToCsv(model).toUtf8());
    QGuiApplication::clipboard()->setMimeData(mime);
}

bool exportTableCsv(const QAbstractItemModel& model, const QString& path, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error) *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(tableToCsv(model).toUtf8());
    if (!file.commit()) {
        if (error) *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

}  // namespace cwb::ui
