#include "ui/registry/RegistryView.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/common/JobRunner.h"
#include "ui/registry/LabelledFileDialog.h"
#include "ui/registry/RegistryDetail.h"
#include "ui/store/StoreSession.h"

namespace cwb::ui {

namespace {

QString words(const Error& error) {
    return QString::fromStdString(error.message);
}

QTableWidget* makeTable(QWidget* parent, const char* name, const QStringList& headers) {
    auto* table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(headers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

QPushButton* makeButton(QWidget* parent, const QString& text, const char* name,
                        const QString& tip) {
    auto* button = new QPushButton(text, parent);
    button->setObjectName(name);
    button->setToolTip(tip);
    return button;
}

}  // namespace

RegistryView::RegistryView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    m_register = makeButton(this, tr("Re&gister open model..."), "registryRegister",
                            tr("Store the open bundle as the next version of a model (data "
                               "scientists)"));
    m_validate = makeButton(this, tr("Valida&te..."), "registryValidate",
                            tr("Run the validation gate on a labelled file"));
    m_approve = makeButton(this, tr("&Approve..."), "registryApprove",
                           tr("Sign the approval with your key (compliance; never the "
                              "registrant)"));
    m_champion = makeButton(this, tr("Promote to &champion"), "registryChampion",
                            tr("The current champion goes back to approved"));
    m_challenger = makeButton(this, tr("Promote to chall&enger"), "registryChallenger",
                              tr("The current challenger goes back to approved"));
    m_retire = makeButton(this, tr("&Retire"), "registryRetire",
                          tr("A retired version no longer passes the production lock"));
    m_swapButton = makeButton(this, tr("S&wap set..."), "registrySwapSet",
                              tr("Score a file with the champion and the challenger"));
    m_refresh = makeButton(this, tr("Refre&sh"), "registryRefresh", tr("List the versions again"));
    for (QPushButton* b :
         {m_register, m_validate, m_approve, m_champion, m_challenger, m_retire, m_swapButton})
        bar->addWidget(b);
    bar->addStretch(1);
    bar->addWidget(m_refresh);
    layout->addLayout(bar);

    auto* jobRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setObjectName("registryProgress");
    m_progress->setRange(0, 1000);
    m_cancel = makeButton(this, tr("Ca&ncel"), "registryCancel", tr("Stop the running job"));
    jobRow->addWidget(m_progress, 1);
    jobRow->addWidget(m_cancel);
    m_progress->hide();
    m_cancel->hide();
    layout->addLayout(jobRow);

    m_result = new QLabel(this);
    m_result->setObjectName("registryResult");
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_versions = makeTable(split, "registryVersions",
                           {tr("Model"), tr("Version"), tr("Stage"), tr("SHA-256"), tr("Algorithm"),
                            tr("Registered by"), tr("Registered at"), tr("Signature")});
    auto* detail = new QWidget(split);
    auto* detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_signature = new QLabel(detail);
    m_signature->setObjectName("registrySignature");
    m_signature->setWordWrap(true);
    m_validation = new QLabel(detail);
    m_validation->setObjectName("registryValidation");
    m_validation->setWordWrap(true);
    m_checks = makeTable(detail, "registryChecks", checkHeaders());
    m_checks->setWordWrap(true);
    m_swapTitle = new QLabel(detail);
    m_swapTitle->setObjectName("registrySwapTitle");
    m_swapTable = makeTable(detail, "registrySwap",
                            {tr("Group"), tr("Applicants"), tr("Bads"), tr("Bad rate")});
    m_swapTable->setMaximumHeight(m_swapTable->fontMetrics().height() * 9);
    m_swapTitle->hide();
    m_swapTable->hide();
    detailLayout->addWidget(m_signature);
    detailLayout->addWidget(m_validation);
    detailLayout->addWidget(m_checks, 1);
    detailLayout->addWidget(m_swapTitle);
    detailLayout->addWidget(m_swapTable);
    split->addWidget(m_versions);
    split->addWidget(detail);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);

    m_job = new JobRunner(this);
    connect(m_job, &JobRunner::progress, this, [this](double fraction, const QString& text) {
        m_progress->setValue(static_cast<int>(fraction * 1000));
        if (!text.isEmpty()) m_progress->setFormat(text + QStringLiteral("  %p%"));
    });
    connect(m_cancel, &QPushButton::clicked, this, &RegistryView::cancelJob);
    connect(m_versions, &QTableWidget::itemSelectionChanged, this, &RegistryView::selectionChanged);
    connect(m_refresh, &QPushButton::clicked, this, [this] { (void)refresh(); });
    connect(m_register, &QPushButton::clicked, this, &RegistryView::askRegistration);
    connect(m_validate, &QPushButton::clicked, this, &RegistryView::askValidation);
    connect(m_approve, &QPushButton::clicked, this, &RegistryView::askApproval);
    connect(m_swapButton, &QPushButton::clicked, this, &RegistryView::askSwapSet);
    const auto promoteTo = [this](const QString& stage) {
        if (auto r = promote(stage); !r)
            QMessageBox::warning(this, tr("Not changed"), words(r.error()));
    };
    connect(m_champion, &QPushButton::clicked, this,
            [=] { promoteTo(QStringLiteral("champion")); });
    connect(m_challenger, &QPushButton::clicked, this,
            [=] { promoteTo(QStringLiteral("challenger")); });
    connect(m_retire, &QPushButton::clicked, this, [=] { promoteTo(QStringLiteral("retired")); });
    storeChanged();
}

RegistryView::~RegistryView() = default;

void RegistryView::setStoreSession(StoreSession* session) {
    m_session = session;
    if (m_session) connect(m_session, &StoreSession::changed, this, &RegistryView::storeChanged);
    storeChanged();
}

void RegistryView::setOpenModel(const QString& path, const QString& modelName) {
    m_modelPath = path;
    m_modelName = modelName;
    updateButtons();
}

void RegistryView::storeChanged() {
    m_list.clear();
    m_versions->setRowCount(0);
    m_swap.reset();
    selectionChanged();
    if (!m_session || !m_session->isOpen()) {
        showNote(tr("No store is open: set its location in File > Settings."));
        return;
    }
    if (!m_session->signedIn()) {
        showNote(tr("Sign in (File > Sign in) to act on the registry."));
        return;
    }
    (void)refresh();
}

void RegistryView::showProblem(const QString& text) {
    m_result->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_result->setText(text);
    emit statusMessage(text);
}

void RegistryView::showNote(const QString& text) {
    m_result->setStyleSheet({});
    m_result->setText(text);
}

Result<store::Actor> RegistryView::actorFor(store::Action action) const {
    if (!m_session || !m_session->isOpen()) return Error::badInput("no store is open");
    if (auto r = m_session->require(action); !r) return r.error();
    return *m_session->actor();
}

Result<std::size_t> RegistryView::refresh() {
    if (!m_session || !m_session->isOpen()) return Error::badInput("no store is open");
    const auto keep = selected();
    auto all = m_session->store()->registry().list();
    if (!all) {
        showProblem(words(all.error()));
        return all.error();
    }
    m_list = std::move(*all);
    const QSignalBlocker quiet(m_versions);
    m_versions->clearContents();
    m_versions->setRowCount(static_cast<int>(m_list.size()));
    store::Registry& registry = m_session->store()->registry();
    for (int row = 0; row < static_cast<int>(m_list.size()); ++row) {
        const auto& v = m_list[static_cast<std::size_t>(row)];
        auto shown = registry.show(v.name, v.version);
        const QString signature = shown ? signatureWord(signatureState(*shown))
                                        : QString::fromStdString(shown.error().message);
        const QString cells[] = {QString::fromStdString(v.name),
                                 QString::number(v.version),
                                 QString::fromStdString(v.stage),
                                 QString::fromStdString(v.bundleSha256.substr(0, 12)),
                                 QString::fromStdString(v.algorithm),
                                 QString::fromStdString(v.registeredBy),
                                 QString::fromStdString(v.registeredAt),
                                 signature};
        for (int col = 0; col < 8; ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            if (col == 3) item->setToolTip(QString::fromStdString(v.bundleSha256));
            m_versions->setItem(row, col, item);
        }
    }
    m_versions->resizeColumnsToContents();
    if (!keep || !selectVersion(QString::fromStdString(keep->name), keep->version)) {
        if (!m_list.empty()) m_versions->selectRow(0);
    }
    selectionChanged();
    showNote(tr("%n version(s) registered.", nullptr, static_cast<int>(m_list.size())));
    return m_list.size();
}

bool RegistryView::selectVersion(const QString& name, std::int64_t version) {
    for (std::size_t i = 0; i < m_list.size(); ++i)
        if (m_list[i].name == name.toStdString() && m_list[i].version == version) {
            m_versions->selectRow(static_cast<int>(i));
            return true;
        }
    return false;
}

std::optional<store::RegistryVersion> RegistryView::selected() const {
    const auto rows = m_versions->selectionModel()->selectedRows();
    if (rows.isEmpty()) return std::nullopt;
    const auto row = static_cast<std::size_t>(rows.first().row());
    if (row >= m_list.size()) return std::nullopt;
    return m_list[row];
}

void RegistryView::selectionChanged() {
    m_shown = nullptr;
    const auto v = selected();
    if (v && m_session && m_session->isOpen()) {
        auto shown = m_session->store()->registry().show(v->name, v->version);
        if (shown)
            m_shown = std::move(*shown);
        else
            showProblem(words(shown.error()));
    }
    if (m_shown.is_null()) {
        m_signature->clear();
        m_validation->setText(v ? QString() : tr("Select a version to see its validation."));
        fillChecks(m_checks, nlohmann::json::object());
    } else {
        m_signature->setText(signatureText(m_shown));
        const auto state = signatureState(m_shown);
        m_signature->setStyleSheet(state == SignatureState::Valid
                                       ? QStringLiteral("color: #1b5e20; font-weight: bold;")
                                   : state == SignatureState::Invalid
                                       ? QStringLiteral("color: #b00020; font-weight: bold;")
                                       : QString());
        m_validation->setText(validationSummary(m_shown));
        fillChecks(m_checks, m_shown);
    }
    updateButtons();
}

void RegistryView::updateButtons() {
    const bool signedIn = m_session && m_session->isOpen() && m_session->signedIn();
    const auto may = [&](store::Action a) { return signedIn && m_session->actor()->may(a); };
    const bool chosen = selected().has_value();
    const bool idle = !isBusy();
    // Enabled by role; core still decides (four eyes, stages) and its refusal is shown.
    m_register->setEnabled(idle && may(store::Action::RegisterModel) && !m_modelPath.isEmpty());
    m_validate->setEnabled(idle && chosen && may(store::Action::ValidateModel));
    m_approve->setEnabled(idle && chosen && may(store::Action::ApproveModel));
    for (QPushButton* b : {m_champion, m_challenger, m_retire})
        b->setEnabled(idle && chosen && may(store::Action::PromoteModel));
    m_swapButton->setEnabled(idle && chosen && signedIn);
    m_refresh->setEnabled(signedIn);
}

Result<store::RegistryVersion> RegistryView::registerOpenModel(const QString& name) {
    auto actor = actorFor(store::Action::RegisterModel);
    if (!actor) {
        showProblem(words(actor.error()));
        return actor.error();
    }
    if (m_modelPath.isEmpty()) return Error::badInput("no model is open");
    auto added =
        m_session->store()->registry().add(*actor, name.toStdString(), m_modelPath.toStdString());
    if (!added) {
        showProblem(words(added.error()));
        return added.error();
    }
    (void)refresh();
    selectVersion(QString::fromStdString(added->name), added->version);
    const QString text = tr("Registered %1 version %2 (draft)")
                             .arg(QString::fromStdString(added->name))
                             .arg(added->version);
    showNote(text);
    emit statusMessage(text);
    emit registryChanged();
    return added;
}

Result<nlohmann::json> RegistryView::approve(const store::SecretString& password,
                                             const QString& justification) {
    const auto v = selected();
    if (!v) return Error::badInput("select a version first");
    auto actor = actorFor(store::Action::ApproveModel);
    if (!actor) {
        showProblem(words(actor.error()));
        return actor.error();
    }
    auto done = m_session->store()->registry().approve(*actor, password, v->name, v->version,
                                                       justification.toStdString());
    if (!done) {
        showProblem(words(done.error()));
        return done.error();
    }
    (void)refresh();
    const QString text = tr("Approved %1 version %2, signed by %3")
                             .arg(QString::fromStdString(v->name))
                             .arg(v->version)
                             .arg(QString::fromStdString(actor->name));
    showNote(text);
    emit statusMessage(text);
    emit registryChanged();
    return done;
}

Result<nlohmann::json> RegistryView::promote(const QString& stage) {
    const auto v = selected();
    if (!v) return Error::badInput("select a version first");
    auto actor = actorFor(store::Action::PromoteModel);
    if (!actor) {
        showProblem(words(actor.error()));
        return actor.error();
    }
    auto done =
        m_session->store()->registry().promote(*actor, v->name, v->version, stage.toStdString());
    if (!done) {
        showProblem(words(done.error()));
        return done.error();
    }
    (void)refresh();
    const QString text = tr("%1 version %2 is now %3")
                             .arg(QString::fromStdString(v->name))
                             .arg(v->version)
                             .arg(stage);
    showNote(text);
    emit statusMessage(text);
    emit registryChanged();
    return done;
}

void RegistryView::askRegistration() {
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, tr("Register model"),
        tr("Register %1 under the model name:").arg(QFileInfo(m_modelPath).fileName()),
        QLineEdit::Normal, m_modelName, &ok);
    if (!ok || name.trimmed().isEmpty()) return;
    if (auto r = registerOpenModel(name.trimmed()); !r)
        QMessageBox::warning(this, tr("Not registered"), words(r.error()));
}

void RegistryView::askApproval() {
    const auto v = selected();
    if (!v) return;
    QString justification;
    const auto& validation =
        m_shown.is_object() ? m_shown.value("validation", nlohmann::json()) : nlohmann::json();
    if (validation.is_object() && validation.value("failed", 0) > 0) {
        bool ok = false;
        justification = QInputDialog::getMultiLineText(
            this, tr("Approve with failed checks"),
            tr("%1 check(s) failed. Why are they acceptable? The justification is stored "
               "beside each failed figure and in the audit trail.")
                .arg(validation.value("failed", 0)),
            {}, &ok);
        if (!ok) return;
    }
    bool ok = false;
    const QString typed = QInputDialog::getText(this, tr("Sign the approval"),
                                                tr("Your password opens your signing key:"),
                                                QLineEdit::Password, {}, &ok);
    if (!ok) return;
    const store::SecretString password(typed.toStdString());
    if (auto r = approve(password, justification.trimmed()); !r)
        QMessageBox::warning(this, tr("Not approved"), words(r.error()));
}

void RegistryView::askValidation() {
    LabelledFileDialog dialog(tr("Validate"), true, this);
    if (dialog.exec() != QDialog::Accepted) return;
    if (!startValidation(dialog.dataPath(), dialog.target(), dialog.badValue(),
                         dialog.protectedColumns()))
        QMessageBox::warning(this, tr("Cannot validate"), statusText());
}

void RegistryView::askSwapSet() {
    LabelledFileDialog dialog(tr("Swap set"), false, this);
    if (dialog.exec() != QDialog::Accepted) return;
    if (!startSwapSet(dialog.dataPath(), dialog.target(), dialog.badValue()))
        QMessageBox::warning(this, tr("Cannot compute the swap set"), statusText());
}

void RegistryView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_session && m_session->signedIn() && !isBusy()) (void)refresh();
}

QString RegistryView::statusText() const {
    return m_result->text();
}

QString RegistryView::signatureLabelText() const {
    return m_signature->text();
}

}  // namespace cwb::ui
