#include "ui/training/SchemaTableModel.h"

#include <QColor>

namespace cwb::ui {

namespace {

const QStringList kTypes = {"numeric", "categorical", "identifier", "date", "text"};
const QStringList kRoles = {"feature", "id", "protected", "excluded", "pii"};
const QStringList kMonotone = {"auto", "+1 risk rises", "-1 risk falls", "0 none"};

QString monotoneText(const std::map<std::string, int>& overrides, const std::string& column) {
    const auto it = overrides.find(column);
    if (it == overrides.end()) return kMonotone[0];
    return it->second > 0 ? kMonotone[1] : it->second < 0 ? kMonotone[2] : kMonotone[3];
}

}  // namespace

SchemaTableModel::SchemaTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void SchemaTableModel::setPreview(const TrainingPreview& preview) {
    beginResetModel();
    m_preview = preview;
    m_warnings.clear();
    for (const auto& w : preview.warnings) {
        QString& text = m_warnings[w.column];
        if (!text.isEmpty()) text += QStringLiteral("; ");
        text += QString::fromStdString(w.message);
    }
    // Constraints only hold for numeric characteristics; forget the others.
    for (auto it = m_monotone.begin(); it != m_monotone.end();) {
        const ColumnSpec* spec = m_preview.schema.find(it->first);
        const bool keep =
            spec && spec->role == ColumnRole::Feature && spec->type == ColumnType::Numeric;
        it = keep ? std::next(it) : m_monotone.erase(it);
    }
    endResetModel();
}

void SchemaTableModel::clear() {
    setPreview({});
}

void SchemaTableModel::setMonotone(const std::string& column, std::optional<int> sign) {
    if (sign)
        m_monotone[column] = *sign;
    else
        m_monotone.erase(column);
    const int row = rowOf(QString::fromStdString(column));
    if (row >= 0) emit dataChanged(index(row, Monotone), index(row, Monotone));
}

int SchemaTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_preview.schema.columns.size());
}

int SchemaTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

int SchemaTableModel::rowOf(const QString& column) const {
    return m_preview.schema.indexOf(column.toStdString());
}

bool SchemaTableModel::isCharacteristic(int row) const {
    const ColumnSpec& spec = m_preview.schema.columns[static_cast<std::size_t>(row)];
    return spec.role == ColumnRole::Feature &&
           (spec.type == ColumnType::Numeric || spec.type == ColumnType::Categorical);
}

QVariant SchemaTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const ColumnSpec& spec = m_preview.schema.columns[static_cast<std::size_t>(index.row())];
    const bool target = spec.role == ColumnRole::Target;
    const auto iv = m_preview.informationValue.find(spec.name);
    const auto warning = m_warnings.find(spec.name);
    if (role == ChoicesRole) {
        switch (index.column()) {
            case Type:
                return kTypes;
            case Role:
                return kRoles;
            case Monotone:
                return kMonotone;
            default:
                return {};
        }
    }
    if (role == ValueRole) {
        switch (index.column()) {
            case Missing:
                return spec.missingRate;
            case Distinct:
                return static_cast<qulonglong>(spec.distinctCount);
            case Iv:
                return iv != m_preview.informationValue.end() ? QVariant(iv->second) : QVariant();
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole && warning != m_warnings.end()) return warning->second;
    if (role == Qt::ForegroundRole && index.column() == Warning && warning != m_warnings.end())
        return QColor(Qt::darkRed);
    if (role == Qt::TextAlignmentRole && index.column() >= Missing && index.column() <= Iv)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::EditRole) return {};
    switch (index.column()) {
        case Name:
            return QString::fromStdString(spec.name);
        case Type:
            return QString::fromStdString(toString(spec.type));
        case Role:
            return QString::fromStdString(toString(spec.role));
        case Missing:
            return QString::number(100.0 * spec.missingRate, 'f', 1) + '%';
        case Distinct:
            return QString::number(static_cast<qulonglong>(spec.distinctCount));
        case Iv:
            return iv != m_preview.informationValue.end() ? QString::number(iv->second, 'f', 3)
                                                          : QString();
        case Monotone:
            return spec.type == ColumnType::Numeric && isCharacteristic(index.row()) && !target
                       ? monotoneText(m_monotone, spec.name)
                       : QString();
        case Warning:
            return warning != m_warnings.end() ? warning->second : QString();
        default:
            return {};
    }
}

QVariant SchemaTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole && section == Iv)
        return tr("Information value of the characteristic's automatic WoE bins");
    if (role == Qt::ToolTipRole && section == Monotone)
        return tr("Monotone constraint for tree models: auto follows the WoE trend");
    if (role != Qt::DisplayRole) return {};
    static const QStringList titles = {tr("Column"),   tr("Type"),       tr("Role"),
                                       tr("Missing"),  tr("Distinct"),   tr("IV"),
                                       tr("Monotone"), tr("Diagnostics")};
    return titles.value(section);
}

Qt::ItemFlags SchemaTableModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (!index.isValid()) return f;
    const ColumnSpec& spec = m_preview.schema.columns[static_cast<std::size_t>(index.row())];
    if (spec.role == ColumnRole::Target) return f;  // chosen with the target box
    const bool editable = index.column() == Type || index.column() == Role ||
                          (index.column() == Monotone && spec.type == ColumnType::Numeric &&
                           isCharacteristic(index.row()));
    return editable ? f | Qt::ItemIsEditable : f;
}

bool SchemaTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const ColumnSpec& spec = m_preview.schema.columns[static_cast<std::size_t>(index.row())];
    const QString text = value.toString();
    const QString name = QString::fromStdString(spec.name);
    switch (index.column()) {
        case Type: {
            const auto type = columnTypeFromString(text.toStdString());
            if (!type || *type == spec.type) return false;
            emit typeChosen(name, *type);  // the view infers again; the reset shows it
            return true;
        }
        case Role: {
            const auto chosen = columnRoleFromString(text.toStdString());
            if (!chosen || *chosen == spec.role) return false;
            emit roleChosen(name, *chosen);
            return true;
        }
        case Monotone: {
            const int at = kMonotone.indexOf(text);
            if (at < 0) return false;
            setMonotone(spec.name, at == 0   ? std::optional<int>()
                                   : at == 1 ? std::optional<int>(1)
                                   : at == 2 ? std::optional<int>(-1)
                                             : std::optional<int>(0));
            return true;
        }
        default:
            return false;
    }
}

}  // namespace cwb::ui
