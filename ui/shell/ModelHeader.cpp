#include "ui/shell/ModelHeader.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QToolButton>

#include <cmath>

#include "ui/common/AppSettings.h"

namespace cwb::ui {

ModelHeader::ModelHeader(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    m_summary = new QLabel(this);
    m_summary->setObjectName("modelSummary");
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary, 1);
    m_policy = new QLabel(this);
    m_policy->setObjectName("policyVersion");
    m_policy->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_policy);
    auto* pickerLabel = new QLabel(tr("&Model:"), this);
    m_picker = new QComboBox(this);
    m_picker->setObjectName("modelPicker");
    m_picker->setMinimumContentsLength(18);
    m_picker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_picker->setToolTip(tr("Recently used models"));
    pickerLabel->setBuddy(m_picker);
    m_browse = new QToolButton(this);
    m_browse->setText(tr("Open..."));
    m_browse->setToolTip(tr("Open a model bundle (Ctrl+O)"));
    layout->addWidget(pickerLabel);
    layout->addWidget(m_picker);
    layout->addWidget(m_browse);
    connect(m_browse, &QToolButton::clicked, this, &ModelHeader::browseRequested);
    connect(m_picker, &QComboBox::activated, this, [this](int index) {
        const QString path = m_picker->itemData(index).toString();
        if (!path.isEmpty() && path != m_path) emit modelPicked(path);
    });
    setModel(nullptr, {});
}

void ModelHeader::setModel(const ModelBundle* bundle, const QString& path) {
    m_path = path;
    if (!bundle) {
        m_summary->setText(tr("No model loaded. Use File > Open model (Ctrl+O)."));
        return;
    }
    const double auc = modelAuc(*bundle);
    m_summary->setText(
        tr("<b>%1</b> &nbsp; version %2 &nbsp;&middot;&nbsp; %3 &nbsp;&middot;&nbsp; AUC %4")
            .arg(QString::fromStdString(bundle->name).toHtmlEscaped(),
                 QString::fromStdString(bundle->version).toHtmlEscaped(),
                 QString::fromStdString(bundle->model->algorithm()),
                 std::isnan(auc) ? tr("n/a") : QString::number(auc, 'f', 3)));
    m_summary->setToolTip(path);
    const QSignalBlocker block(m_picker);
    const int index = m_picker->findData(path);
    if (index >= 0) m_picker->setCurrentIndex(index);
}

void ModelHeader::setRecentModels(const QStringList& paths) {
    const QSignalBlocker block(m_picker);
    m_picker->clear();
    for (const QString& p : paths)
        m_picker->addItem(QFileInfo(p).fileName(), p);
    for (int i = 0; i < m_picker->count(); ++i)
        m_picker->setItemData(i, paths[i], Qt::ToolTipRole);
    m_picker->setCurrentIndex(m_picker->findData(m_path));
}

QString ModelHeader::summaryText() const {
    return m_summary->text();
}

void ModelHeader::setPolicyText(const QString& text, const QString& toolTip) {
    m_policy->setText(text);
    m_policy->setToolTip(toolTip);
    m_policy->setVisible(!text.isEmpty());
}

QString ModelHeader::policyText() const {
    return m_policy->text();
}

}  // namespace cwb::ui
