#include "ui/scorecard/ScorecardEditor.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "pipeline/ScorecardRevision.h"
#include "ui/common/Async.h"
#include "ui/scorecard/BinTableModel.h"
#include "ui/common/BundleSaving.h"
#include "ui/widgets/HistogramChart.h"
#include "ui/widgets/JobControls.h"
#include "ui/common/JobRunner.h"

namespace cwb::ui {

namespace {

const ScorecardModel* scorecardOf(const ModelBundle* bundle) {
    return bundle ? dynamic_cast<const ScorecardModel*>(bundle->model.get()) : nullptr;
}

QTableWidgetItem* cell(const QString& text, const QVariant& value = {}) {
    auto* item = new QTableWidgetItem(text);
    if (value.isValid()) item->setData(Qt::UserRole, value);
    return item;
}

}  // namespace

ScorecardEditor::ScorecardEditor(QWidget* parent) : QWidget(parent) {
    m_job = new JobRunner(this);
    m_binModel = new BinTableModel(this);
    buildUi();
    connect(m_job, &JobRunner::finished, this, &ScorecardEditor::onEditFinished);
    refreshButtons();
}

ScorecardEditor::~ScorecardEditor() {
    m_job->disconnect(this);
    m_job->cancel();
    m_job->waitForFinished();
}

void ScorecardEditor::buildUi() {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_title = new QLabel(tr("No scorecard to edit. Train one in the Training view, or open a "
                            "scorecard model and choose Edit active model."),
                         this);
    m_title->setWordWrap(true);
    m_editActive = new QPushButton(tr("Edit &active model..."), this);
    m_editActive->setObjectName("editActiveModel");
    m_editActive->setToolTip(tr("Edit the active scorecard; asks for the file it was trained on"));
    top->addWidget(m_title, 1);
    top->addWidget(m_editActive);
    layout->addLayout(top);
    m_summary = new QLabel(this);
    m_summary->setObjectName("scorecardSummary");
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    m_warnings = new QLabel(this);
    m_warnings->setObjectName("scorecardWarnings");
    m_warnings->setWordWrap(true);
    m_warnings->setStyleSheet(QStringLiteral("color: #b00020;"));
    layout->addWidget(m_warnings);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_characteristics = new QTableWidget(0, 4, splitter);
    m_characteristics->setObjectName("scorecardCharacteristics");
    m_characteristics->setHorizontalHeaderLabels(
        {tr("Characteristic"), tr("IV"), tr("Bins"), tr("Coefficient")});
    m_characteristics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_characteristics->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_characteristics->setSelectionMode(QAbstractItemView::SingleSelection);
    m_characteristics->verticalHeader()->setVisible(false);
    m_characteristics->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_characteristics->horizontalHeader()->setStretchLastSection(true);

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* buttons = new QHBoxLayout;
    m_merge = new QPushButton(tr("Mer&ge"), right);
    m_merge->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    m_merge->setToolTip(
        tr("Merge the two selected bins, or the selected bin with the next "
           "(Ctrl+M)"));
    m_split = new QPushButton(tr("S&plit..."), right);
    m_split->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_split->setToolTip(
        tr("Split the selected bin at a value, or move a level out of it "
           "(Ctrl+K)"));
    m_undo = new QPushButton(tr("&Undo"), right);
    m_undo->setShortcut(QKeySequence::Undo);
    m_redo = new QPushButton(tr("Re&do"), right);
    m_redo->setShortcut(QKeySequence::Redo);
    m_reset = new QPushButton(tr("Rese&t"), right);
    m_reset->setToolTip(tr("Back to the scorecard as trained"));
    m_cancel = makeCancelButton({}, right);
    m_save = new QPushButton(tr("&Save model..."), right);
    m_save->setShortcut(QKeySequence::Save);
    m_save->setToolTip(tr("Save the edited scorecard as a model bundle (Ctrl+S)"));
    for (QPushButton* b : {m_merge, m_split, m_undo, m_redo, m_reset, m_cancel})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(m_save);
    rightLayout->addLayout(buttons);
    m_binTable = new QTableView(right);
    m_binTable->setObjectName("binTable");
    m_binTable->setModel(m_binModel);
    m_binTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_binTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_binTable->verticalHeader()->setVisible(false);
    m_binTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_binTable->horizontalHeader()->setSectionResizeMode(BinTableModel::Label,
                                                         QHeaderView::Stretch);
    rightLayout->addWidget(m_binTable, 3);
    m_chart = new HistogramChart(right);
    m_chart->setObjectName("binChart");
    rightLayout->addWidget(m_chart, 2);
    auto* progressRow = new QHBoxLayout;
    m_progress = makeJobProgressBar(m_job, right);
    m_progress->setMaximumWidth(200);
    m_status = new QLabel(right);
    m_status->setObjectName("scorecardStatus");
    m_status->setWordWrap(true);
    progressRow->addWidget(m_progress);
    progressRow->addWidget(m_status, 1);
    rightLayout->addLayout(progressRow);
    splitter->addWidget(m_characteristics);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 5);
    splitter->setSizes({380, 980});  // room for the characteristic table's four columns
    layout->addWidget(splitter, 1);

    connect(m_characteristics, &QTableWidget::currentCellChanged, this,
            [this](int row) { showCharacteristic(row); });
    connect(m_merge, &QPushButton::clicked, this, &ScorecardEditor::mergeSelected);
    connect(m_split, &QPushButton::clicked, this, &ScorecardEditor::splitSelected);
    connect(m_undo, &QPushButton::clicked, this, &ScorecardEditor::undo);
    connect(m_redo, &QPushButton::clicked, this, &ScorecardEditor::redo);
    connect(m_reset, &QPushButton::clicked, this, &ScorecardEditor::reset);
    connect(m_cancel, &QPushButton::clicked, this, &ScorecardEditor::cancel);
    connect(m_save, &QPushButton::clicked, this, &ScorecardEditor::saveAs);
    connect(m_editActive, &QPushButton::clicked, this, &ScorecardEditor::editActiveModel);
}

std::shared_ptr<const ScorecardState> ScorecardEditor::state() const {
    return m_history.empty() ? nullptr : m_history[m_current];
}

std::shared_ptr<const ScorecardState> ScorecardEditor::trainedState() const {
    return m_history.empty() ? nullptr : m_history.front();
}

QString ScorecardEditor::statusText() const {
    return m_status->text();
}

QString ScorecardEditor::summaryText() const {
    return m_summary->text();
}

bool ScorecardEditor::isBusy() const {
    return m_loading || m_saving || m_job->isRunning();
}

void ScorecardEditor::setStatus(const QString& text, bool error) {
    showStatus(m_status, text, error);
}

void ScorecardEditor::refreshButtons() {
    const bool busy = isBusy();
    const bool have = state() != nullptr;
    m_merge->setEnabled(have && !busy);
    m_split->setEnabled(have && !busy);
    m_undo->setEnabled(have && !busy && m_current > 0);
    m_redo->setEnabled(have && !busy && m_current + 1 < m_history.size());
    m_reset->setEnabled(have && !busy && m_current > 0);
    m_save->setEnabled(have && !busy);
    m_cancel->setEnabled(m_job->isRunning());
    m_editActive->setEnabled(!busy && scorecardOf(m_active.get()));
}

void ScorecardEditor::setActiveModel(std::shared_ptr<const ModelBundle> bundle) {
    m_active = std::move(bundle);
    refreshButtons();
}

void ScorecardEditor::editActiveModel() {
    if (!scorecardOf(m_active.get())) return;
    const QString file =
        QString::fromStdString(m_active->training.value("data_file", std::string()));
    const QString path = QFileDialog::getOpenFileName(
        this, tr("The file %1 was trained on").arg(QString::fromStdString(m_active->name)), file,
        tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty()) setSourceFromFile(m_active, path);
}

void ScorecardEditor::setSource(std::shared_ptr<const ModelBundle> bundle,
                                std::shared_ptr<const EncodedData> development) {
    if (m_job->isRunning()) return;
    m_loading = true;
    refreshButtons();
    setStatus(tr("Preparing the scorecard..."));
    const quint64 generation = ++m_generation;
    runAsync(
        this,
        [bundle, development] {
            auto editor = editorForBundle(*bundle, development);
            return std::make_shared<
                std::pair<std::shared_ptr<const ModelBundle>, Result<cwb::ScorecardEditSession>>>(
                bundle, std::move(editor));
        },
        [this, generation](auto result) {
            if (generation != m_generation) return;
            m_bundle = result->first;
            install(std::move(result->second));
        });
}

void ScorecardEditor::setSourceFromFile(std::shared_ptr<const ModelBundle> bundle,
                                        const QString& dataPath) {
    if (m_job->isRunning()) return;
    m_loading = true;
    refreshButtons();
    setStatus(tr("Reading %1...").arg(dataPath));
    const quint64 generation = ++m_generation;
    runAsync(
        this,
        [bundle, dataPath]() -> std::shared_ptr<Result<cwb::ScorecardEditSession>> {
            auto data = loadDevelopmentData(*bundle, dataPath.toStdString());
            if (!data) return std::make_shared<Result<cwb::ScorecardEditSession>>(data.error());
            return std::make_shared<Result<cwb::ScorecardEditSession>>(
                editorForBundle(*bundle, std::move(data.value())));
        },
        [this, generation, bundle](std::shared_ptr<Result<cwb::ScorecardEditSession>> editor) {
            if (generation != m_generation) return;
            m_bundle = bundle;
            install(std::move(*editor));
        });
}

void ScorecardEditor::install(Result<cwb::ScorecardEditSession> editor) {
    m_loading = false;
    if (!editor) {
        const QString message = QString::fromStdString(editor.error().message);
        setStatus(message, true);
        refreshButtons();
        emit ready(false, message);
        return;
    }
    m_editor = std::make_shared<const cwb::ScorecardEditSession>(std::move(editor.value()));
    m_history = {std::make_shared<const ScorecardState>(m_editor->initial())};
    m_current = 0;
    m_title->setText(tr("Scorecard <b>%1</b>: %2 characteristics, development sample of %3 rows")
                         .arg(QString::fromStdString(m_bundle->name).toHtmlEscaped())
                         .arg(m_editor->initial().model->bins().size())
                         .arg(m_editor->data().rows));
    m_feature = -1;
    showState();
    // Start on the strongest characteristic in the model: the one an analyst looks at first.
    const auto& model = *m_editor->initial().model;
    int best = 0;
    for (std::size_t j = 0; j < model.bins().size(); ++j)
        if (model.bins()[j].informationValue >
            model.bins()[static_cast<std::size_t>(best)].informationValue)
            best = static_cast<int>(j);
    showCharacteristic(best);
    setStatus(tr("Select bins, then Merge (Ctrl+M) or Split (Ctrl+K)"));
    refreshButtons();
    emit ready(true, {});
}

void ScorecardEditor::showState() {
    const auto current = state();
    if (!current) return;
    const auto& model = *current->model;
    const auto& trained = *trainedState();
    m_characteristics->setRowCount(static_cast<int>(model.bins().size()));
    for (int j = 0; j < static_cast<int>(model.bins().size()); ++j) {
        const auto& c = model.bins()[static_cast<std::size_t>(j)];
        const double beta = model.coefficients()[static_cast<std::size_t>(j)];
        m_characteristics->setItem(j, 0, cell(QString::fromStdString(c.feature)));
        m_characteristics->setItem(
            j, 1, cell(QString::number(c.informationValue, 'f', 3), c.informationValue));
        m_characteristics->setItem(j, 2, cell(QString::number(c.bins.size())));
        m_characteristics->setItem(
            j, 3, cell(beta == 0.0 ? tr("left out") : QString::number(beta, 'f', 3), beta));
    }
    m_characteristics->resizeColumnsToContents();
    QString summary = tr("Development AUC %1 (as trained %2)")
                          .arg(current->developmentAuc, 0, 'f', 4)
                          .arg(trained.developmentAuc, 0, 'f', 4);
    if (m_feature >= 0) {
        const auto j = static_cast<std::size_t>(m_feature);
        summary += tr("   ·   IV of %1: %2 (as trained %3)")
                       .arg(QString::fromStdString(model.bins()[j].feature))
                       .arg(model.bins()[j].informationValue, 0, 'f', 4)
                       .arg(trained.model->bins()[j].informationValue, 0, 'f', 4);
    }
    summary += tr("   ·   %n edit(s)", nullptr, static_cast<int>(current->edits.size()));
    m_summary->setText(summary);
    QStringList warnings;
    for (const auto& w : current->warnings)
        warnings << QString::fromStdString(w);
    m_warnings->setText(warnings.join('\n'));
    m_warnings->setVisible(!warnings.isEmpty());
    showCharacteristic(m_feature);
}

void ScorecardEditor::showCharacteristic(int feature) {
    const auto current = state();
    if (!current || feature < 0 || feature >= static_cast<int>(current->model->bins().size())) {
        m_binModel->setBins(nullptr, -1, {});
        return;
    }
    const bool changed = feature != m_feature;
    m_feature = feature;
    m_binModel->setBins(current, feature, m_editor->levelNames(static_cast<std::size_t>(feature)));
    m_binTable->resizeColumnsToContents();
    m_binTable->horizontalHeader()->setSectionResizeMode(BinTableModel::Label,
                                                         QHeaderView::Stretch);
    HistogramData chart;
    chart.title = tr("Bad rate by bin: %1")
                      .arg(QString::fromStdString(
                          current->model->bins()[static_cast<std::size_t>(feature)].feature));
    chart.yTitle = tr("Bad rate (%)");
    HistogramData::Series rates{tr("Bad rate"), QColor(0xc0, 0x39, 0x2b), {}};
    for (int r = 0; r < m_binModel->rowCount(); ++r) {
        chart.categories << m_binModel->data(m_binModel->index(r, BinTableModel::Label)).toString();
        rates.values.push_back(
            100.0 *
            m_binModel->data(m_binModel->index(r, BinTableModel::BadRate), BinTableModel::ValueRole)
                .toDouble());
    }
    chart.series.push_back(std::move(rates));
    m_chart->setData(chart);
    if (changed) {
        // The summary names the characteristic shown.
        const QSignalBlocker block(m_characteristics);
        m_characteristics->setCurrentCell(feature, 0);
        showState();
    }
}

void ScorecardEditor::selectCharacteristic(const QString& feature) {
    if (!m_editor) return;
    const int j = m_editor->featureIndex(feature.toStdString());
    if (j >= 0) showCharacteristic(j);
}

QString ScorecardEditor::currentCharacteristic() const {
    const auto current = state();
    if (!current || m_feature < 0) return {};
    return QString::fromStdString(
        current->model->bins()[static_cast<std::size_t>(m_feature)].feature);
}

bool ScorecardEditor::mergeBins(int first, int second) {
    if (!state() || m_feature < 0 || first < 0 || second < 0) return false;
    startEdit(ScorecardEdit::merge(currentCharacteristic().toStdString(),
                                   static_cast<std::size_t>(first),
                                   static_cast<std::size_t>(second)));
    return true;
}

bool ScorecardEditor::splitBinAt(int bin, double cut) {
    if (!state() || m_feature < 0 || bin < 0) return false;
    startEdit(ScorecardEdit::splitAt(currentCharacteristic().toStdString(),
                                     static_cast<std::size_t>(bin), cut));
    return true;
}

bool ScorecardEditor::splitOffLevel(int bin, int level) {
    if (!state() || m_feature < 0 || bin < 0) return false;
    startEdit(ScorecardEdit::splitLevel(currentCharacteristic().toStdString(),
                                        static_cast<std::size_t>(bin), level));
    return true;
}

bool ScorecardEditor::mergeSelected() {
    QList<int> rows;
    for (const QModelIndex& index : m_binTable->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    if (rows.size() == 1) rows << rows.front() + 1;
    if (rows.size() != 2) {
        setStatus(tr("Select two bins to merge, or one to merge with the next"), true);
        return false;
    }
    return mergeBins(rows[0], rows[1]);
}

void ScorecardEditor::splitSelected() {
    const QModelIndex index = m_binTable->currentIndex();
    const Bin* bin = m_binModel->bin(index.row());
    if (!bin) {
        setStatus(tr("Select the bin to split"), true);
        return;
    }
    bool ok = false;
    if (!m_binModel->bin(index.row())->levels.empty()) {
        const auto& names = m_editor->levelNames(static_cast<std::size_t>(m_feature));
        QStringList items;
        for (int level : bin->levels)
            items << (static_cast<std::size_t>(level) < names.size()
                          ? QString::fromStdString(names[static_cast<std::size_t>(level)])
                          : QString::number(level));
        const QString item = QInputDialog::getItem(this, tr("Split bin"),
                                                   tr("Move this level into a bin of its own:"),
                                                   items, 0, false, &ok);
        if (ok)
            splitOffLevel(index.row(), bin->levels[static_cast<std::size_t>(items.indexOf(item))]);
        return;
    }
    const double low = std::isinf(bin->lower) ? -1e9 : bin->lower;
    const double high = std::isinf(bin->upper) ? 1e9 : bin->upper;
    const double suggested = std::isinf(bin->lower)   ? high - 1.0
                             : std::isinf(bin->upper) ? low + 1.0
                                                      : (low + high) / 2.0;
    const double cut = QInputDialog::getDouble(
        this, tr("Split bin"),
        tr("Cut point: values below it stay in %1, the others form a new bin")
            .arg(QString::fromStdString(bin->label)),
        suggested, low, high, 2, &ok);
    if (ok) splitBinAt(index.row(), cut);
}

void ScorecardEditor::startEdit(const ScorecardEdit& edit) {
    if (isBusy()) return;
    auto editor = m_editor;
    auto from = state();
    auto pending = std::make_shared<std::optional<Result<ScorecardState>>>();
    m_pending = pending;
    const bool started = m_job->start([editor, from, edit, pending](ProgressToken& token) {
        *pending = editor->apply(*from, edit, ProgressRange(&token, 0.0, 1.0));
        return **pending ? QString() : QString::fromStdString((*pending)->error().message);
    });
    if (!started) return;
    m_progress->setValue(0);
    setStatus(tr("Refitting the scorecard..."));
    refreshButtons();
}

void ScorecardEditor::onEditFinished(bool canceled, const QString& error) {
    auto pending = std::move(m_pending);
    m_progress->setValue(0);
    if (canceled || !error.isEmpty()) {
        setStatus(canceled ? tr("Edit cancelled; the scorecard is unchanged") : error, !canceled);
        refreshButtons();
        emit edited(false, canceled ? tr("cancelled") : error);
        return;
    }
    // A new edit after undo drops the undone ones, as in any editor.
    m_history.resize(m_current + 1);
    m_history.push_back(std::make_shared<const ScorecardState>(std::move((*pending)->value())));
    m_current = m_history.size() - 1;
    showState();
    setStatus(tr("%1; the scorecard was refitted").arg(describe(state()->edits.back())));
    refreshButtons();
    emit edited(true, {});
}

QString ScorecardEditor::describe(const ScorecardEdit& edit) const {
    const QString feature = QString::fromStdString(edit.feature);
    switch (edit.kind) {
        case ScorecardEdit::Kind::Merge:
            return tr("Merged bins %1 and %2 of %3")
                .arg(std::min(edit.bin, edit.other) + 1)
                .arg(std::max(edit.bin, edit.other) + 1)
                .arg(feature);
        case ScorecardEdit::Kind::SplitAt:
            return tr("Split bin %1 of %2 at %3").arg(edit.bin + 1).arg(feature).arg(edit.cut);
        case ScorecardEdit::Kind::SplitLevel: {
            const int j = m_editor->featureIndex(edit.feature);
            const auto& names = m_editor->levelNames(static_cast<std::size_t>(std::max(j, 0)));
            const auto level = static_cast<std::size_t>(edit.level);
            const QString name = level < names.size() ? QString::fromStdString(names[level])
                                                      : QString::number(edit.level);
            return tr("Moved '%1' out of bin %2 of %3").arg(name).arg(edit.bin + 1).arg(feature);
        }
    }
    return {};
}

void ScorecardEditor::undo() {
    if (isBusy() || m_current == 0) return;
    --m_current;
    showState();
    refreshButtons();
    setStatus(tr("Undone"));
}

void ScorecardEditor::redo() {
    if (isBusy() || m_current + 1 >= m_history.size()) return;
    ++m_current;
    showState();
    refreshButtons();
    setStatus(tr("Redone"));
}

void ScorecardEditor::reset() {
    if (isBusy() || m_history.empty()) return;
    m_current = 0;
    showState();
    refreshButtons();
    setStatus(tr("Back to the scorecard as trained"));
}

void ScorecardEditor::cancel() {
    m_job->cancel();
}

void ScorecardEditor::saveAs() {
    if (!m_bundle) return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save edited scorecard"),
        QString::fromStdString(m_bundle->name) + QStringLiteral("-edited.cwbm"),
        tr("Model bundles (*.cwbm)"));
    if (!path.isEmpty()) saveModel(path);
}

bool ScorecardEditor::saveModel(const QString& path) {
    const auto current = state();
    if (!current || isBusy()) return false;
    m_saving = true;
    refreshButtons();
    setStatus(tr("Saving %1...").arg(path));
    auto bundle = m_bundle;
    auto editor = m_editor;
    saveInBackground(
        this, path,
        [bundle, editor, current](const std::string& file) {
            return saveBundle(bundleWithScorecard(*bundle, *current, editor->data()), file);
        },
        [this, path](bool ok, const QString& message) {
            m_saving = false;
            setStatus(message, !ok);
            refreshButtons();
            emit statusMessage(message);
            emit saved(ok, path, message);
        });
    return true;
}

}  // namespace cwb::ui
