#pragma once
// The training view's schema table: one row per column of the data file with its type, role,
// missing rate, distinct values, information value, monotone constraint and data warnings.
// Type, role and monotone constraint are editable (ChoicesRole lists the allowed values for
// ChoiceDelegate); edits are announced so the view can infer the schema again.

#include <QAbstractTableModel>
#include <QStringList>

#include <map>
#include <optional>

#include "pipeline/TrainingSetup.h"

namespace cwb::ui {

class SchemaTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Type, Role, Missing, Distinct, Iv, Monotone, Warning, ColumnCount };
    enum DataRole {
        ChoicesRole = Qt::UserRole + 1,  // QStringList: what an editable cell may hold
        ValueRole,                       // the raw figure (double) of Missing, Distinct, Iv
    };

    explicit SchemaTableModel(QObject* parent = nullptr);

    void setPreview(const TrainingPreview& preview);
    void clear();

    // Per characteristic: +1 risk rises with the value, -1 falls, 0 free; absent = automatic.
    const std::map<std::string, int>& monotoneOverrides() const { return m_monotone; }
    void setMonotone(const std::string& column, std::optional<int> sign);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    int rowOf(const QString& column) const;  // -1 when absent

signals:
    void typeChosen(const QString& column, cwb::ColumnType type);
    void roleChosen(const QString& column, cwb::ColumnRole role);

private:
    bool isCharacteristic(int row) const;

    TrainingPreview m_preview;
    std::map<std::string, QString> m_warnings;  // by column: the data warnings, joined
    std::map<std::string, int> m_monotone;
};

}  // namespace cwb::ui
