#include "ui/batch/BatchPreview.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <vector>

#include "data/CsvReader.h"
#include "data/EncodedData.h"

namespace cwb::ui {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("BatchPreview", text);
}

QString delimiterName(char c) {
    switch (c) {
        case ',':
            return tr("comma-delimited");
        case ';':
            return tr("semicolon-delimited");
        case '\t':
            return tr("tab-delimited");
        default:
            return tr("delimiter '%1'").arg(QChar(c));
    }
}
}  // namespace

BatchPreview previewBatchFile(const QString& path, const ModelBundle& bundle, int maxRows) {
    BatchPreview preview;
    preview.path = path;
    preview.fileSize = QFileInfo(path).size();
    auto reader = CsvReader::open(path.toStdString());
    if (!reader) {
        preview.error = QString::fromStdString(reader.error().message);
        return preview;
    }
    const CsvDialect& d = (*reader)->dialect();
    preview.encoding = d.encoding;
    const QString encoding = QString::fromStdString(encodingName(d.encoding));
    preview.dialect =
        QStringList{delimiterName(d.delimiter),
                    d.decimalSeparator == ',' ? tr("decimal comma") : tr("decimal point"),
                    d.hasBom             ? tr("UTF-8 with BOM")
                    : d.encodingDetected ? tr("%1 (detected: not UTF-8)").arg(encoding)
                                         : encoding,
                    d.crlf ? tr("CRLF line ends") : tr("LF line ends")}
            .join(QStringLiteral(", "));
    for (const std::string& h : (*reader)->header())
        preview.header << QString::fromStdString(h);

    auto encoder = RowEncoder::bind(bundle.schema, (*reader)->header(), d.decimalSeparator, false);
    if (!encoder) preview.error = QString::fromStdString(encoder.error().message);
    if (const ColumnSpec* id = bundle.schema.idColumn(); id && encoder && !encoder->hasId())
        preview.problems << tr("No '%1' column: output rows follow input order.")
                                .arg(QString::fromStdString(id->name));
    // Columns the model does not use are fine (they are ignored), but worth a word.
    QStringList ignored;
    for (const QString& h : preview.header) {
        const ColumnSpec* spec = bundle.schema.find(h.toStdString());
        if (!spec || (spec->role != ColumnRole::Feature && spec->role != ColumnRole::Id))
            ignored << h;
    }
    if (!ignored.isEmpty())
        preview.problems
            << tr("Not used by the model: %1.").arg(ignored.join(QStringLiteral(", ")));

    CsvRecord record;
    std::vector<float> row(encoder ? encoder->featureCount() : 0);
    RejectedRow reject;
    std::vector<std::string_view> fields;
    for (int n = 0; n < maxRows; ++n) {
        auto more = (*reader)->next(record);
        if (!more) {
            preview.error = QString::fromStdString(more.error().message);
            break;
        }
        if (!*more) break;
        QStringList cells;
        for (std::string_view f : record.fields)
            cells << QString::fromUtf8(f.data(), f.size());
        preview.rows << cells;
        const QString where = tr("Line %1: ").arg(record.lineNumber);
        if (!record.error.empty()) {
            preview.problems << where + QString::fromStdString(record.error);
            continue;
        }
        fields.assign(record.fields.begin(), record.fields.end());
        if (encoder && !encoder->encode(fields, row.data(), reject))
            preview.problems << where +
                                    QString::fromStdString(reject.column.empty()
                                                               ? reject.reason
                                                               : reject.column + ": " +
                                                                     reject.reason) +
                                    tr(" (this row will be rejected)");
    }
    if (preview.rows.isEmpty() && preview.error.isEmpty())
        preview.error = tr("'%1' has a header but no data rows.").arg(path);
    return preview;
}

}  // namespace cwb::ui
