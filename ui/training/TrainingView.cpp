#include "ui/training/TrainingView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include "data/Table.h"
#include "data/TrainingHints.h"
#include "ui/common/AppSettings.h"
#include "ui/common/Async.h"
#include "ui/common/BundleSaving.h"
#include "ui/common/JobRunner.h"
#include "ui/training/SchemaTableModel.h"
#include "ui/training/SearchTable.h"
#include "ui/widgets/ChoiceDelegate.h"
#include "ui/widgets/JobControls.h"

namespace cwb::ui {

namespace {

// The usual names of a credit target; otherwise the last column, where exports put it.
QString guessTarget(const std::vector<std::string>& header) {
    for (const char* name : {"class", "target", "default", "bad", "y", "label", "outcome"})
        for (const auto& column : header)
            if (QString::fromStdString(column).compare(QLatin1String(name), Qt::CaseInsensitive) ==
                0)
                return QString::fromStdString(column);
    return header.empty() ? QString() : QString::fromStdString(header.back());
}

QTableWidgetItem* figure(double value, int decimals) {
    auto* item = new QTableWidgetItem(QString::number(value, 'f', decimals));
    item->setData(Qt::UserRole, value);  // the exact figure, for tests and copying
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

TrainingView::TrainingView(QWidget* parent) : QWidget(parent) {
    m_job = new JobRunner(this);
    m_schema = new SchemaTableModel(this);
    buildUi();
    connect(m_job, &JobRunner::progress, this,
            [this](double, const QString& text) { setStatus(text); });
    connect(m_job, &JobRunner::finished, this, &TrainingView::onTrainFinished);
    connect(m_schema, &SchemaTableModel::typeChosen, this, &TrainingView::setColumnType);
    connect(m_schema, &SchemaTableModel::roleChosen, this, &TrainingView::setColumnRole);
    refreshButtons();
}

TrainingView::~TrainingView() {
    m_job->disconnect(this);  // no callbacks into a view being destroyed
    m_job->cancel();
    m_job->waitForFinished();
}

void TrainingView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    auto* fileRow = new QHBoxLayout;
    auto* fileLabel = new QLabel(tr("&Data:"), this);
    m_path = new QLineEdit(this);
    m_path->setObjectName("trainingPath");
    m_path->setPlaceholderText(tr("A labelled CSV file (one row per applicant, with the outcome)"));
    fileLabel->setBuddy(m_path);
    m_choose =
        makeChooseButton(tr("Ch&oose..."), tr("Choose the training data (Ctrl+Shift+O)"), this);
    fileRow->addWidget(fileLabel);
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_choose);
    layout->addLayout(fileRow);

    auto* settingsRow = new QHBoxLayout;
    const auto addField = [&](const QString& text, QWidget* field) {
        auto* label = new QLabel(text, this);
        label->setBuddy(field);
        settingsRow->addWidget(label);
        settingsRow->addWidget(field);
        settingsRow->addSpacing(8);
    };
    m_target = new QComboBox(this);
    m_target->setObjectName("targetColumn");
    m_target->setMinimumContentsLength(10);
    addField(tr("&Target:"), m_target);
    m_bad = new QLineEdit(QStringLiteral("1"), this);
    m_bad->setObjectName("badValue");
    m_bad->setMaximumWidth(80);
    m_bad->setToolTip(tr("The target value that means bad; every other value is good"));
    addField(tr("&Bad value:"), m_bad);
    m_algorithm = new QComboBox(this);
    m_algorithm->setObjectName("algorithm");
    for (Algorithm a :
         {Algorithm::Auto, Algorithm::Xgboost, Algorithm::Scorecard, Algorithm::Forest})
        m_algorithm->addItem(QString::fromStdString(toString(a)), static_cast<int>(a));
    m_algorithm->setToolTip(
        tr("auto searches a small set of configurations of every algorithm by nested "
           "cross-validation and keeps the one the search on all rows prefers"));
    addField(tr("A&lgorithm:"), m_algorithm);
    m_ratios = new QCheckBox(tr("R&atios"), this);
    m_ratios->setObjectName("derivedRatios");
    m_ratios->setChecked(true);
    m_ratios->setToolTip(
        tr("With auto: derived ratios of two numeric characteristics for the tree "
           "configurations, proposed inside each fold (cwb train --no-ratios when off). "
           "Turn off for a model to export as SQL or whose every characteristic must keep "
           "its monotone constraint"));
    settingsRow->addWidget(m_ratios);
    settingsRow->addSpacing(8);
    connect(m_algorithm, &QComboBox::currentIndexChanged, this, &TrainingView::refreshButtons);
    m_monotone = new QComboBox(this);
    m_monotone->setObjectName("monotoneMode");
    m_monotone->addItem(tr("auto"), static_cast<int>(MonotoneMode::Auto));
    m_monotone->addItem(tr("none"), static_cast<int>(MonotoneMode::None));
    m_monotone->setToolTip(
        tr("Monotone constraints of tree models: auto follows each numeric "
           "characteristic's WoE trend; the table's Monotone column "
           "overrides single characteristics"));
    addField(tr("Mo&notone:"), m_monotone);
    m_folds = new QSpinBox(this);
    m_folds->setObjectName("folds");
    m_folds->setRange(0, 20);
    m_folds->setValue(5);
    m_folds->setToolTip(tr("Cross-validation folds (0: none; auto needs at least 2)"));
    addField(tr("&CV folds:"), m_folds);
    m_seed = new QSpinBox(this);
    m_seed->setObjectName("seed");
    m_seed->setRange(0, 2147483647);
    m_seed->setValue(42);
    addField(tr("S&eed:"), m_seed);
    settingsRow->addStretch(1);
    m_train = makeRunButton(tr("T&rain"), tr("Cross-validate and train (Ctrl+R)"), this);
    m_cancel = makeCancelButton(tr("Stop training (Esc)"), this);
    settingsRow->addWidget(m_train);
    settingsRow->addWidget(m_cancel);
    layout->addLayout(settingsRow);

    const JobProgressRow progressRow = makeJobProgressRow(m_job, this, 2);
    m_progress = progressRow.bar;
    m_progress->setValue(0);
    m_status = progressRow.status;
    m_status->setObjectName("trainingStatus");
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addLayout(progressRow.layout);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    auto* schemaBox = new QGroupBox(tr("Schema (double-click a type, role or monotone cell to "
                                       "change it)"),
                                    splitter);
    auto* schemaLayout = new QVBoxLayout(schemaBox);
    schemaLayout->setContentsMargins(6, 4, 6, 4);
    m_rows = new QLabel(schemaBox);
    m_rows->setObjectName("trainingRows");
    schemaLayout->addWidget(m_rows);
    m_schemaTable = new QTableView(schemaBox);
    m_schemaTable->setObjectName("schemaTable");
    m_schemaTable->setModel(m_schema);
    m_schemaTable->setItemDelegate(new ChoiceDelegate(SchemaTableModel::ChoicesRole, this));
    m_schemaTable->setEditTriggers(QAbstractItemView::DoubleClicked |
                                   QAbstractItemView::EditKeyPressed |
                                   QAbstractItemView::SelectedClicked);
    m_schemaTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    // Compact rows: a wide file's columns should fit without much scrolling.
    m_schemaTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_schemaTable->horizontalHeader()->setStretchLastSection(true);
    schemaLayout->addWidget(m_schemaTable, 1);
    auto* diagnosticsBox = new QGroupBox(tr("Data diagnostics"), splitter);
    auto* diagnosticsLayout = new QVBoxLayout(diagnosticsBox);
    diagnosticsLayout->setContentsMargins(6, 4, 6, 4);
    m_diagnostics = new QListWidget(diagnosticsBox);
    m_diagnostics->setObjectName("diagnostics");
    // Two warnings in sight at the least (the rest scroll), so the view fits a 1280x720 screen.
    m_diagnostics->setMinimumHeight(m_diagnostics->fontMetrics().height() * 2 + 12);
    // A warning is a sentence or two: wrapped to the list's width, never cut at its edge.
    m_diagnostics->setWordWrap(true);
    m_diagnostics->setTextElideMode(Qt::ElideNone);
    m_diagnostics->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_diagnostics->setResizeMode(QListView::Adjust);
    diagnosticsLayout->addWidget(m_diagnostics);
    auto* resultsBox = new QGroupBox(tr("Candidates (cross-validated)"), splitter);
    auto* resultsLayout = new QVBoxLayout(resultsBox);
    resultsLayout->setContentsMargins(6, 4, 6, 4);
    m_candidates = new QTableWidget(0, 7, resultsBox);
    m_candidates->setObjectName("candidatesTable");
    m_candidates->setHorizontalHeaderLabels({tr("Algorithm"), tr("CV AUC"), tr("SD"), tr("Gini"),
                                             tr("KS"), tr("Fold AUCs"), tr("Seconds")});
    m_candidates->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_candidates->horizontalHeader()->setStretchLastSection(true);
    m_candidates->verticalHeader()->setVisible(false);
    m_candidates->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    // The header and auto's four rows (three algorithms and auto) without scrolling.
    m_candidates->setMinimumHeight((fontMetrics().height() + 8) * 5 + 4);
    resultsLayout->addWidget(m_candidates, 1);
    m_search = new SearchTable(resultsBox);
    resultsLayout->addWidget(m_search, 2);
    // The result's actions sit on the progress row, beside the status that says what was
    // trained: a row less, so the view fits a 1280x720 screen after an auto run.
    m_edit = new QPushButton(tr("Ed&it scorecard..."), this);
    m_edit->setObjectName("editScorecard");
    m_edit->setToolTip(tr("Merge and split the trained scorecard's bins by hand"));
    m_save = new QPushButton(tr("&Save model..."), this);
    m_save->setObjectName("saveTrainedModel");
    m_save->setShortcut(QKeySequence::Save);
    m_save->setToolTip(tr("Save the trained bundle (.cwbm) and make it the active model (Ctrl+S)"));
    progressRow.layout->addWidget(m_edit);
    progressRow.layout->addWidget(m_save);
    splitter->addWidget(schemaBox);
    splitter->addWidget(diagnosticsBox);
    splitter->addWidget(resultsBox);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 2);
    layout->addWidget(splitter, 1);

    connect(m_choose, &QPushButton::clicked, this, &TrainingView::chooseFile);
    connect(m_path, &QLineEdit::returnPressed, this, [this] { setDataFile(m_path->text()); });
    connect(m_target, &QComboBox::activated, this,
            [this] { chooseTarget(m_target->currentText()); });
    connect(m_bad, &QLineEdit::editingFinished, this, [this] {
        if (m_bad->text() != QString::fromStdString(m_choices.badValue))
            setTarget(m_target->currentText(), m_bad->text());
    });
    connect(m_train, &QPushButton::clicked, this, &TrainingView::train);
    connect(m_cancel, &QPushButton::clicked, this, &TrainingView::cancel);
    connect(m_save, &QPushButton::clicked, this, &TrainingView::saveAs);
    connect(m_edit, &QPushButton::clicked, this, [this] {
        if (m_report) emit editScorecardRequested(m_report);
    });
}

QString TrainingView::statusText() const {
    return m_status->text();
}

void TrainingView::setStatus(const QString& text, bool error) {
    showStatus(m_status, text, error);
}

void TrainingView::refreshButtons() {
    const bool running = m_job->isRunning();
    enableJobControls(
        running, !m_previewing && m_preview.has_value(), m_train, m_cancel,
        {m_choose, m_path, m_target, m_bad, m_algorithm, m_ratios, m_monotone, m_folds, m_seed});
    // Ratios are part of auto's search only.
    if (!running)
        m_ratios->setEnabled(static_cast<Algorithm>(m_algorithm->currentData().toInt()) ==
                             Algorithm::Auto);
    m_save->setEnabled(!running && !m_saving && m_report != nullptr);
    m_edit->setEnabled(!running && m_report && m_report->development &&
                       m_report->bundle.model->algorithm() == "scorecard");
    m_schemaTable->setEditTriggers(running ? QAbstractItemView::NoEditTriggers
                                           : QAbstractItemView::DoubleClicked |
                                                 QAbstractItemView::EditKeyPressed |
                                                 QAbstractItemView::SelectedClicked);
}

void TrainingView::chooseFile() {
    const QString path =
        chooseFileNearRecent(this, tr("Choose training data"), QStringLiteral("training"),
                             tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty()) setDataFile(path);
}

void TrainingView::setDataFile(const QString& path) {
    if (m_job->isRunning()) return;
    m_path->setText(path);
    m_dataPath = path;
    m_table.reset();
    m_preview.reset();
    m_schema->clear();
    m_diagnostics->clear();
    m_previewing = true;
    refreshButtons();
    setStatus(tr("Reading %1...").arg(path));
    const quint64 generation = ++m_generation;
    runAsync(
        this, [path] { return std::make_shared<Result<Table>>(readTable(path.toStdString())); },
        [this, path, generation](std::shared_ptr<Result<Table>> table) {
            if (generation != m_generation) return;  // another file was chosen meanwhile
            if (!*table) {
                m_previewing = false;
                setStatus(QString::fromStdString(table->error().message), true);
                refreshButtons();
                emit previewReady(false);
                return;
            }
            m_table = std::make_shared<const Table>(std::move(table->value()));
            addRecentFile("training", path);
            m_target->clear();
            for (const auto& column : m_table->header)
                m_target->addItem(QString::fromStdString(column));
            const QString target = guessTarget(m_table->header);
            m_choices = {};
            m_suggestedProtected = suggestProtectedColumns(*m_table, target.toStdString());
            for (const std::string& column : m_suggestedProtected)
                m_choices.roles[column] = ColumnRole::Protected;
            chooseTarget(target);
        });
}

void TrainingView::chooseTarget(const QString& column) {
    if (m_job->isRunning() || !m_table) return;
    const BadValueGuess guess = guessBadValue(*m_table, column.toStdString());
    QStringList values;
    for (const std::string& v : guess.values)
        values << QString::fromStdString(v);
    m_bad->setPlaceholderText(values.size() == 2 ? tr("%1 or %2").arg(values[0], values[1])
                                                 : QString());
    if (!guess.ambiguous) {
        setTarget(column, QString::fromStdString(guess.badValue));
        return;
    }
    if (values.size() != 2) {
        // Not a two-valued target: keep what the analyst typed (1 by default); the preview says
        // what is wrong.
        setTarget(column, m_bad->text().trimmed().isEmpty() ? QStringLiteral("1") : m_bad->text());
        return;
    }
    // Two values that do not say which is bad (1 and 2): a silent default of 1 would train
    // German's model upside down. The analyst chooses.
    m_target->setCurrentText(column);
    m_choices.target = column.toStdString();
    m_choices.badValue.clear();
    m_choices.roles.erase(m_choices.target);
    m_choices.types.erase(m_choices.target);
    m_bad->clear();
    ++m_generation;  // a preview still running is for the previous choice
    m_preview.reset();
    m_schema->clear();
    m_diagnostics->clear();
    m_previewing = false;
    setStatus(tr("Which value of '%1' means bad: %2 or %3? Type it in Bad value (Alt+B).")
                  .arg(column, values[0], values[1]),
              true);
    m_bad->setFocus();
    refreshButtons();
    emit previewReady(false);
}

void TrainingView::setTarget(const QString& column, const QString& badValue) {
    if (m_job->isRunning()) return;
    m_target->setCurrentText(column);
    m_bad->setText(badValue);
    m_choices.target = column.toStdString();
    m_choices.badValue = badValue.trimmed().toStdString();
    m_choices.roles.erase(m_choices.target);
    m_choices.types.erase(m_choices.target);
    refreshPreview();
}

void TrainingView::setColumnType(const QString& column, ColumnType type) {
    if (m_job->isRunning()) return;
    m_choices.types[column.toStdString()] = type;
    refreshPreview();
}

void TrainingView::setColumnRole(const QString& column, ColumnRole role) {
    if (m_job->isRunning()) return;
    m_choices.roles[column.toStdString()] = role;
    refreshPreview();
}

void TrainingView::setAlgorithm(Algorithm algorithm) {
    m_algorithm->setCurrentIndex(m_algorithm->findData(static_cast<int>(algorithm)));
}

void TrainingView::setFolds(int folds) {
    m_folds->setValue(folds);
}

void TrainingView::setSeed(int seed) {
    m_seed->setValue(seed);
}

void TrainingView::refreshPreview() {
    if (!m_table) return;
    if (m_choices.badValue.empty()) {
        // No bad value chosen: nothing to infer yet (chooseTarget said which values there are).
        ++m_generation;
        m_preview.reset();
        m_schema->clear();
        m_previewing = false;
        setStatus(tr("Type the value of '%1' that means bad in Bad value (Alt+B).")
                      .arg(QString::fromStdString(m_choices.target)),
                  true);
        refreshButtons();
        emit previewReady(false);
        return;
    }
    m_previewing = true;
    refreshButtons();
    setStatus(tr("Inferring the schema..."));
    const quint64 generation = ++m_generation;
    auto table = m_table;
    const TrainingChoices choices = m_choices;
    runAsync(
        this,
        [table, choices] {
            return std::make_shared<Result<TrainingPreview>>(
                previewTraining(*table, choices, nullptr));
        },
        [this, generation](std::shared_ptr<Result<TrainingPreview>> preview) {
            if (generation != m_generation) return;
            m_previewing = false;
            showPreview(std::move(*preview));
        });
}

void TrainingView::showPreview(Result<TrainingPreview> preview) {
    if (!preview) {
        // The last good preview stays trainable only if it matches the choices; it does not.
        m_preview.reset();
        m_schema->clear();
        m_diagnostics->clear();
        m_rows->clear();
        setStatus(QString::fromStdString(preview.error().message), true);
        refreshButtons();
        emit previewReady(false);
        return;
    }
    m_preview = std::move(*preview);
    m_schema->setPreview(*m_preview);
    m_schemaTable->resizeColumnsToContents();
    m_diagnostics->clear();
    for (const auto& w : m_preview->warnings) {
        auto* item = new QListWidgetItem(QString::fromStdString(w.message), m_diagnostics);
        item->setData(Qt::UserRole, QString::fromStdString(w.kind));
        item->setToolTip(QString::fromStdString(w.kind + ": " + w.column));
    }
    if (!m_suggestedProtected.empty()) {
        QStringList names;
        for (const std::string& column : m_suggestedProtected)
            names << QStringLiteral("'%1'").arg(QString::fromStdString(column));
        auto* item = new QListWidgetItem(
            tr("Suggested the protected role for %1: their names or values look like protected "
               "attributes, so they are kept out of the model and used for fairness checks. "
               "Change the role in the table if that is wrong.")
                .arg(names.join(QStringLiteral(", "))),
            m_diagnostics);
        item->setData(Qt::UserRole, QStringLiteral("protected_suggested"));
    }
    if (m_preview->warnings.empty()) m_diagnostics->addItem(tr("No problems found in the data."));
    const QLocale locale;
    m_rows->setText(tr("%1 rows read, %2 usable, %3 rejected; %4 characteristics")
                        .arg(locale.toString(static_cast<qulonglong>(m_preview->rowsRead)),
                             locale.toString(static_cast<qulonglong>(m_preview->rowsUsed)),
                             locale.toString(static_cast<qulonglong>(m_preview->rowsRejected)))
                        .arg(m_preview->schema.features().size()));
    setStatus(tr("Ready to train on %1").arg(QFileInfo(m_dataPath).fileName()));
    refreshButtons();
    emit previewReady(true);
}

bool TrainingView::isRunning() const {
    return m_job->isRunning();
}

bool TrainingView::train() {
    if (m_job->isRunning() || m_previewing || !m_preview) return false;
    TrainJob job;
    job.dataPath = m_dataPath.toStdString();
    job.target = m_choices.target;
    job.badValue = m_choices.badValue;
    job.schema = m_preview->schema;
    job.request.algorithm = static_cast<Algorithm>(m_algorithm->currentData().toInt());
    job.request.folds = m_folds->value();
    job.request.seed = static_cast<std::uint64_t>(m_seed->value());
    job.request.monotone = static_cast<MonotoneMode>(m_monotone->currentData().toInt());
    job.request.ratios = m_ratios->isChecked();
    job.request.monotoneOverrides = m_schema->monotoneOverrides();
    auto pending = std::make_shared<std::optional<Result<TrainReport>>>();
    m_pending = pending;
    const bool started = m_job->start([job, pending](ProgressToken& token) -> QString {
        *pending = runTraining(job, &token);
        return **pending ? QString() : QString::fromStdString((*pending)->error().message);
    });
    if (!started) return false;
    m_progress->setValue(0);
    setStatus(tr("Training..."));
    refreshButtons();
    return true;
}

void TrainingView::cancel() {
    m_job->cancel();
}

void TrainingView::onTrainFinished(bool canceled, const QString& error) {
    auto pending = std::move(m_pending);
    showJobEnd(m_progress, !canceled && error.isEmpty());
    if (canceled) {
        setStatus(tr("Training cancelled; nothing was kept"));
    } else if (!error.isEmpty()) {
        setStatus(tr("Training failed: %1").arg(error), true);
    } else {
        m_report = std::make_shared<const TrainReport>(std::move((*pending)->value()));
        showCandidates();
        const auto& bundle = m_report->bundle;
        setStatus(tr("Trained %1 on %2 rows in %3 s; save it to use it")
                      .arg(QString::fromStdString(bundle.model->algorithm()))
                      .arg(m_report->rowsUsed)
                      .arg(m_report->seconds, 0, 'f', 1));
    }
    refreshButtons();
    emit trainingFinished(!canceled && error.isEmpty(), canceled,
                          canceled ? tr("cancelled") : error);
}

void TrainingView::showCandidates() {
    const auto& candidates = m_report->candidates;
    const std::string chosen = m_report->bundle.model->algorithm();
    m_candidates->setRowCount(static_cast<int>(candidates.size()));
    for (int r = 0; r < static_cast<int>(candidates.size()); ++r) {
        const CandidateResult& c = candidates[static_cast<std::size_t>(r)];
        // With auto, the row "auto" holds the procedure's own figures (each outer fold measured
        // with the configuration its inner search chose); the chosen algorithm is refitted.
        const bool headline = c.algorithm == m_report->measured && c.algorithm != chosen;
        auto* name = new QTableWidgetItem(QString::fromStdString(c.algorithm) +
                                          (c.algorithm == chosen ? tr("  (chosen)")
                                           : headline ? tr("  (nested search: the result)")
                                                      : QString()));
        name->setData(Qt::UserRole, QString::fromStdString(c.algorithm));
        if (c.algorithm == chosen || headline) {
            QFont bold = name->font();
            bold.setBold(true);
            name->setFont(bold);
        }
        m_candidates->setItem(r, 0, name);
        m_candidates->setItem(r, 1, figure(c.meanAuc, 4));
        m_candidates->setItem(r, 2, figure(c.sdAuc, 4));
        m_candidates->setItem(r, 3, figure(c.meanGini, 4));
        m_candidates->setItem(r, 4, figure(c.meanKs, 4));
        QStringList folds;
        for (double a : c.foldAuc)
            folds << QString::number(a, 'f', 3);
        m_candidates->setItem(r, 5, new QTableWidgetItem(folds.join(QStringLiteral("  "))));
        m_candidates->setItem(r, 6, figure(c.seconds, 1));
    }
    if (candidates.empty()) {
        // Without cross-validation there is nothing to compare; say so in the table.
        m_candidates->setRowCount(1);
        m_candidates->setItem(0, 0, new QTableWidgetItem(QString::fromStdString(chosen)));
        m_candidates->setItem(0, 5, new QTableWidgetItem(tr("no cross-validation (folds < 2)")));
    }
    m_candidates->resizeColumnsToContents();
    m_search->showSearch(m_report->search.get());
}

void TrainingView::saveAs() {
    if (!m_report) return;
    const QString suggested =
        QFileInfo(m_dataPath).dir().filePath(QFileInfo(m_dataPath).completeBaseName() + ".cwbm");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save model"), suggested,
                                                      tr("Model bundles (*.cwbm)"));
    if (!path.isEmpty()) saveModel(path);
}

bool TrainingView::saveModel(const QString& path) {
    if (!m_report || m_saving || m_job->isRunning()) return false;
    m_saving = true;
    refreshButtons();
    setStatus(tr("Saving %1...").arg(path));
    auto report = m_report;
    saveInBackground(
        this, path, [report](const std::string& file) { return saveBundle(report->bundle, file); },
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
