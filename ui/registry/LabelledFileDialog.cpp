#include "ui/registry/LabelledFileDialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cwb::ui {

LabelledFileDialog::LabelledFileDialog(const QString& title, bool askProtected, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(title);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    auto* fileRow = new QHBoxLayout;
    m_file = new QLineEdit(this);
    m_file->setObjectName("labelledFile");
    m_file->setMinimumWidth(320);
    auto* browse = new QPushButton(tr("&Browse..."), this);
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    auto* fileLabel = new QLabel(tr("&Data file:"), this);
    fileLabel->setBuddy(m_file);
    form->addRow(fileLabel, fileRow);
    m_target = new QLineEdit(this);
    m_target->setObjectName("labelledTarget");
    m_target->setPlaceholderText(tr("the model's target"));
    auto* targetLabel = new QLabel(tr("&Target column:"), this);
    targetLabel->setBuddy(m_target);
    form->addRow(targetLabel, m_target);
    m_bad = new QLineEdit(this);
    m_bad->setObjectName("labelledBad");
    m_bad->setPlaceholderText(tr("the model's bad value"));
    auto* badLabel = new QLabel(tr("Ba&d value:"), this);
    badLabel->setBuddy(m_bad);
    form->addRow(badLabel, m_bad);
    if (askProtected) {
        m_protected = new QLineEdit(this);
        m_protected->setObjectName("labelledProtected");
        m_protected->setPlaceholderText(tr("besides the model's own, comma-separated"));
        auto* protectedLabel = new QLabel(tr("&Protected columns:"), this);
        protectedLabel->setBuddy(m_protected);
        form->addRow(protectedLabel, m_protected);
    }
    layout->addLayout(form);
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    layout->addWidget(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(browse, &QPushButton::clicked, this, &LabelledFileDialog::chooseFile);
    connect(buttons, &QDialogButtonBox::accepted, this, &LabelledFileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &LabelledFileDialog::reject);
}

void LabelledFileDialog::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Labelled data file"), {},
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty()) m_file->setText(path);
}

QString LabelledFileDialog::dataPath() const {
    return m_file->text().trimmed();
}

QString LabelledFileDialog::target() const {
    return m_target->text().trimmed();
}

QString LabelledFileDialog::badValue() const {
    return m_bad->text().trimmed();
}

QStringList LabelledFileDialog::protectedColumns() const {
    QStringList columns;
    if (!m_protected) return columns;
    for (const QString& c : m_protected->text().split(QLatin1Char(',')))
        if (!c.trimmed().isEmpty()) columns << c.trimmed();
    return columns;
}

void LabelledFileDialog::accept() {
    // Only what the dialog can see; core checks the file's content.
    if (!QFileInfo(dataPath()).isFile()) {
        m_error->setText(tr("Choose an existing data file."));
        m_error->show();
        return;
    }
    QDialog::accept();
}

}  // namespace cwb::ui
