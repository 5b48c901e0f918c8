#include "ui/store/OverrideDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cwb::ui {

OverrideDialog::OverrideDialog(qint64 decisionId, const QString& currentDecision,
                               const QStringList& reasons, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Override decision %1").arg(decisionId));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(
        tr("Recorded decision %1: <b>%2</b>").arg(decisionId).arg(currentDecision.toHtmlEscaped()),
        this));
    auto* form = new QFormLayout;
    m_decision = new QComboBox(this);
    m_decision->setObjectName("overrideDecision");
    for (const char* d : {"approve", "refer", "decline"})
        if (QString::fromLatin1(d) != currentDecision) m_decision->addItem(QString::fromLatin1(d));
    m_reason = new QComboBox(this);
    m_reason->setObjectName("overrideReason");
    m_reason->addItems(reasons);
    m_comment = new QPlainTextEdit(this);
    m_comment->setObjectName("overrideComment");
    m_comment->setPlaceholderText(tr("Why, in words (required, up to 2000 characters)"));
    form->addRow(tr("&New decision:"), m_decision);
    form->addRow(tr("&Reason code:"), m_reason);
    form->addRow(tr("&Comment:"), m_comment);
    layout->addLayout(form);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Override"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString OverrideDialog::decision() const {
    return m_decision->currentText();
}

QString OverrideDialog::reasonCode() const {
    return m_reason->currentText();
}

QString OverrideDialog::comment() const {
    return m_comment->toPlainText().trimmed();
}

}  // namespace cwb::ui
