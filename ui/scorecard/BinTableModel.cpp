#include "ui/scorecard/BinTableModel.h"

namespace cwb::ui {

BinTableModel::BinTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void BinTableModel::setBins(std::shared_ptr<const ScorecardState> state, int feature,
                            std::vector<std::string> levelNames) {
    beginResetModel();
    m_state = std::move(state);
    m_feature = feature;
    m_bins = {};
    if (m_state && feature >= 0 &&
        static_cast<std::size_t>(feature) < m_state->model->bins().size()) {
        m_bins = m_state->model->bins()[static_cast<std::size_t>(feature)];
        // Trained categorical bins may carry level codes; show the levels' texts.
        if (m_bins.categorical) labelBins(m_bins, levelNames);
    }
    endResetModel();
}

const Bin* BinTableModel::bin(int row) const {
    if (row < 0 || row >= rowCount()) return nullptr;
    return &m_bins.bins[static_cast<std::size_t>(row)];
}

int BinTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_bins.bins.size());
}

int BinTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString BinTableModel::pointsText(double points) {
    return QString::number(points, 'f', 1);
}

QVariant BinTableModel::data(const QModelIndex& index, int role) const {
    const Bin* b = bin(index.row());
    if (!b) return {};
    const double count = b->count();
    const double badRate = b->badRate();
    const auto& points = m_state->points[static_cast<std::size_t>(m_feature)];
    const double binPoints = points[static_cast<std::size_t>(index.row())];
    if (role == ValueRole) {
        switch (index.column()) {
            case Count:
                return count;
            case Goods:
                return b->goods;
            case Bads:
                return b->bads;
            case BadRate:
                return badRate;
            case Woe:
                return b->woe;
            case Iv:
                return b->iv;
            case Points:
                return binPoints;
            default:
                return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Count)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Label) return QString::fromStdString(b->label);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case Number:
            return index.row() + 1;
        case Label:
            return QString::fromStdString(b->label);
        case Count:
            return QString::number(count, 'f', 0);
        case Goods:
            return QString::number(b->goods, 'f', 0);
        case Bads:
            return QString::number(b->bads, 'f', 0);
        case BadRate:
            return QString::number(100.0 * badRate, 'f', 1) + '%';
        case Woe:
            return QString::number(b->woe, 'f', 3);
        case Iv:
            return QString::number(b->iv, 'f', 4);
        case Points:
            return m_state->model->coefficients()[static_cast<std::size_t>(m_feature)] == 0.0
                       ? tr("not in model")
                       : pointsText(binPoints);
        default:
            return {};
    }
}

QVariant BinTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole && section == Woe)
        return tr("Weight of evidence, ln(%good/%bad): positive is lower risk");
    if (role != Qt::DisplayRole) return {};
    static const QStringList titles = {tr("#"),     tr("Bin"),  tr("Count"),
                                       tr("Goods"), tr("Bads"), tr("Bad rate"),
                                       tr("WoE"),   tr("IV"),   tr("Points")};
    return titles.value(section);
}

}  // namespace cwb::ui
