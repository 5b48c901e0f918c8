#include "ui/batch/BatchResultsModel.h"

#include <algorithm>
#include <numeric>

#include "ui/common/Async.h"
#include "ui/common/JobRunner.h"
#include "ui/widgets/ScorePanel.h"

namespace cwb::ui {

BatchResultsModel::BatchResultsModel(QObject* parent)
    : QAbstractTableModel(parent),
      m_order(std::make_shared<const std::vector<std::uint32_t>>()),
      m_indexer(new JobRunner(this)) {}

BatchResultsModel::~BatchResultsModel() = default;

void BatchResultsModel::load(const QString& path, std::shared_ptr<const ModelBundle> bundle) {
    m_indexer->cancel();
    m_indexer->waitForFinished();
    clear();
    m_bundle = std::move(bundle);
    auto out = std::make_shared<BatchResultsIndex>();
    connect(
        m_indexer, &JobRunner::finished, this,
        [this, out](bool canceled, const QString& error) {
            if (canceled) return;
            if (!error.isEmpty()) {
                emit loaded(false, error);
                return;
            }
            beginResetModel();
            m_cache.clear();
            m_file.close();
            m_file.setFileName(out->path);
            const bool opened = m_file.open(QIODevice::ReadOnly);
            m_index = out;
            // Until the worker's view arrives, show every row in file order.
            auto all = std::make_shared<std::vector<std::uint32_t>>(out->rows());
            std::iota(all->begin(), all->end(), 0u);
            m_order = std::move(all);
            endResetModel();
            if (!opened) {
                emit loaded(false, tr("Cannot read %1").arg(out->path));
                return;
            }
            emit loaded(true, tr("rows: %1").arg(out->rows()));
            if (m_spec.filters() || m_spec.sortColumn >= 0)
                recomputeView();
            else
                emit viewChanged();
        },
        Qt::SingleShotConnection);
    m_indexer->start([path, out](ProgressToken& token) -> QString {
        auto index = indexResultsFile(path, &token);
        if (!index) return QString::fromStdString(index.error().message);
        *out = std::move(*index);
        return {};
    });
}

void BatchResultsModel::clear() {
    beginResetModel();
    ++m_viewGeneration;  // results of running sorts are for the old file
    m_index.reset();
    m_order = std::make_shared<const std::vector<std::uint32_t>>();
    m_cache.clear();
    m_file.close();
    endResetModel();
}

bool BatchResultsModel::isBusy() const {
    return m_indexer->isRunning() || m_pendingViews > 0;
}

void BatchResultsModel::setFilter(const bool decisions[3], int minScore, int maxScore) {
    for (int i = 0; i < 3; ++i)
        m_spec.decisions[i] = decisions[i];
    m_spec.minScore = minScore;
    m_spec.maxScore = maxScore;
    recomputeView();
}

void BatchResultsModel::sort(int column, Qt::SortOrder order) {
    m_spec.sortColumn = column;
    m_spec.descending = order == Qt::DescendingOrder;
    recomputeView();
}

void BatchResultsModel::recomputeView() {
    if (!m_index) return;
    const quint64 generation = ++m_viewGeneration;
    ++m_pendingViews;
    auto index = m_index;
    const ResultsViewSpec spec = m_spec;
    // Sorting a million rows takes a fraction of a second: a worker computes the order and the
    // model swaps it in; requests made meanwhile supersede it (the generation check).
    runAsync(
        this, [index, spec] { return computeViewOrder(*index, spec); },
        [this, generation](std::vector<std::uint32_t> order) {
            --m_pendingViews;
            if (generation != m_viewGeneration) return;
            emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
            const QModelIndexList before = persistentIndexList();
            QModelIndexList after;
            if (!before.isEmpty()) {
                // Selections and the current cell follow their file row to its new place, or
                // become invalid when the filter hides it.
                std::vector<int> position(m_index->rows(), -1);
                for (std::size_t i = 0; i < order.size(); ++i)
                    position[order[i]] = static_cast<int>(i);
                for (const QModelIndex& p : before) {
                    const int row = position[(*m_order)[static_cast<std::size_t>(p.row())]];
                    after << (row < 0 ? QModelIndex() : createIndex(row, p.column()));
                }
            }
            m_order = std::make_shared<const std::vector<std::uint32_t>>(std::move(order));
            changePersistentIndexList(before, after);
            emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
            emit viewChanged();
        });
}

int BatchResultsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_order->size());
}

int BatchResultsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_index ? 0 : static_cast<int>(m_index->header.size());
}

QStringList BatchResultsModel::rowFields(std::uint32_t fileRow) const {
    if (const QStringList* cached = m_cache.object(fileRow)) return *cached;
    const qint64 begin = m_index->offsets[fileRow];
    const qint64 length = m_index->offsets[fileRow + 1] - begin;
    QByteArray bytes;
    if (m_file.seek(begin)) bytes = m_file.read(length);
    while (bytes.endsWith('\n') || bytes.endsWith('\r'))
        bytes.chop(1);
    auto* fields = new QStringList(splitCsvRecord(bytes));
    m_cache.insert(fileRow, fields);
    return *fields;
}

QVariant BatchResultsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const std::uint32_t fileRow = (*m_order)[static_cast<std::size_t>(index.row())];
    const int c = index.column();
    const BatchResultsIndex& ix = *m_index;
    switch (role) {
        case PdRole:
            return static_cast<double>(ix.pd[fileRow]);
        case ScoreRole:
            return ix.score[fileRow];
        case DecisionRole:
            return QString::fromStdString(toString(static_cast<Decision>(ix.decision[fileRow])));
        case IdRole:
            return QString::fromUtf8(ix.id(fileRow));
        case FileRowRole:
            return static_cast<int>(fileRow);
        case Qt::TextAlignmentRole:
            if (c == ix.pdColumn || c == ix.scoreColumn)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case ReasonFeatureRole:
        case Qt::DisplayRole:
        case Qt::ToolTipRole:
            break;
        default:
            return {};
    }
    if (c == ix.pdColumn && role == Qt::DisplayRole)
        return QStringLiteral("%1 %").arg(static_cast<double>(ix.pd[fileRow]) * 100.0, 0, 'f', 2);
    if (c == ix.scoreColumn && role == Qt::DisplayRole) return ix.score[fileRow];
    if (c == ix.decisionColumn && role == Qt::DisplayRole)
        return decisionLabel(static_cast<Decision>(ix.decision[fileRow]));
    const QStringList fields = rowFields(fileRow);
    const QString text = c < fields.size() ? fields[c] : QString();
    const auto reason = std::find(ix.reasonColumns.begin(), ix.reasonColumns.end(), c);
    const bool isReason = reason != ix.reasonColumns.end();
    if (role == ReasonFeatureRole) return isReason ? QVariant(text) : QVariant();
    if (isReason && !text.isEmpty()) {
        // The scorer's text for the row's own value, when the file has it (the Batch view's
        // runs ask for it): what counted against the applicant, as a loan officer reads it.
        const int textColumn = ix.reasonTextColumns[static_cast<std::size_t>(
            std::distance(ix.reasonColumns.begin(), reason))];
        const QString reasonText =
            textColumn >= 0 && textColumn < fields.size() ? fields[textColumn] : QString();
        if (!reasonText.isEmpty()) {
            if (role == Qt::DisplayRole) return reasonText;
            return characteristicLabel(text) + QStringLiteral(": ") + reasonText;
        }
    }
    if (isReason && m_bundle && !text.isEmpty()) {
        // The file names characteristics; users read labels and adverse-action texts.
        const std::string feature = text.toStdString();
        if (role == Qt::ToolTipRole) return reasonToolTip(feature, fields);
        return characteristicLabel(text);
    }
    return role == Qt::DisplayRole ? QVariant(text) : QVariant();
}

QString BatchResultsModel::characteristicLabel(const QString& feature) const {
    if (m_bundle)
        if (const ColumnSpec* spec = m_bundle->schema.find(feature.toStdString()))
            return QString::fromStdString(spec->displayName());
    return feature;
}

QString BatchResultsModel::reasonToolTip(const std::string& feature,
                                         const QStringList& fields) const {
    // A text per level or range (decision 43) says what counted against this applicant, so it
    // needs the row's value. The scorer's own output names characteristics only (decision 9);
    // a results file that carries the characteristic's column (the input's fields kept beside
    // the scores) gives the value, otherwise the characteristic's text is all there is.
    const int column = m_index->header.indexOf(QString::fromStdString(feature));
    if (column < 0 || column >= fields.size())
        return QString::fromStdString(m_bundle->reasonText(feature));
    return QString::fromStdString(m_bundle->reasonTextOf(feature, fields[column].toStdString()));
}

QVariant BatchResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || !m_index) return {};
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= rowCount()) return {};
        return static_cast<int>((*m_order)[static_cast<std::size_t>(section)]) + 1;
    }
    if (section < 0 || section >= m_index->header.size()) return {};
    const QString h = m_index->header[section];
    if (section == m_index->pdColumn) return tr("PD");
    if (section == m_index->scoreColumn) return tr("Score");
    if (section == m_index->decisionColumn) return tr("Decision");
    if (h.startsWith("reason_") && h.endsWith("_text"))
        return tr("Reason %1 text").arg(h.mid(7).chopped(5));
    if (h.startsWith("reason_")) return tr("Reason %1").arg(h.mid(7));
    return characteristicLabel(h);
}

}  // namespace cwb::ui
