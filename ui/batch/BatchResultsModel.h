#pragma once
// Batch results as a table model over the scorer's output CSV. A worker indexes the file once;
// cells are read from the file on demand through a small cache, so a million rows cost a few
// bytes each in memory and nothing in widgets. Sorting and filtering (by decision and score
// range) compute a list of row numbers on a worker and swap it in when ready.

#include <QAbstractTableModel>
#include <QCache>
#include <QFile>

#include <memory>
#include <vector>

#include "scoring/ModelBundle.h"
#include "ui/batch/BatchResultsIndex.h"

namespace cwb::ui {

class JobRunner;

class BatchResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        PdRole = Qt::UserRole + 1,  // double
        ScoreRole,                  // int
        DecisionRole,               // QString: approve, refer, decline
        IdRole,                     // QString
        FileRowRole,                // int, 0-based data row in the file
        ReasonFeatureRole,          // QString: the characteristic named by a reason column
    };

    explicit BatchResultsModel(QObject* parent = nullptr);
    ~BatchResultsModel() override;

    // Indexes the file on a worker; loaded() follows. The bundle (may be null) gives readable
    // names and texts for reason codes.
    void load(const QString& path, std::shared_ptr<const ModelBundle> bundle);
    void clear();
    // Filter by decision and score range; applied on a worker, then viewChanged().
    void setFilter(const bool decisions[3], int minScore, int maxScore);
    const ResultsViewSpec& viewSpec() const { return m_spec; }
    bool isBusy() const;
    // The index behind the model (null before the first load finished).
    std::shared_ptr<const BatchResultsIndex> resultsIndex() const { return m_index; }
    // File rows in display order (filtered and sorted).
    const std::vector<std::uint32_t>& viewRows() const { return *m_order; }
    std::shared_ptr<const std::vector<std::uint32_t>> viewRowsShared() const { return m_order; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

signals:
    // ok false: the file could not be indexed; message says why.
    void loaded(bool ok, const QString& message);
    void viewChanged();

private:
    QStringList rowFields(std::uint32_t fileRow) const;
    // The adverse-action text of a reason cell: the text of the row's level or range of the
    // characteristic when the row carries its value, else the characteristic's text.
    QString reasonToolTip(const std::string& feature, const QStringList& fields) const;
    // The characteristic's label in the bundle's schema, else its column name.
    QString characteristicLabel(const QString& feature) const;
    void recomputeView();

    std::shared_ptr<const ModelBundle> m_bundle;
    std::shared_ptr<const BatchResultsIndex> m_index;
    std::shared_ptr<const std::vector<std::uint32_t>> m_order;
    ResultsViewSpec m_spec;
    quint64 m_viewGeneration = 0;
    int m_pendingViews = 0;
    mutable QFile m_file;
    mutable QCache<std::uint32_t, QStringList> m_cache{4096};
    JobRunner* m_indexer = nullptr;
};

}  // namespace cwb::ui
