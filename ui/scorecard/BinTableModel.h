#pragma once
// The scorecard editor's bin table: one characteristic's bins from an editor state, with
// counts, bad rate, WoE (ln(%good/%bad), decision 5) and points, all computed in core.

#include <QAbstractTableModel>

#include <memory>
#include <string>
#include <vector>

#include "model/ScorecardEditing.h"

namespace cwb::ui {

class BinTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Number, Label, Count, Goods, Bads, BadRate, Woe, Iv, Points, ColumnCount };
    enum DataRole { ValueRole = Qt::UserRole + 1 };  // the exact figure (double)

    explicit BinTableModel(QObject* parent = nullptr);

    // Shows bins of characteristic `feature` of the state; levelNames name categorical levels.
    void setBins(std::shared_ptr<const ScorecardState> state, int feature,
                 std::vector<std::string> levelNames);
    int feature() const { return m_feature; }
    const Bin* bin(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Points as the table shows them (one decimal).
    static QString pointsText(double points);

private:
    std::shared_ptr<const ScorecardState> m_state;
    int m_feature = -1;
    CharacteristicBins m_bins;  // a copy with readable labels
};

}  // namespace cwb::ui
