#include "ui/applicant/ApplicantForm.h"

#include <QComboBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include "scoring/UsedFeatures.h"
#include "ui/widgets/SearchComboBox.h"

namespace cwb::ui {

namespace {

bool hasRange(const ColumnSpec& spec) {
    return spec.min != 0.0 || spec.max != 0.0;
}

QString rangeText(const ColumnSpec& spec) {
    return QStringLiteral("%1 – %2").arg(QString::number(spec.min), QString::number(spec.max));
}

}  // namespace

std::set<std::string> unusedFeatures(const ModelBundle* bundle) {
    if (!bundle) return {};
    const auto names = unusedFeatureNames(*bundle);
    return {names.begin(), names.end()};
}

ApplicantForm::ApplicantForm(QWidget* parent) : QWidget(parent) {
    m_layout = new QFormLayout(this);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_layout->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
}

void ApplicantForm::setSchema(const Schema& schema, const std::set<std::string>& unused) {
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_fields.clear();
    m_reference.clear();
    m_compare = false;
    for (const ColumnSpec* spec : schema.features()) {
        Field field;
        field.spec = *spec;
        field.used = !unused.count(spec->name);
        auto* row = new QWidget(this);
        auto* column = new QVBoxLayout(row);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(1);
        auto* rowLayout = new QHBoxLayout();
        rowLayout->setContentsMargins(0, 0, 0, 0);
        column->addLayout(rowLayout);
        const QString name = QString::fromStdString(spec->name);
        QWidget* editorWidget = nullptr;
        if (spec->type == ColumnType::Numeric) {
            field.edit = new QLineEdit(row);
            // Numbers are passed to the engine as typed; it reads '.' decimals, so the
            // validator must not accept a locale's decimal comma.
            auto* validator = new QDoubleValidator(field.edit);
            validator->setLocale(QLocale::c());
            validator->setNotation(QDoubleValidator::StandardNotation);
            field.edit->setValidator(validator);
            field.edit->setPlaceholderText(spec->allowMissing ? tr("missing") : tr("required"));
            field.edit->setClearButtonEnabled(true);
            connect(field.edit, &QLineEdit::textChanged, this, &ApplicantForm::onEdited);
            editorWidget = field.edit;
        } else {
            field.combo = new SearchComboBox(row);
            // Long level names would make the form wider than its pane; the list shows them.
            field.combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
            field.combo->setMinimumContentsLength(14);
            field.combo->setPlaceholderText(spec->allowMissing ? tr("missing") : tr("choose..."));
            if (spec->allowMissing) field.combo->addItem(tr("(missing)"), QString());
            for (const std::string& level : spec->levels) {
                const auto label = spec->levelLabels.find(level);
                field.combo->addItem(QString::fromStdString(
                                         label == spec->levelLabels.end() ? level : label->second),
                                     QString::fromStdString(level));
            }
            field.combo->setCurrentIndex(-1);
            connect(field.combo, &QComboBox::currentIndexChanged, this, &ApplicantForm::onEdited);
            editorWidget = field.combo;
        }
        editorWidget->setObjectName(name);
        editorWidget->setToolTip(
            spec->type == ColumnType::Numeric && hasRange(*spec)
                ? tr("%1\nRange seen in training: %2").arg(name, rangeText(*spec))
                : name);
        rowLayout->addWidget(editorWidget, 1);
        if (!field.used) {
            // Left out by the model: asking for it would only slow the analyst down.
            editorWidget->setEnabled(false);
            editorWidget->setToolTip(tr("%1\nNot used by this model: it has no effect on the "
                                        "score.")
                                         .arg(name));
        }
        field.tip = editorWidget->toolTip();
        // The error sits at its field, so the analyst sees which value is wrong without
        // matching names from the side panel.
        field.error = new QLabel(row);
        field.error->setObjectName(name + QStringLiteral("_error"));
        field.error->setWordWrap(true);
        field.error->setStyleSheet(QStringLiteral("color: #c62828;"));
        field.error->setVisible(false);
        column->addWidget(field.error);
        field.hint = new QLabel(row);
        field.hint->setVisible(m_hints);
        field.hint->setMinimumWidth(fontMetrics().horizontalAdvance("outside 00000 – 00000"));
        rowLayout->addWidget(field.hint);
        field.label = new QLabel(QString::fromStdString(spec->displayName()) + ':', this);
        field.label->setBuddy(editorWidget);
        field.label->setToolTip(name);
        m_layout->addRow(field.label, row);
        m_fields.push_back(field);
    }
    for (Field& f : m_fields)
        refreshHint(f);
}

QString ApplicantForm::errorOf(const Field& field) const {
    if (!field.used) return {};
    if (!field.refusal.isEmpty()) return field.refusal;
    bool valid = false;
    const std::string v = fieldValue(field, &valid);
    if (!valid) return tr("not a number");
    if (v.empty()) return field.touched && !field.spec.allowMissing ? tr("required") : QString();
    if (field.edit && field.spec.hasValidRange()) {
        bool ok = false;
        const double x = QLocale::c().toDouble(QString::fromStdString(v), &ok);
        if (ok) return QString::fromStdString(field.spec.validRangeProblem(x));
    }
    return {};
}

void ApplicantForm::refreshError(Field& field) {
    const QString error = errorOf(field);
    QWidget* editorWidget = field.edit ? static_cast<QWidget*>(field.edit) : field.combo;
    field.error->setText(error);
    field.error->setVisible(!error.isEmpty());
    editorWidget->setProperty("fieldError", !error.isEmpty());
    editorWidget->setStyleSheet(
        error.isEmpty() ? QString()
                        : QStringLiteral("%1 { border: 2px solid #c62828; border-radius: 3px; }")
                              .arg(QLatin1String(editorWidget->metaObject()->className())));
    editorWidget->setToolTip(error.isEmpty() ? field.tip : error + QLatin1Char('\n') + field.tip);
}

void ApplicantForm::setRefusal(const QString& column, const QString& reason) {
    for (Field& f : m_fields) {
        const QString refusal = QString::fromStdString(f.spec.name) == column ? reason : QString();
        if (refusal == f.refusal) continue;
        f.refusal = refusal;
        refreshError(f);
    }
}

QString ApplicantForm::fieldError(const QString& column) const {
    for (const Field& f : m_fields)
        if (QString::fromStdString(f.spec.name) == column)
            return f.error->isHidden() ? QString() : f.error->text();
    return {};
}

std::string ApplicantForm::fieldValue(const Field& field, bool* valid) const {
    *valid = true;
    if (field.edit) {
        QString text = field.edit->text().trimmed();
        if (text.isEmpty()) return {};
        int pos = 0;
        if (field.edit->validator()->validate(text, pos) != QValidator::Acceptable) {
            *valid = false;
            return {};
        }
        return text.toStdString();
    }
    if (field.combo->currentIndex() < 0) return {};
    return field.combo->currentData().toString().toStdString();
}

ApplicantValues ApplicantForm::values() const {
    ApplicantValues out;
    for (const Field& f : m_fields) {
        bool valid = false;
        std::string v = fieldValue(f, &valid);
        if (valid && !v.empty()) out[f.spec.name] = std::move(v);
    }
    return out;
}

QStringList ApplicantForm::incompleteFields() const {
    QStringList out;
    for (const Field& f : m_fields) {
        bool valid = false;
        const std::string v = fieldValue(f, &valid);
        const QString label = QString::fromStdString(f.spec.displayName());
        if (!f.used) continue;
        if (!valid)
            out << tr("%1 (not a number)").arg(label);
        else if (v.empty() && !f.spec.allowMissing)
            out << label;
        else if (f.edit && !v.empty() && f.spec.hasValidRange() &&
                 !f.spec.validRangeProblem(QLocale::c().toDouble(QString::fromStdString(v)))
                      .empty())
            out << tr("%1 (outside the valid range %2)")
                       .arg(label, QString::fromStdString(f.spec.validRangeText()));
    }
    return out;
}

void ApplicantForm::setValues(const ApplicantValues& values) {
    m_filling = true;
    for (Field& f : m_fields) {
        const auto it = values.find(f.spec.name);
        const std::string value =
            it == values.end() || isMissingToken(it->second) ? std::string() : it->second;
        const QString text = QString::fromStdString(value).trimmed();
        if (f.edit) {
            f.edit->setText(text);
            continue;
        }
        int index = text.isEmpty() ? (f.spec.allowMissing ? 0 : -1) : f.combo->findData(text);
        if (index < 0 && !text.isEmpty()) {
            // Keep the value visible: the score panel then says why the model refuses it.
            f.combo->addItem(tr("%1 (not seen in training)").arg(text), text);
            index = f.combo->count() - 1;
        }
        f.combo->setCurrentIndex(index);
    }
    m_filling = false;
    for (Field& f : m_fields) {
        // A loaded applicant is checked in full; a cleared form starts without errors.
        f.touched = !values.empty();
        f.refusal.clear();
        refreshHint(f);
    }
    refreshMarks();
    emit valuesChanged();
}

void ApplicantForm::clear() {
    setValues({});
}

QWidget* ApplicantForm::editor(const QString& column) const {
    for (const Field& f : m_fields)
        if (QString::fromStdString(f.spec.name) == column)
            return f.edit ? static_cast<QWidget*>(f.edit) : f.combo;
    return nullptr;
}

void ApplicantForm::setComparison(const ApplicantValues& reference) {
    m_reference = reference;
    m_compare = true;
    refreshMarks();
}

void ApplicantForm::setHintsVisible(bool visible) {
    m_hints = visible;
    for (Field& f : m_fields)
        f.hint->setVisible(visible);
}

bool ApplicantForm::isUsed(const QString& column) const {
    for (const Field& f : m_fields)
        if (QString::fromStdString(f.spec.name) == column) return f.used;
    return false;
}

void ApplicantForm::refreshHint(Field& field) {
    refreshError(field);
    if (!field.used) {
        field.hint->setText(tr("not used by this model"));
        return;
    }
    if (!field.edit) {
        field.hint->setText(tr("levels: %1").arg(field.spec.levels.size()));
        return;
    }
    const QString range = hasRange(field.spec) ? rangeText(field.spec) : QString();
    bool ok = false;
    const double v = QLocale::c().toDouble(field.edit->text().trimmed(), &ok);
    const bool outside = ok && hasRange(field.spec) && (v < field.spec.min || v > field.spec.max);
    // Outside the training range the model extrapolates; say so rather than refuse the value.
    field.hint->setText(range.isEmpty() ? QString()
                        : outside       ? tr("<b>outside</b> %1").arg(range)
                                        : tr("range %1").arg(range));
    field.hint->setToolTip(range.isEmpty() ? QString()
                                           : tr("Range seen in training: %1").arg(range));
}

void ApplicantForm::refreshMarks() {
    const ApplicantValues current = values();
    for (Field& f : m_fields) {
        bool changed = false;
        if (m_compare) {
            const auto a = current.find(f.spec.name);
            const auto b = m_reference.find(f.spec.name);
            changed = (a == current.end()) != (b == m_reference.end()) ||
                      (a != current.end() && a->second != b->second);
        }
        QFont font = f.label->font();
        font.setBold(changed);
        f.label->setFont(font);
    }
}

void ApplicantForm::onEdited() {
    if (m_filling) return;
    for (Field& f : m_fields)
        if (f.edit == sender() || f.combo == sender()) {
            f.touched = true;
            f.refusal.clear();  // the scorer judges the new value on the next score
            refreshHint(f);
        }
    refreshMarks();
    emit valuesChanged();
}

}  // namespace cwb::ui
