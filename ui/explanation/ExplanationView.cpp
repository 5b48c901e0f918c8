#include "ui/explanation/ExplanationView.h"

#include <algorithm>
#include <optional>

#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "render/Templates.h"
#include "report/AdverseAction.h"
#include "store/ReportMasking.h"
#include "ui/explanation/WaterfallChart.h"
#include "ui/reports/ReportPreviewDialog.h"
#include "ui/store/ReportExportAudit.h"
#include "ui/store/StoreSession.h"
#include "ui/widgets/FormScrollArea.h"
#include "ui/widgets/ScorePanel.h"

namespace cwb::ui {

ExplanationView::ExplanationView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setObjectName("explanationTitle");
    auto* unitLabel = new QLabel(tr("&Units:"), this);
    m_unitBox = new QComboBox(this);
    m_unitBox->setObjectName("unitBox");
    m_unitBox->addItem(tr("Points"));
    m_unitBox->addItem(tr("Log-odds"));
    unitLabel->setBuddy(m_unitBox);
    m_reset = new QPushButton(tr("&Reset what-if"), this);
    m_reset->setToolTip(tr("Put back the applicant's own values (Ctrl+Shift+R)"));
    m_reset->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    bar->addWidget(m_title, 1);
    bar->addWidget(unitLabel);
    bar->addWidget(m_unitBox);
    m_notice = new QPushButton(tr("Adverse a&ction notice..."), this);
    m_notice->setObjectName("adverseActionNotice");
    m_notice->setToolTip(
        tr("Preview the adverse action notice of this declined or referred applicant, then "
           "save it as PDF (Alt+C)"));
    bar->addWidget(m_reset);
    bar->addWidget(m_notice);
    layout->addLayout(bar);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* whatIfTitle = new QLabel(
        tr("<b>What-if</b>: change a value and watch the score and reasons move. Changed "
           "characteristics are shown in bold."),
        left);
    whatIfTitle->setWordWrap(true);
    leftLayout->addWidget(whatIfTitle);
    m_form = new ApplicantForm;
    m_form->setObjectName("whatIfForm");
    // The Characteristics tab shows each value beside its training range; the form stays narrow.
    m_form->setHintsVisible(false);
    leftLayout->addWidget(new FormScrollArea(m_form, left), 1);

    auto* right = new QSplitter(Qt::Vertical, splitter);
    m_panel = new ScorePanel(right);
    auto* tabs = new QTabWidget(right);
    auto* chartPage = new QWidget(tabs);
    auto* chartLayout = new QVBoxLayout(chartPage);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    m_chart = new WaterfallChart(chartPage);
    m_chart->setObjectName("waterfall");
    m_chart->installEventFilter(this);
    chartLayout->addWidget(m_chart, 1);
    m_baseNote = new QLabel(chartPage);
    m_baseNote->setObjectName("baseNote");
    m_baseNote->setWordWrap(true);
    chartLayout->addWidget(m_baseNote);
    tabs->addTab(chartPage, tr("&Waterfall"));
    auto* tablePage = new QWidget(tabs);
    auto* tableLayout = new QVBoxLayout(tablePage);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, 5, tablePage);
    m_table->setObjectName("explanationTable");
    m_table->setHorizontalHeaderLabels(
        {tr("Characteristic"), tr("Value"), tr("Training range"), tr("Effect"), tr("Reason text")});
    // Only the reason text is editable (its items alone carry Qt::ItemIsEditable).
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_table->horizontalHeader()->setStretchLastSection(true);
    tableLayout->addWidget(m_table, 1);
    auto* reasonBar = new QHBoxLayout;
    m_reasonNote =
        new QLabel(tr("Double-click a reason text to word it for this level or range."), tablePage);
    m_reasonNote->setObjectName("reasonNote");
    m_reasonNote->setWordWrap(true);
    m_saveReasons = new QPushButton(tr("Save model with reason te&xts..."), tablePage);
    m_saveReasons->setObjectName("saveReasonTexts");
    m_saveReasons->setEnabled(false);
    reasonBar->addWidget(m_reasonNote, 1);
    reasonBar->addWidget(m_saveReasons);
    tableLayout->addLayout(reasonBar);
    tabs->addTab(tablePage, tr("Charac&teristics"));
    right->addWidget(m_panel);
    right->addWidget(tabs);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 3);
    right->setSizes({300, 600});
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({480, 880});
    layout->addWidget(splitter, 1);

    connect(m_unitBox, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_unit = i == 0 ? WaterfallUnit::Points : WaterfallUnit::LogOdds;
        recompute();
    });
    connect(m_reset, &QPushButton::clicked, this, &ExplanationView::resetWhatIf);
    connect(m_notice, &QPushButton::clicked, this, [this] { adverseActionNotice(); });
    connect(m_form, &ApplicantForm::valuesChanged, this, &ExplanationView::recompute);
    connect(m_table, &QTableWidget::itemChanged, this, &ExplanationView::onReasonEdited);
    connect(m_saveReasons, &QPushButton::clicked, this, &ExplanationView::saveReasonTextsAs);
    setModel(nullptr, 4);
}

void ExplanationView::setModel(std::shared_ptr<const ModelBundle> bundle, int reasons) {
    m_bundle = std::move(bundle);
    m_reasons = reasons;
    m_reasonsEdited = false;
    m_saveReasons->setEnabled(false);
    m_scorer = m_bundle ? std::make_unique<Scorer>(m_bundle) : nullptr;
    m_form->setSchema(m_bundle ? m_bundle->schema : Schema{}, unusedFeatures(m_bundle.get()));
    // Re-explain the same applicant with the new model (its values may no longer fit).
    setApplicant(m_values, m_title->property("applicantName").toString(), m_applicantId);
}

void ExplanationView::setApplicant(const ApplicantValues& values, const QString& name,
                                   const QString& id) {
    m_values = values;
    m_applicantId = id;
    m_title->setProperty("applicantName", name);
    m_original.reset();
    if (m_scorer && !values.empty())
        if (auto r = m_scorer->explainRecord(values, m_reasons)) m_original = *r;
    m_title->setText(m_original
                         ? tr("<b>Explanation</b> of %1: score %2, PD %3 %")
                               .arg(name.toHtmlEscaped())
                               .arg(m_original->score)
                               .arg(m_original->pd * 100.0, 0, 'f', 2)
                         : tr("<b>Explanation</b>: score an applicant in the Applicant view, then "
                              "choose Explain (Ctrl+E)."));
    {
        const QSignalBlocker block(m_form);
        m_form->setValues(values);
        m_form->setComparison(values);
    }
    recompute();
}

void ExplanationView::setUnit(WaterfallUnit unit) {
    m_unitBox->setCurrentIndex(unit == WaterfallUnit::Points ? 0 : 1);
}

void ExplanationView::resetWhatIf() {
    m_form->setValues(m_values);  // emits valuesChanged, which recomputes
}

void ExplanationView::recompute() {
    m_whatIf.reset();
    const ApplicantValues current = m_form->values();
    if (!m_scorer || !m_original) {
        m_panel->showMessage(tr("Nothing to explain yet"), QString());
        m_chart->setData({});
        m_baseNote->clear();
        m_table->setRowCount(0);
    } else if (const QStringList missing = m_form->incompleteFields(); !missing.isEmpty()) {
        m_panel->showMessage(tr("Incomplete: characteristics to fill in: %1").arg(missing.size()),
                             missing.join(QStringLiteral(", ")));
    } else if (auto r = m_scorer->explainRecord(current, m_reasons); !r) {
        m_panel->showMessage(tr("The model cannot score these values"),
                             QString::fromStdString(r.error().message));
    } else {
        // One applicant takes well under a millisecond, so what-if follows every change.
        m_whatIf = *r;
        const bool changed = current != m_values;
        m_panel->showResult(*r, *m_bundle, changed ? &*m_original : nullptr);
        m_waterfallSteps = waterfallSteps();
        const WaterfallData data = buildWaterfall(*r, *m_bundle, current, m_unit, m_waterfallSteps);
        m_chart->setData(data);
        m_baseNote->setText(data.baseNote);
        fillTable(*r, current);
    }
    m_reset->setEnabled(m_original && current != m_values);
    m_notice->setEnabled(m_original && m_original->decision != Decision::Approve);
    emit explained();
}

void ExplanationView::fillTable(const ScoreResult& result, const ApplicantValues& values) {
    const QSignalBlocker quiet(m_table);  // filling is not editing
    const auto features = m_bundle->schema.features();
    m_table->setRowCount(static_cast<int>(features.size()));
    const bool points = m_unit == WaterfallUnit::Points;
    m_table->setHorizontalHeaderItem(
        3, new QTableWidgetItem(points ? tr("Effect (points)") : tr("Effect (log-odds)")));
    for (int r = 0; r < static_cast<int>(features.size()); ++r) {
        const ColumnSpec& spec = *features[static_cast<std::size_t>(r)];
        const auto v = values.find(spec.name);
        const QString value = v == values.end() ? tr("missing") : QString::fromStdString(v->second);
        QString range;
        bool outside = false;
        if (spec.type == ColumnType::Numeric) {
            range = QStringLiteral("%1 – %2").arg(spec.min).arg(spec.max);
            bool ok = false;
            const double x = value.toDouble(&ok);
            outside = ok && (x < spec.min || x > spec.max);
        } else {
            range = tr("levels seen: %1").arg(spec.levels.size());
        }
        const double c = static_cast<std::size_t>(r) < result.contributions.size()
                             ? result.contributions[static_cast<std::size_t>(r)]
                             : 0.0;
        const double effect = points ? m_bundle->scaling.pointsFromContribution(c) : c;
        const QString reasonText = QString::fromStdString(
            v == values.end() ? m_bundle->reasonText(spec.name)
                              : m_bundle->reasonTextOf(spec.name, v->second));
        const auto readOnly = [](QTableWidgetItem* item) {
            item->setFlags(item->flags() & ~Qt::ItemIsEditable);
            return item;
        };
        auto* name = readOnly(new QTableWidgetItem(QString::fromStdString(spec.displayName())));
        name->setToolTip(reasonText);
        name->setData(Qt::UserRole, QString::fromStdString(spec.name));
        m_table->setItem(r, 0, name);
        m_table->setItem(r, 1, readOnly(new QTableWidgetItem(value)));
        m_table->setItem(
            r, 2, readOnly(new QTableWidgetItem(outside ? tr("%1 (outside)").arg(range) : range)));
        auto* reasonItem = new QTableWidgetItem(reasonText);
        reasonItem->setToolTip(reasonText);
        m_table->setItem(r, kReasonColumn, reasonItem);
        auto* effectItem =
            readOnly(new QTableWidgetItem(QString::number(effect, 'f', points ? 1 : 4)));
        effectItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        effectItem->setData(Qt::UserRole, effect);
        m_table->setItem(r, 3, effectItem);
    }
    m_table->resizeColumnsToContents();
}

ReportPreviewDialog* ExplanationView::adverseActionNotice() {
    if (!m_bundle || !m_original || m_original->decision == Decision::Approve) {
        emit statusMessage(tr("An adverse action notice is for a declined or referred applicant."));
        return nullptr;
    }
    AdverseActionRequest request;
    if (m_rightsTemplate.isEmpty()) {
        request.rightsTemplate = render::defaultRightsTemplate();
    } else {
        auto text = render::readRightsTemplate(m_rightsTemplate.toStdString());
        if (!text) {
            emit statusMessage(QString::fromStdString(text.error().message));
            return nullptr;
        }
        request.rightsTemplate = std::move(*text);
    }
    const bool governed = m_session && m_session->isOpen();
    std::optional<store::Actor> actor;
    std::optional<store::Pseudonymizer> pseudonyms;
    if (governed) {
        // Without a user nothing could be masked by role or audited: no notice (decision 36).
        if (!m_session->signedIn()) {
            emit statusMessage(
                tr("Sign in to the store first (File > Sign in): notices made "
                   "with a store are masked by your role and audited."));
            return nullptr;
        }
        actor = *m_session->actor();
        pseudonyms = m_session->store()->pseudonymizer();
        auto lender = m_session->store()->settings().lender();
        if (!lender) {
            emit statusMessage(QString::fromStdString(lender.error().message));
            return nullptr;
        }
        if (!lender->name.empty()) request.lender.name = lender->name;
        if (!lender->address.empty()) request.lender.address = lender->address;
        if (!lender->contact.empty()) request.lender.contact = lender->contact;
        if (!lender->complete())
            emit statusMessage(
                tr("The store's lender details are incomplete; the notice shows "
                   "placeholders (an admin sets them: cwb store set lender_name "
                   "...)."));
    } else {
        emit statusMessage(
            tr("No store is open: the notice shows placeholders for the lender's "
               "details and the export is not audited."));
    }
    ApplicantRef applicant;
    const QString name = m_title->property("applicantName").toString();
    applicant.id = (m_applicantId.isEmpty() ? name : m_applicantId).toStdString();
    applicant.idIsPersonal = !m_applicantId.isEmpty();
    applicant.where = name.toStdString();
    auto bundle = m_bundle;
    const ApplicantValues values = m_values;
    auto* dialog = new ReportPreviewDialog(
        tr("Adverse action notice"), QStringLiteral("adverse-action-notice"),
        [=](ProgressToken&) -> Result<ReportDocument> {
            auto set = adverseActionForApplicant(bundle, values, applicant);
            if (!set) return set.error();
            if (actor) store::maskNoticesForRole(*set, *actor, *pseudonyms);
            return adverseActionDocument(*set, *bundle, request);
        },
        this);
    if (governed) {
        // As the command line records it: whether the role had the ids masked.
        const bool masked = !actor->may(store::Action::ViewPii);
        const nlohmann::json details = {{"report", "adverse-action"},
                                        {"model", m_bundle->name},
                                        {"notices", 1},
                                        {"ids_masked", masked}};
        dialog->setOnSaved(reportExportAudit(m_session, [details] { return details; }));
    }
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->start();
    return dialog;
}

void ExplanationView::onReasonEdited(QTableWidgetItem* item) {
    if (!item || item->column() != kReasonColumn || !m_bundle) return;
    const QTableWidgetItem* nameItem = m_table->item(item->row(), 0);
    if (!nameItem) return;
    const std::string feature = nameItem->data(Qt::UserRole).toString().toStdString();
    const ColumnSpec* spec = m_bundle->schema.find(feature);
    if (!spec) return;
    const std::string text = item->text().trimmed().toStdString();
    // The key the text belongs to: the level shown, or the range holding the number shown.
    const ApplicantValues current = m_form->values();
    const auto value = current.find(feature);
    std::optional<std::string> key;
    auto edited = std::make_shared<ModelBundle>(*m_bundle);
    ValueTexts texts = edited->reasonValueTexts[feature];
    if (value != current.end() && spec->type == ColumnType::Categorical) {
        key = value->second;
    } else if (value != current.end()) {
        for (const auto& [range, unused] : texts) {
            (void)unused;
            const auto r = parseValueRange(range);
            bool ok = false;
            const double x = QString::fromStdString(value->second).toDouble(&ok);
            if (r && ok && r->contains(x)) key = range;
        }
    }
    Result<void> checked;
    if (key) {
        texts[*key] = text;
        checked = checkValueTexts(*spec, texts);
        edited->reasonValueTexts[feature] = std::move(texts);
    } else {
        checked = checkReasonText(text, "the reason text of " + feature);
        edited->reasonTexts[feature] = text;
    }
    if (edited->reasonValueTexts[feature].empty()) edited->reasonValueTexts.erase(feature);
    if (!checked) {
        m_reasonNote->setText(
            tr("Not taken: %1").arg(QString::fromStdString(checked.error().message)));
        recompute();  // puts back the text in force
        return;
    }
    m_reasonNote->setText(
        key ? tr("Reason text of %1 for \"%2\" changed; save the model to keep it.")
                  .arg(QString::fromStdString(feature), QString::fromStdString(*key))
            : tr("Reason text of %1 changed; save the model to keep it.")
                  .arg(QString::fromStdString(feature)));
    // Explain with the edited texts at once; the scores are the same model's.
    m_bundle = std::move(edited);
    m_scorer = std::make_unique<Scorer>(m_bundle);
    if (m_original)
        if (auto r = m_scorer->explainRecord(m_values, m_reasons)) m_original = *r;
    m_reasonsEdited = true;
    m_saveReasons->setEnabled(true);
    recompute();
}

Result<void> ExplanationView::saveReasonTexts(const QString& path) {
    if (!m_bundle) return Error::badInput("no model is open");
    if (auto saved = saveBundle(*m_bundle, path.toStdString()); !saved) return saved;
    m_reasonsEdited = false;
    m_saveReasons->setEnabled(false);
    m_reasonNote->setText(tr("Saved %1.").arg(path));
    return {};
}

void ExplanationView::saveReasonTextsAs() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save model with reason texts"),
        QString::fromStdString(m_bundle ? m_bundle->name : std::string("model")) +
            QStringLiteral("-reasons.cwbm"),
        tr("Credit Workbench models (*.cwbm)"));
    if (path.isEmpty()) return;
    if (auto saved = saveReasonTexts(path); !saved)
        QMessageBox::warning(this, tr("Model not saved"),
                             QString::fromStdString(saved.error().message));
}

QString ExplanationView::baseNoteText() const {
    return m_baseNote->text();
}

int ExplanationView::waterfallSteps() const {
    // Qt Charts shows a category label as "..." once its bar's slot is lower than a text line,
    // so a short chart (a 1280x720 screen) gets fewer steps of its own and a larger "other"
    // step, and every label stays readable. About 170 pixels go to the title, the axis and
    // the legend (measured on the 1280x720 screenshots).
    if (!m_chart->isVisible()) return 10;  // not laid out yet; a resize follows when shown
    const int line = fontMetrics().height() + 6;
    const int rows = (m_chart->height() - 170) / line;  // bars that fit, base and score included
    return std::clamp(rows - 2, 3, 10);
}

bool ExplanationView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_chart && event->type() == QEvent::Resize && m_whatIf &&
        waterfallSteps() != m_waterfallSteps)
        recompute();
    return QWidget::eventFilter(watched, event);
}

}  // namespace cwb::ui
