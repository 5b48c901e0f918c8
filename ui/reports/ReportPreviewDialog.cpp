#include "ui/reports/ReportPreviewDialog.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPdfDocument>
#include <QPdfView>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include "render/PdfRenderer.h"
#include "render/XlsxWriter.h"
#include "ui/common/JobRunner.h"

namespace cwb::ui {

ReportPreviewDialog::ReportPreviewDialog(const QString& title, const QString& defaultName,
                                         Build build, QWidget* parent)
    : QDialog(parent), m_defaultName(defaultName), m_build(std::move(build)) {
    setWindowTitle(title);
    setObjectName("reportPreview");
    resize(900, 1000);
    m_job = new JobRunner(this);
    m_pdf = new QPdfDocument(this);
    m_view = new QPdfView(this);
    m_view->setObjectName("reportPages");
    m_view->setDocument(m_pdf);
    m_view->setPageMode(QPdfView::PageMode::MultiPage);
    m_view->setZoomMode(QPdfView::ZoomMode::FitToWidth);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_status = new QLabel(this);
    m_status->setObjectName("reportStatus");
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_savePdf = new QPushButton(tr("Save &PDF..."), this);
    m_saveXlsx = new QPushButton(tr("Save &Excel..."), this);
    m_savePdf->setEnabled(false);
    m_saveXlsx->setEnabled(false);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_cancel);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_savePdf);
    buttons->addWidget(m_saveXlsx);
    buttons->addWidget(close);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_job, &JobRunner::progress, this, [this](double f, const QString& text) {
        m_progress->setValue(static_cast<int>(f * 1000));
        if (!text.isEmpty()) m_status->setText(text);
    });
    connect(m_cancel, &QPushButton::clicked, m_job, &JobRunner::cancel);
    connect(m_savePdf, &QPushButton::clicked, this, [this] { chooseAndSave(false); });
    connect(m_saveXlsx, &QPushButton::clicked, this, [this] { chooseAndSave(true); });
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

ReportPreviewDialog::~ReportPreviewDialog() {
    m_job->cancel();
    m_job->waitForFinished();
}

void ReportPreviewDialog::start() {
    m_pdfPath = m_dir.filePath("report.pdf");
    const QString path = m_pdfPath;
    auto build = m_build;
    const bool started = startForResult<ReportDocument>(
        m_job, this,
        [build, path](ProgressToken& token, std::optional<ReportDocument>& result) -> QString {
            auto document = build(token);
            if (!document) return QString::fromStdString(document.error().message);
            // Drawing the pages happens here too: QPdfWriter paints off the GUI thread.
            auto pdf = render::writePdf(*document, path.toStdString(), &token);
            if (!pdf) return QString::fromStdString(pdf.error().message);
            result = std::move(*document);
            return {};
        },
        [this](bool canceled, const QString& error,
               const std::shared_ptr<std::optional<ReportDocument>>& result) {
            onFinished(canceled, error, result);
        });
    m_cancel->setEnabled(started);
    m_status->setText(started ? tr("Preparing the report...") : tr("A report is being prepared"));
}

bool ReportPreviewDialog::isRunning() const {
    return m_job->isRunning();
}

int ReportPreviewDialog::pageCount() const {
    return m_pdf->pageCount();
}

QString ReportPreviewDialog::statusText() const {
    return m_status->text();
}

void ReportPreviewDialog::onFinished(bool canceled, const QString& error,
                                     const std::shared_ptr<std::optional<ReportDocument>>& result) {
    m_cancel->setEnabled(false);
    QString message;
    const bool ok = !canceled && error.isEmpty() && result->has_value();
    if (canceled) {
        message = tr("Cancelled; no report was made.");
    } else if (!ok) {
        message = tr("Cannot make the report: %1").arg(error);
    } else {
        m_report = std::move(*result);
        m_pdf->load(m_pdfPath);
        message = m_report->tables().empty()
                      ? tr("%n page(s). Save it as PDF.", "", m_pdf->pageCount())
                      : tr("%n page(s). Save it as PDF or its tables as an Excel workbook.", "",
                           m_pdf->pageCount());
    }
    m_progress->setValue(ok ? 1000 : 0);
    m_status->setText(message);
    m_savePdf->setEnabled(ok);
    // A letter (an adverse action notice) has no tables: no workbook to offer.
    const bool tables = ok && !m_report->tables().empty();
    m_saveXlsx->setEnabled(tables);
    if (ok && !tables) m_saveXlsx->setToolTip(tr("This report has no tables"));
    emit ready(ok, message);
}

bool ReportPreviewDialog::savePdfTo(const QString& path, QString* error) const {
    if (!m_report) {
        if (error) *error = tr("Cannot save: there is no report yet");
        return false;
    }
    QFile::remove(path);
    if (!QFile::copy(m_pdfPath, path)) {
        if (error) *error = tr("Cannot save: cannot write %1").arg(path);
        return false;
    }
    return afterSave(path, false, error);
}

bool ReportPreviewDialog::afterSave(const QString& path, bool xlsx, QString* error) const {
    if (!m_onSaved) return true;
    auto recorded = m_onSaved(path, xlsx);
    if (!recorded && error)
        *error = tr("Saved %1, but its export could not be recorded in the audit trail: %2")
                     .arg(path, QString::fromStdString(recorded.error().message));
    return recorded.ok();
}

bool ReportPreviewDialog::saveXlsxTo(const QString& path, QString* error) const {
    if (m_report && m_report->tables().empty()) {
        if (error) *error = tr("Cannot save: this report has no tables");
        return false;
    }
    if (!m_report) {
        if (error) *error = tr("Cannot save: there is no report yet");
        return false;
    }
    auto written = render::writeXlsx(*m_report, path.toStdString());
    if (!written) {
        if (error)
            *error = tr("Cannot save: %1").arg(QString::fromStdString(written.error().message));
        return false;
    }
    return afterSave(path, true, error);
}

void ReportPreviewDialog::chooseAndSave(bool xlsx) {
    const QString suffix = xlsx ? QStringLiteral(".xlsx") : QStringLiteral(".pdf");
    const QString path = QFileDialog::getSaveFileName(
        this, xlsx ? tr("Save the tables as an Excel workbook") : tr("Save the report as PDF"),
        m_defaultName + suffix, xlsx ? tr("Excel workbook (*.xlsx)") : tr("PDF (*.pdf)"));
    if (path.isEmpty()) return;
    QString error;
    const bool ok = xlsx ? saveXlsxTo(path, &error) : savePdfTo(path, &error);
    // The errors are whole sentences: a file written whose audit entry failed says so.
    m_status->setText(ok ? tr("Saved %1").arg(path) : error);
}

}  // namespace cwb::ui
