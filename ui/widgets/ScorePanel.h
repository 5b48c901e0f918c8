#pragma once
// The outcome of scoring one applicant: score, PD, decision band and the top reasons with their
// texts; or a message saying what is missing or why the model refuses the input.

#include <QWidget>

#include "scoring/Scorer.h"

class QLabel;
class QTableWidget;

namespace cwb::ui {

class ScorePanel : public QWidget {
    Q_OBJECT
public:
    explicit ScorePanel(QWidget* parent = nullptr);

    // comparedTo: another result (the applicant as entered) shown as a difference, for what-if.
    void showResult(const ScoreResult& result, const ModelBundle& bundle,
                    const ScoreResult* comparedTo = nullptr);
    void showMessage(const QString& title, const QString& detail);

    QString scoreText() const;
    QString pdText() const;
    QString decisionText() const;
    QString messageText() const;
    QTableWidget* reasonsTable() const { return m_reasons; }

private:
    QLabel* m_score = nullptr;
    QLabel* m_pd = nullptr;
    QLabel* m_decision = nullptr;
    QLabel* m_bands = nullptr;
    QLabel* m_message = nullptr;
    QTableWidget* m_reasons = nullptr;
};

// Colours of the decision bands, shared by the panels and charts.
QColor decisionColor(Decision decision);
QString decisionLabel(Decision decision);

}  // namespace cwb::ui
