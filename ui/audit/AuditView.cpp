#include "ui/audit/AuditView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>

#include <sstream>

#include "store/AuditReport.h"
#include "ui/audit/AuditTableModel.h"
#include "ui/reports/ReportPreviewDialog.h"
#include "ui/store/ReportExportAudit.h"
#include "ui/store/StoreSession.h"

namespace cwb::ui {

namespace {

// A trail this long is shown from its newest entries; the filter narrows it down.
constexpr std::size_t kMaxShownEntries = 200000;

QString words(const Error& error) {
    return QString::fromStdString(error.message);
}

}  // namespace

AuditView::AuditView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    m_user = new QLineEdit(this);
    m_user->setObjectName("auditUserFilter");
    m_user->setPlaceholderText(tr("any user"));
    m_user->setClearButtonEnabled(true);
    m_event = new QComboBox(this);
    m_event->setObjectName("auditEventFilter");
    m_event->setEditable(true);
    m_event->setMinimumContentsLength(16);
    m_event->lineEdit()->setPlaceholderText(tr("any event"));
    m_useFrom = new QCheckBox(tr("Fr&om"), this);
    m_from = new QDateEdit(QDate::currentDate().addDays(-30), this);
    m_from->setObjectName("auditFrom");
    m_from->setCalendarPopup(true);
    m_from->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_useTo = new QCheckBox(tr("&To"), this);
    m_to = new QDateEdit(QDate::currentDate(), this);
    m_to->setObjectName("auditTo");
    m_to->setCalendarPopup(true);
    m_to->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_from->setEnabled(false);
    m_to->setEnabled(false);
    m_refresh = new QPushButton(tr("&Show"), this);
    m_refresh->setToolTip(tr("List the entries that pass the filter (dates in UTC)"));
    m_verify = new QPushButton(tr("Ve&rify chain"), this);
    m_verify->setObjectName("verifyChainButton");
    m_verify->setToolTip(tr("Check every entry's hash and link to its predecessor"));
    m_export = new QPushButton(tr("E&xport CSV..."), this);
    m_export->setObjectName("exportAuditButton");
    m_report = new QPushButton(tr("Export re&port..."), this);
    m_report->setObjectName("exportReport");
    m_report->setToolTip(
        tr("The filtered entries and the chain's verification as a report, "
           "previewed before saving as PDF or Excel"));
    bar->addWidget(new QLabel(tr("User:"), this));
    bar->addWidget(m_user);
    bar->addWidget(new QLabel(tr("Event:"), this));
    bar->addWidget(m_event);
    bar->addWidget(m_useFrom);
    bar->addWidget(m_from);
    bar->addWidget(m_useTo);
    bar->addWidget(m_to);
    bar->addWidget(m_refresh);
    bar->addStretch(1);
    bar->addWidget(m_verify);
    bar->addWidget(m_export);
    bar->addWidget(m_report);
    layout->addLayout(bar);

    m_result = new QLabel(this);
    m_result->setObjectName("auditResult");
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);

    m_model = new AuditTableModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName("auditTable");
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    // One line per entry: a dense list reads like a log.
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);

    connect(m_useFrom, &QCheckBox::toggled, m_from, &QWidget::setEnabled);
    connect(m_useTo, &QCheckBox::toggled, m_to, &QWidget::setEnabled);
    connect(m_refresh, &QPushButton::clicked, this, [this] { (void)refresh(); });
    connect(m_user, &QLineEdit::returnPressed, this, [this] { (void)refresh(); });
    connect(m_verify, &QPushButton::clicked, this, [this] { (void)verifyChain(); });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export audit trail"), QStringLiteral("audit.csv"), tr("CSV files (*.csv)"));
        if (path.isEmpty()) return;
        if (auto r = exportCsv(path); !r)
            QMessageBox::warning(this, tr("Cannot export"), words(r.error()));
    });
    connect(m_report, &QPushButton::clicked, this, &AuditView::exportReport);
    storeChanged();
}

void AuditView::setStoreSession(StoreSession* session) {
    m_session = session;
    if (m_session) connect(m_session, &StoreSession::changed, this, &AuditView::storeChanged);
    storeChanged();
}

void AuditView::storeChanged() {
    m_model->setEntries({});
    m_model->setBrokenSeq(0);
    if (!m_session || !m_session->isOpen()) {
        m_result->setStyleSheet({});
        m_result->setText(tr("No store is open: set its location in File > Settings."));
        return;
    }
    if (!m_session->signedIn()) {
        m_result->setStyleSheet({});
        m_result->setText(
            tr("Sign in (File > Sign in) as a compliance officer or an admin to read the audit "
               "trail."));
        return;
    }
    (void)refresh();
}

void AuditView::showProblem(const QString& text) {
    m_result->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_result->setText(text);
    emit statusMessage(text);
}

void AuditView::setFilter(const QString& user, const QString& event, const QDate& from,
                          const QDate& to) {
    m_user->setText(user);
    m_event->setCurrentText(event);
    m_useFrom->setChecked(from.isValid());
    if (from.isValid()) m_from->setDate(from);
    m_useTo->setChecked(to.isValid());
    if (to.isValid()) m_to->setDate(to);
}

store::AuditFilter AuditView::filter() const {
    store::AuditFilter f;
    f.user = m_user->text().trimmed().toStdString();
    f.event = m_event->currentText().trimmed().toStdString();
    // Times are ISO 8601 in UTC, so a day compares as a prefix; "to" is inclusive here and
    // exclusive in core.
    if (m_useFrom->isChecked()) f.from = m_from->date().toString(Qt::ISODate).toStdString();
    if (m_useTo->isChecked()) f.to = m_to->date().addDays(1).toString(Qt::ISODate).toStdString();
    return f;
}

Result<std::size_t> AuditView::refresh() {
    if (!m_session) return Error::badInput("no store is open");
    if (auto r = m_session->require(store::Action::ReadAudit); !r) {
        m_model->setEntries({});
        showProblem(words(r.error()));
        return r.error();
    }
    store::AuditLog& audit = m_session->store()->audit();
    auto entries = audit.entries(filter());
    if (!entries) {
        showProblem(words(entries.error()));
        return entries.error();
    }
    std::size_t total = entries->size();
    if (total > kMaxShownEntries)
        entries->erase(entries->begin(),
                       entries->begin() + static_cast<std::ptrdiff_t>(total - kMaxShownEntries));
    // The event list offers what the trail holds (kept when the filter narrows it).
    QSet<QString> events;
    for (int i = 0; i < m_event->count(); ++i)
        events.insert(m_event->itemText(i));
    const QString typed = m_event->currentText();
    for (const auto& e : *entries)
        if (QString name = QString::fromStdString(e.event); !events.contains(name)) {
            events.insert(name);
            m_event->addItem(name);
        }
    m_event->setCurrentText(typed);
    const qint64 broken = m_model->brokenSeq();
    m_model->setEntries(std::move(*entries));
    m_model->setBrokenSeq(broken);
    m_table->resizeColumnsToContents();
    m_result->setStyleSheet({});
    m_result->setText(
        total > kMaxShownEntries
            ? tr("%1 entries; the newest %2 are shown.").arg(total).arg(kMaxShownEntries)
            : tr("%n entries.", nullptr, static_cast<int>(total)));
    return total;
}

Result<store::ChainCheck> AuditView::verifyChain() {
    if (!m_session) return Error::badInput("no store is open");
    if (auto r = m_session->require(store::Action::ReadAudit); !r) {
        showProblem(words(r.error()));
        return r.error();
    }
    auto check = m_session->store()->audit().verify();
    if (!check) {
        showProblem(words(check.error()));
        return check.error();
    }
    m_model->setBrokenSeq(check->intact ? 0 : check->firstBroken);
    if (check->intact) {
        m_result->setStyleSheet(QStringLiteral("color: #1b5e20; font-weight: bold;"));
        m_result->setText(tr("Chain intact: %1 entries verified. Head %2")
                              .arg(check->entries)
                              .arg(QString::fromStdString(check->head)));
        emit statusMessage(tr("Audit chain intact"));
    } else {
        const QString where = check->firstBroken > 0
                                  ? tr("Chain BROKEN at entry %1").arg(check->firstBroken)
                                  : tr("Chain BROKEN");
        m_result->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
        m_result->setText(tr("%1: %2").arg(where, QString::fromStdString(check->problem)));
        emit statusMessage(where);
        if (int row = m_model->rowOfSeq(check->firstBroken); row >= 0) {
            m_table->selectRow(row);
            m_table->scrollTo(m_model->index(row, 0));
        }
    }
    return check;
}

Result<std::size_t> AuditView::exportCsv(const QString& path) {
    if (!m_session) return Error::badInput("no store is open");
    if (auto r = m_session->require(store::Action::ReadAudit); !r) {
        showProblem(words(r.error()));
        return r.error();
    }
    store::AuditLog& audit = m_session->store()->audit();
    std::ostringstream text;
    auto written = audit.exportTo(text, store::AuditLog::Format::Csv, filter());
    if (!written) return written.error();
    const std::string data = text.str();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(data.data(), static_cast<qint64>(data.size())) !=
            static_cast<qint64>(data.size()) ||
        !file.commit())
        return Error::failure("cannot write '" + path.toStdString() + "'");
    auto logged = audit.append(m_session->actor()->name, "audit_exported",
                               {{"entries", *written}, {"format", "csv"}});
    if (!logged) return logged.error();
    emit statusMessage(tr("Exported %1 audit entries to %2").arg(*written).arg(path));
    (void)refresh();
    return written;
}

ReportPreviewDialog* AuditView::exportReport() {
    if (!m_session) return nullptr;
    if (auto r = m_session->require(store::Action::ReadAudit); !r) {
        showProblem(words(r.error()));
        return nullptr;
    }
    store::AuditReportRequest request;
    request.filter = filter();
    const store::Actor actor = *m_session->actor();
    // The worker opens the store again: a Store belongs to the thread that opened it.
    const store::Store::Reopen reopen = m_session->store()->reopener();
    auto details = std::make_shared<nlohmann::json>(nlohmann::json{{"report", "audit"}});
    auto* dialog = new ReportPreviewDialog(
        tr("Audit extract"), QStringLiteral("audit-extract"),
        [reopen, actor, request, details](ProgressToken& token) -> Result<ReportDocument> {
            token.report(0.0, "verifying the chain", true);
            auto store = reopen();
            if (!store) return store.error();
            auto report = store::buildAuditReport(**store, actor, request);
            if (!report) return report.error();
            (*details)["entries"] = report->entries.size();
            (*details)["chain_intact"] = report->chain.intact;
            return store::auditDocument(*report);
        },
        this);
    // Read on the GUI thread after the worker finished (the dialog's ready signal).
    dialog->setOnSaved(reportExportAudit(m_session, [details] { return *details; }));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->start();
    return dialog;
}

void AuditView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_session && m_session->signedIn()) (void)refresh();
}

QString AuditView::statusText() const {
    return m_result->text();
}

}  // namespace cwb::ui
