#include "ui/widgets/ScorePanel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cwb::ui {

QColor decisionColor(Decision decision) {
    switch (decision) {
        case Decision::Approve:
            return QColor(46, 125, 50);
        case Decision::Refer:
            return QColor(230, 140, 0);
        case Decision::Decline:
            return QColor(198, 40, 40);
    }
    return {};
}

QString decisionLabel(Decision decision) {
    switch (decision) {
        case Decision::Approve:
            return ScorePanel::tr("Approve");
        case Decision::Refer:
            return ScorePanel::tr("Refer");
        case Decision::Decline:
            return ScorePanel::tr("Decline");
    }
    return {};
}

ScorePanel::ScorePanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_score = new QLabel(this);
    m_score->setObjectName("scoreValue");
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    m_score->setFont(big);
    m_decision = new QLabel(this);
    m_decision->setObjectName("decisionBadge");
    m_decision->setAlignment(Qt::AlignCenter);
    m_decision->setMargin(6);
    QFont badge = font();
    badge.setPointSizeF(badge.pointSizeF() * 1.4);
    badge.setBold(true);
    m_decision->setFont(badge);
    m_decision->setAutoFillBackground(true);
    top->addWidget(m_score);
    top->addSpacing(12);
    top->addWidget(m_decision);
    top->addStretch(1);
    layout->addLayout(top);
    m_pd = new QLabel(this);
    m_pd->setObjectName("pdValue");
    m_pd->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_pd);
    m_bands = new QLabel(this);
    m_bands->setWordWrap(true);
    layout->addWidget(m_bands);
    m_message = new QLabel(this);
    m_message->setObjectName("scoreMessage");
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);
    auto* reasonsTitle = new QLabel(tr("<b>Top reasons</b> (what raised the risk most)"), this);
    layout->addWidget(reasonsTitle);
    m_reasons = new QTableWidget(0, 3, this);
    m_reasons->setObjectName("reasonsTable");
    m_reasons->setHorizontalHeaderLabels({tr("Characteristic"), tr("Reason"), tr("Points")});
    m_reasons->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_reasons->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_reasons->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_reasons->verticalHeader()->setVisible(true);
    m_reasons->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // One line per reason; the full text is in the tooltip when the column is narrow.
    m_reasons->setWordWrap(false);
    // The four principal reasons stay in sight without scrolling, also where the panel shares
    // a 1280x720 screen with the waterfall (Explanation view): compact rows, and a minimum
    // height of four of them.
    m_reasons->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_reasons->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_reasons->setMinimumHeight(m_reasons->horizontalHeader()->sizeHint().height() +
                                4 * m_reasons->verticalHeader()->defaultSectionSize() +
                                2 * m_reasons->frameWidth() + 2);
    layout->addWidget(m_reasons, 1);
    showMessage(tr("No applicant yet"), tr("Fill in the form or load an applicant from a file."));
}

void ScorePanel::showResult(const ScoreResult& result, const ModelBundle& bundle,
                            const ScoreResult* comparedTo) {
    QString score = QString::number(result.score);
    QString pd = tr("PD %1 %").arg(result.pd * 100.0, 0, 'f', 2);
    if (comparedTo) {
        const long delta = result.score - comparedTo->score;
        score += QStringLiteral("  (%1%2)").arg(delta > 0 ? "+" : "").arg(delta);
        pd += tr("  (as entered %1 %)").arg(comparedTo->pd * 100.0, 0, 'f', 2);
    }
    m_score->setText(score);
    m_pd->setText(pd + tr("   probability of default"));
    m_decision->setText(decisionLabel(result.decision));
    QPalette palette = m_decision->palette();
    palette.setColor(QPalette::Window, decisionColor(result.decision));
    palette.setColor(QPalette::WindowText, Qt::white);
    m_decision->setPalette(palette);
    m_decision->setVisible(true);
    m_bands->setText(tr("Approve at %1 points and above, decline below %2, refer in between.")
                         .arg(bundle.policy.approveFrom)
                         .arg(bundle.policy.declineBelow));
    m_message->clear();
    m_message->setVisible(false);
    m_reasons->setRowCount(static_cast<int>(result.reasons.size()));
    for (int i = 0; i < static_cast<int>(result.reasons.size()); ++i) {
        const Reason& r = result.reasons[static_cast<std::size_t>(i)];
        const ColumnSpec* spec = bundle.schema.find(r.feature);
        auto* name =
            new QTableWidgetItem(QString::fromStdString(spec ? spec->displayName() : r.feature));
        name->setToolTip(QString::fromStdString(r.feature));
        m_reasons->setItem(i, 0, name);
        auto* text = new QTableWidgetItem(QString::fromStdString(r.text));
        text->setToolTip(text->text());
        m_reasons->setItem(i, 1, text);
        auto* points = new QTableWidgetItem(
            QString::number(bundle.scaling.pointsFromContribution(r.contribution), 'f', 1));
        points->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        points->setToolTip(tr("%1 in log-odds").arg(r.contribution, 0, 'f', 4));
        m_reasons->setItem(i, 2, points);
    }
}

void ScorePanel::showMessage(const QString& title, const QString& detail) {
    m_score->setText(QStringLiteral("—"));
    m_pd->setText(title);
    m_decision->setVisible(false);
    m_bands->clear();
    m_message->setText(detail);
    m_message->setVisible(!detail.isEmpty());
    m_reasons->setRowCount(0);
}

QString ScorePanel::scoreText() const {
    return m_score->text();
}
QString ScorePanel::pdText() const {
    return m_pd->text();
}
QString ScorePanel::decisionText() const {
    return m_decision->isVisibleTo(this) ? m_decision->text() : QString();
}
QString ScorePanel::messageText() const {
    return m_message->text();
}

}  // namespace cwb::ui
