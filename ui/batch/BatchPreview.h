#pragma once
// What a batch file looks like before it is scored: the detected dialect, the first rows, and
// the problems the model will have with it (missing columns, rows that would be rejected).
// A plain computation for a worker thread.

#include <QList>
#include <QString>
#include <QStringList>

#include "data/TextEncoding.h"
#include "scoring/ModelBundle.h"

namespace cwb::ui {

struct BatchPreview {
    QString path;
    qint64 fileSize = 0;
    QString dialect;  // "comma-delimited, decimal point, UTF-8 with BOM, CRLF"
    TextEncoding encoding = TextEncoding::Auto;  // as read; the run reads the file the same way
    QStringList header;
    QList<QStringList> rows;
    QStringList problems;  // the model's complaints about the columns and the preview rows
    QString error;         // non-empty: the file cannot be scored at all

    bool usable() const { return error.isEmpty(); }
};

// Reads the header and the first maxRows records of path and checks them against the bundle.
BatchPreview previewBatchFile(const QString& path, const ModelBundle& bundle, int maxRows = 20);

}  // namespace cwb::ui
