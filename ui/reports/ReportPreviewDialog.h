#pragma once
// A report opened inside the workbench before it is saved: the report is computed and drawn
// to a temporary PDF on a worker (progress, Cancel), shown page by page in a QPdfView, and
// then saved as PDF or its tables as an Excel workbook.

#include <QDialog>
#include <QTemporaryDir>

#include <functional>
#include <optional>

#include "common/Progress.h"
#include "common/Result.h"
#include "report/ReportDocument.h"

class QLabel;
class QPdfDocument;
class QPdfView;
class QProgressBar;
class QPushButton;

namespace cwb::ui {

class JobRunner;

class ReportPreviewDialog : public QDialog {
    Q_OBJECT
public:
    // Computes the report on a worker thread (the function must not touch widgets).
    using Build = std::function<Result<ReportDocument>(ProgressToken& token)>;

    // Called after each save with the file and whether it is the workbook; an error is shown
    // (the file stays written, as with `cwb report`). Records the export in the audit trail.
    using Saved = std::function<Result<void>(const QString& path, bool xlsx)>;

    ReportPreviewDialog(const QString& title, const QString& defaultName, Build build,
                        QWidget* parent = nullptr);
    ~ReportPreviewDialog() override;

    void setOnSaved(Saved onSaved) { m_onSaved = std::move(onSaved); }
    // Starts building; ready() follows (ok false with the message on failure or cancel).
    void start();
    bool isRunning() const;
    QPdfDocument* document() const { return m_pdf; }
    int pageCount() const;
    QString statusText() const;
    // Copies the previewed PDF / writes the workbook without a file dialog (tests, scripting).
    bool savePdfTo(const QString& path, QString* error) const;
    bool saveXlsxTo(const QString& path, QString* error) const;

signals:
    void ready(bool ok, const QString& message);

private:
    void onFinished(bool canceled, const QString& error,
                    const std::shared_ptr<std::optional<ReportDocument>>& result);
    void chooseAndSave(bool xlsx);
    bool afterSave(const QString& path, bool xlsx, QString* error) const;

    QString m_defaultName;
    Build m_build;
    Saved m_onSaved;
    QTemporaryDir m_dir;
    QString m_pdfPath;
    std::optional<ReportDocument> m_report;
    JobRunner* m_job = nullptr;
    QPdfDocument* m_pdf = nullptr;
    QPdfView* m_view = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_savePdf = nullptr;
    QPushButton* m_saveXlsx = nullptr;
};

}  // namespace cwb::ui
