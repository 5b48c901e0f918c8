#pragma once
// Scoring one applicant: the form generated from the model's schema on the left, the score,
// PD, decision band and top reasons on the right, updated as fields change. An applicant can
// be loaded from a row of a CSV file.

#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>

#include "common/Result.h"
#include "scoring/Scorer.h"
#include "ui/applicant/ApplicantForm.h"

class QLabel;
class QPushButton;

namespace cwb::ui {

class GuiMetrics;
class JobRunner;
class ScorePanel;
class StoreSession;

class ApplicantView : public QWidget {
    Q_OBJECT
public:
    explicit ApplicantView(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const ModelBundle> bundle, int reasons);
    // Where deliberately recorded scores go (cwb_scores_total, cwb_score_duration_seconds);
    // may be null.
    void setMetrics(GuiMetrics* metrics) { m_metrics = metrics; }
    // The store the Record decision and Override actions write to (issue 11); may be null.
    void setStoreSession(StoreSession* session);
    // The model's file: a recorded decision names its SHA-256.
    void setModelFile(const QString& path) { m_modelFile = path; }
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

    // Record decision: the applicant on the form, scored, as a decision in the store, by the
    // signed-in user (core refuses roles other than analyst and loan officer). `applicantId`
    // empty: the id loaded from the file. Returns the decision's id.
    Result<std::int64_t> recordDecision(const QString& applicantId = {});
    // Override of the decision recorded last for this applicant (loan officers, in core).
    Result<std::int64_t> overrideDecision(const QString& newDecision, const QString& reasonCode,
                                          const QString& comment);
    // The decision recorded last for the applicant on the form, 0 when none.
    std::int64_t lastDecisionId() const { return m_lastDecision; }
    // The id of the applicant loaded from a file, empty for one typed in.
    QString applicantId() const { return m_applicantId; }

signals:
    void scored();
    void loaded(bool ok, const QString& message);
    void explainRequested();
    void statusMessage(const QString& text);

private:
    void rescore();
    void refreshStoreActions();
    // The buttons' interactive versions: ask what is missing, show core's refusal.
    void recordDecisionAsked();
    void overrideAsked();

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
    StoreSession* m_session = nullptr;
    QString m_modelFile;
    QString m_applicantId;
    std::int64_t m_lastDecision = 0;
    QString m_lastDecisionValue;
    QPushButton* m_recordDecision = nullptr;
    QPushButton* m_override = nullptr;
};

}  // namespace cwb::ui
