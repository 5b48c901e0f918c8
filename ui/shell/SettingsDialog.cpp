#include "ui/shell/SettingsDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>
#include <functional>

#include "render/Templates.h"
#include "store/PostgresAddress.h"

namespace cwb::ui {

namespace {

// A labelled path field with a button that chooses one (the label's mnemonic reaches the field).
QLineEdit* pathRow(QFormLayout* form, QWidget* parent, const QString& value, const char* name,
                   const QString& label, const QString& button,
                   const std::function<void()>& choose) {
    auto* row = new QHBoxLayout;
    auto* field = new QLineEdit(value, parent);
    field->setObjectName(QString::fromLatin1(name));
    auto* chooser = new QPushButton(button, parent);
    QObject::connect(chooser, &QPushButton::clicked, parent, choose);
    row->addWidget(field, 1);
    row->addWidget(chooser);
    auto* text = new QLabel(label, parent);
    text->setBuddy(field);
    form->addRow(text, row);
    return field;
}

QDoubleSpinBox* spin(QWidget* parent, double lo, double hi, int decimals) {
    auto* s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    return s;
}
}  // namespace

SettingsDialog::SettingsDialog(const AppSettings& settings, const ModelBundle* model,
                               QWidget* parent)
    : QDialog(parent), m_model(model) {
    setWindowTitle(tr("Settings"));
    auto* layout = new QVBoxLayout(this);

    auto* general = new QGroupBox(tr("General"), this);
    auto* form = new QFormLayout(general);
    m_pushgateway = new QLineEdit(settings.pushgatewayUrl, general);
    m_pushgateway->setObjectName("pushgateway");
    m_pushgateway->setPlaceholderText(tr("e.g. http://localhost:9091 (empty: no metrics pushed)"));
    form->addRow(tr("&Pushgateway URL:"), m_pushgateway);
    m_pushInterval = new QSpinBox(general);
    m_pushInterval->setObjectName("pushInterval");
    m_pushInterval->setRange(1, 86400);
    m_pushInterval->setSuffix(tr(" s"));
    m_pushInterval->setValue(settings.pushIntervalS > 0 ? settings.pushIntervalS : 15);
    form->addRow(tr("Push metrics e&very:"), m_pushInterval);
    m_pushTimeout = new QSpinBox(general);
    m_pushTimeout->setObjectName("pushTimeout");
    m_pushTimeout->setRange(100, 600000);
    m_pushTimeout->setSingleStep(100);
    m_pushTimeout->setSuffix(tr(" ms"));
    m_pushTimeout->setValue(settings.pushTimeoutMs > 0 ? settings.pushTimeoutMs : 2000);
    form->addRow(tr("Push dead&line:"), m_pushTimeout);
    // The environment wins over these settings (as for cwb); say so rather than surprise.
    QStringList overridden;
    for (const char* name : {"CWB_PUSHGATEWAY_URL", "CWB_PUSH_INTERVAL_S", "CWB_PUSH_TIMEOUT_MS"})
        if (qEnvironmentVariableIsSet(name)) overridden << QString::fromLatin1(name);
    if (!overridden.isEmpty()) {
        auto* note =
            new QLabel(tr("Set in the environment, and used instead of the values here: %1")
                           .arg(overridden.join(QStringLiteral(", "))),
                       general);
        note->setObjectName("pushEnvironmentNote");
        note->setWordWrap(true);
        form->addRow(note);
    }
    m_store = pathRow(form, general, settings.storePath, "storePath", tr("&Store location:"),
                      tr("&Browse..."), [this] { chooseStore(); });
    m_store->setPlaceholderText(tr("a store file, or postgresql://user@host:port/db"));
    m_store->setToolTip(
        tr("A store file (workbench.sqlite) for one person, or a team store's address "
           "postgresql://user@host:port/db[?sslmode=...]: its password is asked when the store "
           "opens, never saved here"));
    m_rights =
        pathRow(form, general, settings.rightsTemplatePath, "rightsTemplate",
                tr("Statement of ri&ghts:"), tr("C&hoose..."), [this] { chooseRightsTemplate(); });
    m_rights->setPlaceholderText(tr("the shipped neutral text"));
    m_rights->setToolTip(
        tr("A text file with the lender's statement of rights for adverse action notices; "
           "placeholders {lender_name}, {lender_address}, {lender_contact}, {applicant_id}, "
           "{date}"));
    m_threads = new QSpinBox(general);
    m_threads->setObjectName("threads");
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(tr("all cores (%1)").arg(QThread::idealThreadCount()));
    m_threads->setValue(settings.threads);
    form->addRow(tr("Batch scoring &threads:"), m_threads);
    m_reasons = new QSpinBox(general);
    m_reasons->setObjectName("reasons");
    m_reasons->setRange(0, 10);
    m_reasons->setValue(settings.reasons);
    form->addRow(tr("&Reason codes per applicant:"), m_reasons);
    // A store setting, not a personal one: shown to everyone, changed by admins only.
    m_requireApproved =
        new QCheckBox(tr("Re&quire an approved model to score and explain"), general);
    m_requireApproved->setObjectName("requireApproved");
    m_requireApproved->setEnabled(false);
    m_lockNote = new QLabel(tr("(no store open)"), general);
    m_lockNote->setObjectName("requireApprovedNote");
    m_lockNote->setWordWrap(true);
    form->addRow(m_requireApproved);
    form->addRow(m_lockNote);
    layout->addWidget(general);

    m_override = new QGroupBox(tr("&Use my own score scaling and cutoffs for every model"), this);
    m_override->setObjectName("overrideScaling");
    m_override->setCheckable(true);
    m_override->setChecked(settings.overrideScaling);
    auto* scaling = new QFormLayout(m_override);
    m_basePoints = spin(m_override, -100000, 100000, 1);
    m_basePoints->setValue(settings.scaling.basePoints);
    m_baseOdds = spin(m_override, 0.001, 1e6, 3);
    m_baseOdds->setValue(settings.scaling.baseOdds);
    m_pdo = spin(m_override, -1000, 1000, 2);
    m_pdo->setValue(settings.scaling.pdo);
    m_approveFrom = spin(m_override, -100000, 100000, 0);
    m_approveFrom->setObjectName("approveFrom");
    m_approveFrom->setValue(settings.policy.approveFrom);
    m_declineBelow = spin(m_override, -100000, 100000, 0);
    m_declineBelow->setObjectName("declineBelow");
    m_declineBelow->setValue(settings.policy.declineBelow);
    scaling->addRow(tr("Base poi&nts:"), m_basePoints);
    scaling->addRow(tr("at good:bad o&dds of"), m_baseOdds);
    scaling->addRow(tr("Points to double the odds (PD&O):"), m_pdo);
    scaling->addRow(tr("&Approve from (points):"), m_approveFrom);
    scaling->addRow(tr("D&ecline below (points):"), m_declineBelow);
    m_example = new QLabel(m_override);
    m_example->setWordWrap(true);
    scaling->addRow(m_example);
    auto* fromModel = new QPushButton(tr("Start from the &model's values"), m_override);
    fromModel->setEnabled(model != nullptr);
    scaling->addRow(fromModel);
    layout->addWidget(m_override);

    m_error = new QLabel(this);
    m_error->setObjectName("settingsError");
    m_error->setWordWrap(true);
    layout->addWidget(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(fromModel, &QPushButton::clicked, this, &SettingsDialog::useModelValues);
    for (QDoubleSpinBox* s : {m_basePoints, m_baseOdds, m_pdo, m_approveFrom, m_declineBelow})
        connect(s, &QDoubleSpinBox::valueChanged, this, &SettingsDialog::refreshExample);
    refreshExample();
}

AppSettings SettingsDialog::settings() const {
    AppSettings s;
    s.pushgatewayUrl = m_pushgateway->text().trimmed();
    s.pushIntervalS = m_pushInterval->value();
    s.pushTimeoutMs = m_pushTimeout->value();
    s.storePath = m_store->text().trimmed();
    s.rightsTemplatePath = m_rights->text().trimmed();
    s.overrideScaling = m_override->isChecked();
    s.scaling.basePoints = m_basePoints->value();
    s.scaling.baseOdds = m_baseOdds->value();
    s.scaling.pdo = m_pdo->value();
    s.policy.approveFrom = m_approveFrom->value();
    s.policy.declineBelow = m_declineBelow->value();
    s.threads = m_threads->value();
    s.reasons = m_reasons->value();
    return s;
}

QString SettingsDialog::validationError() const {
    const AppSettings s = settings();
    if (!s.pushgatewayUrl.isEmpty()) {
        const QUrl url(s.pushgatewayUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != "http" && url.scheme() != "https"))
            return tr("The pushgateway URL must start with http:// or https://.");
    }
    if (s.storePath.isEmpty()) return tr("Choose where the store file goes.");
    // A team store's address is checked as cwb checks it (no password in it, known options).
    if (const std::string where = s.storePath.toStdString(); store::isPostgresAddress(where))
        if (auto parsed = store::parsePostgresAddress(where); !parsed)
            return tr("Store location: %1").arg(QString::fromStdString(parsed.error().message));
    if (!s.rightsTemplatePath.isEmpty())
        if (auto text = render::readRightsTemplate(s.rightsTemplatePath.toStdString()); !text)
            return tr("Statement of rights: %1").arg(QString::fromStdString(text.error().message));
    if (s.overrideScaling) {
        if (s.scaling.pdo == 0.0) return tr("Points to double the odds cannot be 0.");
        if (s.policy.declineBelow > s.policy.approveFrom)
            return tr("\"Decline below\" must not be above \"Approve from\".");
    }
    return {};
}

void SettingsDialog::setProductionLock(bool on, bool editable, const QString& note) {
    m_requireApproved->setChecked(on);
    m_requireApproved->setEnabled(editable);
    m_lockNote->setText(note);
}

bool SettingsDialog::requireApproved() const {
    return m_requireApproved->isChecked();
}

void SettingsDialog::accept() {
    const QString error = validationError();
    m_error->setText(error.isEmpty() ? QString()
                                     : tr("<b>Please fix:</b> %1").arg(error.toHtmlEscaped()));
    if (error.isEmpty()) QDialog::accept();
}

void SettingsDialog::chooseStore() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Store location"), m_store->text(),
                                                      tr("Workbench store (*.sqlite)"), nullptr,
                                                      QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty()) m_store->setText(path);
}

void SettingsDialog::chooseRightsTemplate() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Statement of rights"), m_rights->text(), tr("Text (*.txt);;All files (*)"));
    if (!path.isEmpty()) m_rights->setText(path);
}

void SettingsDialog::useModelValues() {
    if (!m_model) return;
    m_basePoints->setValue(m_model->scaling.basePoints);
    m_baseOdds->setValue(m_model->scaling.baseOdds);
    m_pdo->setValue(m_model->scaling.pdo);
    m_approveFrom->setValue(m_model->policy.approveFrom);
    m_declineBelow->setValue(m_model->policy.declineBelow);
}

void SettingsDialog::refreshExample() {
    // Cutoffs in points are easier to judge as PDs.
    ScoreScaling s{m_basePoints->value(), m_baseOdds->value(), m_pdo->value()};
    if (s.pdo == 0.0) {
        m_example->clear();
        return;
    }
    const auto pd = [&](double points) {
        return 100.0 / (1.0 + std::exp(-s.marginFromPoints(points)));
    };
    m_example->setText(tr("Approve means PD at most %1 %; decline means PD above %2 %.")
                           .arg(pd(m_approveFrom->value()), 0, 'f', 1)
                           .arg(pd(m_declineBelow->value()), 0, 'f', 1));
}

}  // namespace cwb::ui
