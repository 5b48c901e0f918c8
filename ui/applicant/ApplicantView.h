#pragma once
// Scoring one applicant: the form generated from the model's schema on the left, the score,
// PD, decision band and top reasons on the right, updated as fields change. An applicant can
// be loaded from a row of a CSV file.

#include <QWidget>

#include <memory>
#include <optional>

#include "scoring/Scorer.h"
#include "ui/applicant/ApplicantForm.h"

class QLabel;
class QPushButton;

namespace cwb::ui {

class GuiMetrics;
class JobRunner;
class ScorePanel;

class ApplicantView : public QWidget {
    Q_OBJECT
public:
    explicit ApplicantView(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const ModelBundle> bundle, int reasons);
    // Where deliberately recorded scores go (cwb_scores_total, cwb_score_duration_seconds);
    // may be null.
    void setMetrics(GuiMetrics* metrics) { m_metrics = metrics; }
    ApplicantForm* form() const { return m_form; }
    ScorePanel* panel() const { return m_panel; }
    // The last complete score, if the form holds a scoreable applicant.
    const std::optional<ScoreResult>& result() const { return m_result; }
    ApplicantValues values() const { return m_form->values(); }
    // A short name for the applicant: its id when loaded from a file, else "new applicant".
    QString applicantName() const;

    // Reads data row `row` (1-based) of a CSV file on a worker thread and fills the form;
    // loaded() tells how it went.
    void loadFromFile(const QString& path, long row);
    void chooseFileRow();
    void clear();
    // Counts the applicant on the form as scored (the Record score button, Ctrl+Return): the
    // live preview that follows each keystroke is not counted, so the metrics count applicants,
    // not keystrokes. False when there is no complete score or it was recorded already.
    bool recordScore();
    bool canRecord() const;

signals:
    void scored();
    void loaded(bool ok, const QString& message);
    void explainRequested();
    void statusMessage(const QString& text);

private:
    void rescore();

    std::shared_ptr<const ModelBundle> m_bundle;
    std::unique_ptr<Scorer> m_scorer;
    int m_reasons = 4;
    std::optional<ScoreResult> m_result;
    double m_resultSeconds = 0;  // time taken by the score in m_result
    bool m_recorded = false;     // m_result was counted in the metrics already
    QString m_name;
    ApplicantForm* m_form = nullptr;
    ScorePanel* m_panel = nullptr;
    QLabel* m_source = nullptr;
    QPushButton* m_explain = nullptr;
    QPushButton* m_record = nullptr;
    JobRunner* m_loader = nullptr;
    GuiMetrics* m_metrics = nullptr;
};

}  // namespace cwb::ui
