#include "ui/applicant/ApplicantView.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <chrono>
#include <limits>

#include "ui/applicant/RecordFile.h"
#include "ui/common/AppSettings.h"
#include "ui/common/GuiMetrics.h"
#include "ui/common/JobRunner.h"
#include "ui/store/DecisionActions.h"
#include "ui/store/OverrideDialog.h"
#include "ui/store/StoreSession.h"
#include "ui/widgets/FormScrollArea.h"
#include "ui/widgets/ScorePanel.h"

namespace cwb::ui {

ApplicantView::ApplicantView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    auto* load = new QPushButton(tr("&Load from file..."), this);
    load->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    load->setToolTip(tr("Fill the form from a row of a CSV file (Ctrl+L)"));
    auto* clearButton = new QPushButton(tr("&Clear"), this);
    clearButton->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backspace));
    clearButton->setToolTip(tr("Empty the form (Ctrl+Shift+Backspace)"));
    m_explain = new QPushButton(tr("E&xplain"), this);
    m_explain->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_explain->setToolTip(tr("Open this applicant in the explanation view (Ctrl+E)"));
    m_explain->setEnabled(false);
    m_record = new QPushButton(tr("Record &score"), this);
    m_record->setObjectName("recordScoreButton");
    m_record->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_record->setToolTip(
        tr("Count this applicant as scored in the monitoring (Ctrl+Return); "
           "the live preview while typing is not counted"));
    m_record->setEnabled(false);
    m_recordDecision = new QPushButton(tr("Record &decision..."), this);
    m_recordDecision->setObjectName("recordDecisionButton");
    m_recordDecision->setToolTip(
        tr("Record this applicant's score and decision in the store, as the signed-in user"));
    m_recordDecision->setEnabled(false);
    m_recordDecision->hide();  // shown while a store is open
    m_override = new QPushButton(tr("&Override..."), this);
    m_override->setObjectName("overrideButton");
    m_override->setToolTip(
        tr("Override the decision recorded for this applicant, with a reason code and comment"));
    m_override->setEnabled(false);
    m_override->hide();
    m_source = new QLabel(this);
    m_source->setObjectName("applicantSource");
    bar->addWidget(load);
    bar->addWidget(clearButton);
    bar->addWidget(m_record);
    bar->addWidget(m_recordDecision);
    bar->addWidget(m_override);
    bar->addWidget(m_explain);
    bar->addSpacing(12);
    bar->addWidget(m_source, 1);
    layout->addLayout(bar);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_form = new ApplicantForm;
    auto* scroll = new FormScrollArea(m_form, splitter);
    m_panel = new ScorePanel(splitter);
    splitter->addWidget(scroll);
    splitter->addWidget(m_panel);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    // Stretch factors only share out later growth; these proportions apply from the start.
    splitter->setSizes({560, 440});
    layout->addWidget(splitter, 1);

    m_loader = new JobRunner(this);
    connect(load, &QPushButton::clicked, this, &ApplicantView::chooseFileRow);
    connect(clearButton, &QPushButton::clicked, this, &ApplicantView::clear);
    connect(m_explain, &QPushButton::clicked, this, &ApplicantView::explainRequested);
    connect(m_record, &QPushButton::clicked, this, &ApplicantView::recordScore);
    connect(m_recordDecision, &QPushButton::clicked, this, &ApplicantView::recordDecisionAsked);
    connect(m_override, &QPushButton::clicked, this, &ApplicantView::overrideAsked);
    connect(m_form, &ApplicantForm::valuesChanged, this, [this] {
        // An edited applicant is no longer the one in the file.
        if (!m_name.isEmpty() && !m_name.endsWith(tr(" (edited)"))) m_name += tr(" (edited)");
        m_source->setText(m_name);
        rescore();
    });
}

void ApplicantView::setModel(std::shared_ptr<const ModelBundle> bundle, int reasons) {
    const ApplicantValues keep = m_form->values();
    m_bundle = std::move(bundle);
    m_reasons = reasons;
    m_scorer = m_bundle ? std::make_unique<Scorer>(m_bundle) : nullptr;
    m_form->setSchema(m_bundle ? m_bundle->schema : Schema{}, unusedFeatures(m_bundle.get()));
    // Keep what was typed when switching models; characteristics the new model lacks drop.
    if (!keep.empty()) m_form->setValues(keep);
    rescore();
}

QString ApplicantView::applicantName() const {
    return m_name.isEmpty() ? tr("new applicant") : m_name;
}

void ApplicantView::rescore() {
    m_result.reset();
    m_form->setRefusal({}, {});
    m_recorded = false;
    m_lastDecision = 0;  // the form no longer holds the applicant recorded last
    if (!m_scorer) {
        m_panel->showMessage(tr("No model loaded"), tr("Open a model bundle to score applicants."));
    } else if (const QStringList missing = m_form->incompleteFields(); !missing.isEmpty()) {
        m_panel->showMessage(tr("Incomplete: characteristics to fill in: %1").arg(missing.size()),
                             missing.join(QStringLiteral(", ")));
    } else {
        // One applicant is scored in well under a millisecond (a scorecard sum or one tree
        // walk with TreeSHAP), so this stays on the GUI thread and follows every keystroke.
        const auto started = std::chrono::steady_clock::now();
        RejectedRow refused;
        auto result = m_scorer->explainRecord(m_form->values(), m_reasons, &refused);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (result) {
            // A live preview only: the metrics count an applicant when the analyst records it
            // (recordScore), not every keystroke that completes the form.
            m_resultSeconds = seconds;
            m_result = *result;
            m_panel->showResult(*result, *m_bundle);
        } else {
            m_panel->showMessage(tr("The model cannot score this applicant"),
                                 QString::fromStdString(result.error().message));
            // ... and at the field whose value the model refuses.
            m_form->setRefusal(QString::fromStdString(refused.column),
                               QString::fromStdString(refused.reason));
        }
    }
    m_explain->setEnabled(m_result.has_value());
    m_record->setEnabled(canRecord());
    refreshStoreActions();
    emit scored();
}

bool ApplicantView::canRecord() const {
    return m_result.has_value() && !m_recorded && m_bundle;
}

bool ApplicantView::recordScore() {
    if (!canRecord()) return false;
    if (m_metrics) m_metrics->recordScore(m_bundle->name, m_result->decision, m_resultSeconds);
    m_recorded = true;
    m_record->setEnabled(false);
    emit statusMessage(
        tr("Recorded the score of %1: %2")
            .arg(applicantName(), QString::fromStdString(toString(m_result->decision))));
    return true;
}

void ApplicantView::loadFromFile(const QString& path, long row) {
    if (!m_bundle) {
        emit loaded(false, tr("Open a model first."));
        return;
    }
    if (m_loader->isRunning()) {
        emit loaded(false, tr("Another applicant is still loading."));
        return;
    }
    auto out = std::make_shared<FileApplicant>();
    auto bundle = m_bundle;
    const std::string file = path.toStdString();
    connect(
        m_loader, &JobRunner::finished, this,
        [this, out, path, row](bool, const QString& error) {
            if (!error.isEmpty()) {
                QMessageBox::warning(this, tr("Cannot load applicant"), error);
                emit loaded(false, error);
                return;
            }
            m_form->setValues(out->values);
            m_applicantId = QString::fromStdString(out->id);
            m_name = out->id.empty()
                         ? tr("%1 row %2").arg(QFileInfo(path).fileName()).arg(row)
                         : tr("Applicant %1 (%2 row %3)")
                               .arg(QString::fromStdString(out->id), QFileInfo(path).fileName())
                               .arg(row);
            m_source->setText(m_name);
            addRecentFile("applicants", path);
            emit statusMessage(tr("Loaded %1").arg(m_name));
            emit loaded(true, m_name);
        },
        Qt::SingleShotConnection);
    m_loader->start([out, bundle, file, row](ProgressToken&) -> QString {
        auto applicant = readApplicantRow(file, row, bundle->schema);
        if (!applicant) return QString::fromStdString(applicant.error().message);
        *out = std::move(*applicant);
        return {};
    });
}

void ApplicantView::chooseFileRow() {
    const QStringList recent = recentFiles("applicants");
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load applicant from file"), recent.isEmpty() ? QString() : recent.first(),
        tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (path.isEmpty()) return;
    bool ok = false;
    const int row = QInputDialog::getInt(this, tr("Load applicant"),
                                         tr("Data row (1 = first row after the header):"), 1, 1,
                                         std::numeric_limits<int>::max(), 1, &ok);
    if (ok) loadFromFile(path, row);
}

void ApplicantView::clear() {
    m_name.clear();
    m_applicantId.clear();
    m_form->clear();
    m_source->clear();
}

void ApplicantView::setStoreSession(StoreSession* session) {
    m_session = session;
    if (m_session)
        connect(m_session, &StoreSession::changed, this, &ApplicantView::refreshStoreActions);
    refreshStoreActions();
}

void ApplicantView::refreshStoreActions() {
    // Shown with an open store, enabled for any signed-in user: the role is checked by core,
    // whose refusal names the role needed.
    const bool open = m_session && m_session->isOpen();
    const bool signedIn = open && m_session->signedIn();
    m_recordDecision->setVisible(open);
    m_override->setVisible(open);
    m_recordDecision->setEnabled(signedIn && m_result.has_value() && m_bundle);
    m_override->setEnabled(signedIn && m_lastDecision > 0);
}

Result<std::int64_t> ApplicantView::recordDecision(const QString& applicantId) {
    if (!m_session) return Error::badInput("no store is open");
    if (!m_result || !m_bundle) return Error::badInput("the applicant is not scored yet");
    const QString id = applicantId.isEmpty() ? m_applicantId : applicantId;
    auto recorded = cwb::ui::recordDecision(*m_session, *m_bundle, m_modelFile, m_form->values(),
                                            *m_result, id);
    if (!recorded) {
        emit statusMessage(
            tr("Not recorded: %1").arg(QString::fromStdString(recorded.error().message)));
        return recorded;
    }
    m_lastDecision = *recorded;
    m_lastDecisionValue = QString::fromStdString(toString(m_result->decision));
    if (canRecord()) recordScore();  // a recorded decision is a deliberate score (decision 25)
    refreshStoreActions();
    emit statusMessage(tr("Recorded decision %1 for applicant %2: %3")
                           .arg(m_lastDecision)
                           .arg(id, m_lastDecisionValue));
    return recorded;
}

Result<std::int64_t> ApplicantView::overrideDecision(const QString& newDecision,
                                                     const QString& reasonCode,
                                                     const QString& comment) {
    if (!m_session) return Error::badInput("no store is open");
    if (m_lastDecision <= 0) return Error::badInput("record the decision first");
    auto overridden =
        cwb::ui::overrideDecision(*m_session, m_lastDecision, newDecision, reasonCode, comment);
    if (!overridden) {
        emit statusMessage(
            tr("Not overridden: %1").arg(QString::fromStdString(overridden.error().message)));
        return overridden;
    }
    m_lastDecisionValue = newDecision;
    emit statusMessage(
        tr("Decision %1 overridden to %2 (%3)").arg(m_lastDecision).arg(newDecision, reasonCode));
    return overridden;
}

void ApplicantView::recordDecisionAsked() {
    QString id = m_applicantId;
    if (id.isEmpty()) {
        bool ok = false;
        id = QInputDialog::getText(this, tr("Record decision"),
                                   tr("The applicant's id (the record is found and erased by it):"),
                                   QLineEdit::Normal, QString(), &ok)
                 .trimmed();
        if (!ok || id.isEmpty()) return;
    }
    if (auto r = recordDecision(id); !r)
        QMessageBox::warning(this, tr("Decision not recorded"),
                             QString::fromStdString(r.error().message));
}

void ApplicantView::overrideAsked() {
    if (!m_session || !m_session->store() || m_lastDecision <= 0) return;
    auto reasons = m_session->store()->settings().overrideReasons();
    if (!reasons) {
        QMessageBox::warning(this, tr("Cannot override"),
                             QString::fromStdString(reasons.error().message));
        return;
    }
    QStringList codes;
    for (const auto& r : *reasons)
        codes << QString::fromStdString(r);
    OverrideDialog dialog(m_lastDecision, m_lastDecisionValue, codes, this);
    if (dialog.exec() != QDialog::Accepted) return;
    if (auto r = overrideDecision(dialog.decision(), dialog.reasonCode(), dialog.comment()); !r)
        QMessageBox::warning(this, tr("Decision not overridden"),
                             QString::fromStdString(r.error().message));
}

}  // namespace cwb::ui
