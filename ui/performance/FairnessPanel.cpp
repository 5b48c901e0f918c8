#include "ui/performance/FairnessPanel.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

#include "report/FairnessAnalysis.h"
#include "ui/common/JobRunner.h"
#include "ui/performance/ReportPanels.h"
#include "ui/widgets/ReportTableModel.h"

namespace cwb::ui {

FairnessPanel::FairnessPanel(std::function<FairnessSource()> source, QWidget* parent)
    : QWidget(parent), m_source(std::move(source)) {
    setObjectName("fairnessPanel");
    m_job = new JobRunner(this);
    auto* layout = new QVBoxLayout(this);
    auto* row = new QHBoxLayout;
    auto* label = new QLabel(tr("&Protected columns:"), this);
    m_columns = new QLineEdit(this);
    m_columns->setPlaceholderText(tr("the model's protected columns"));
    label->setBuddy(m_columns);
    m_run = new QPushButton(tr("A&nalyse fairness"), this);
    auto* bandsLabel = new QLabel(tr("Band &edges:"), this);
    m_bands = new QLineEdit(this);
    m_bands->setObjectName("fairnessBands");
    m_bands->setPlaceholderText(tr("25, 40, 60"));
    m_bands->setToolTip(
        tr("Numeric protected attributes (age) are grouped at these edges: the default gives "
           "under 25, 25\u201339, 40\u201359, 60 and over"));
    bandsLabel->setBuddy(m_bands);
    row->addWidget(label);
    row->addWidget(m_columns, 1);
    row->addWidget(bandsLabel);
    row->addWidget(m_bands);
    row->addWidget(m_run);
    layout->addLayout(row);
    m_status = new QLabel(
        tr("Approval rate is the share of approve decisions (refer is not approved); AIR is a "
           "group's approval rate over the most favoured group's, flagged below 0.8 (four-fifths "
           "rule). On a labelled file, calibration is a group's mean PD against its bad rate. "
           "Groups under 30 rows are marked too small to judge."),
        this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_table = new TablePanel(QStringLiteral("fairness"), this);
    layout->addWidget(m_table, 1);
    connect(m_run, &QPushButton::clicked, this, &FairnessPanel::analyse);
    connect(m_columns, &QLineEdit::returnPressed, this, &FairnessPanel::analyse);
    connect(m_bands, &QLineEdit::returnPressed, this, &FairnessPanel::analyse);
    connect(m_job, &JobRunner::progress, this, [this](double, const QString& text) {
        if (!text.isEmpty()) m_status->setText(tr("Analysing: %1").arg(text));
    });
}

FairnessPanel::~FairnessPanel() {
    m_job->cancel();
}

void FairnessPanel::setColumns(const QString& columns) {
    m_columns->setText(columns);
}

void FairnessPanel::setBandEdges(const QString& edges) {
    m_bands->setText(edges);
}

bool FairnessPanel::isRunning() const {
    return m_job->isRunning();
}

QString FairnessPanel::statusText() const {
    return m_status->text();
}

bool FairnessPanel::analyse() {
    const FairnessSource source = m_source();
    if (!source.bundle || source.dataPath.isEmpty() || isRunning()) return false;
    std::vector<std::string> columns;
    for (const QString& c : m_columns->text().split(',', Qt::SkipEmptyParts))
        if (!c.trimmed().isEmpty()) columns.push_back(c.trimmed().toStdString());
    FairnessOptions options;
    if (!m_bands->text().trimmed().isEmpty()) {
        auto edges = parseBandEdges(m_bands->text().toStdString());
        if (!edges) {
            const QString message = tr("Cannot analyse fairness: %1")
                                        .arg(QString::fromStdString(edges.error().message));
            m_status->setText(message);
            emit analysed(false, message);
            return false;
        }
        options.bandEdges = std::move(*edges);
    }
    const auto bundle = source.bundle;
    const std::string path = source.dataPath.toStdString();
    const std::string target = source.target.trimmed().toStdString();
    const std::string bad = source.badValue.trimmed().toStdString();
    const bool started = startForResult<FairnessReport>(
        m_job, this,
        [=](ProgressToken& token, std::optional<FairnessReport>& result) -> QString {
            auto report = buildFairnessReport(*bundle, path, target, bad, columns, options, &token);
            if (!report) return QString::fromStdString(report.error().message);
            result = std::move(*report);
            return {};
        },
        [this](bool canceled, const QString& error,
               const std::shared_ptr<std::optional<FairnessReport>>& result) {
            const bool ok = !canceled && error.isEmpty() && result->has_value();
            QString message;
            if (canceled)
                message = tr("Fairness analysis cancelled.");
            else if (!ok)
                message = tr("Cannot analyse fairness: %1").arg(error);
            else {
                m_report = std::move(*result);
                show();
                message = tr("%1 rows, %2 attribute(s)%3.")
                              .arg(m_report->rows)
                              .arg(m_report->attributes.size())
                              .arg(m_report->labelled ? tr(", labelled") : tr(", unlabelled"));
            }
            m_status->setText(message);
            emit analysed(ok, message);
        });
    if (started)
        m_status->setText(tr("Analysing %1...").arg(QFileInfo(source.dataPath).fileName()));
    return started;
}

void FairnessPanel::show() {
    std::vector<ReportTableModel::Row> rows;
    for (const auto& a : m_report->attributes)
        for (const auto& g : a.groups) {
            const QString finding = g.tooSmall          ? tr("too small to judge")
                                    : g.belowFourFifths ? tr("below four-fifths")
                                                        : QString();
            ReportTableModel::Row row = {ReportTableModel::text(QString::fromStdString(a.label)),
                                         ReportTableModel::text(QString::fromStdString(g.group)),
                                         ReportTableModel::count(g.count),
                                         ReportTableModel::percent(g.approvalRate),
                                         ReportTableModel::number(g.adverseImpactRatio, 3),
                                         ReportTableModel::text(finding)};
            if (m_report->labelled) {
                row.push_back(ReportTableModel::percent(g.badRate));
                row.push_back(ReportTableModel::percent(g.meanPd));
                row.push_back(std::isnan(g.auc) ? ReportTableModel::text(tr("n/a"))
                                                : ReportTableModel::number(g.auc, 4));
            }
            row.push_back(ReportTableModel::number(g.standardisedMeanDifference, 3));
            rows.push_back(std::move(row));
        }
    QStringList headers = {tr("Attribute"),     tr("Group"), tr("Rows"),
                           tr("Approval rate"), tr("AIR"),   tr("Finding")};
    if (m_report->labelled) headers << tr("Bad rate") << tr("Mean PD") << tr("AUC");
    headers << tr("SMD");
    m_table->model()->setTable(headers, std::move(rows));
}

}  // namespace cwb::ui
