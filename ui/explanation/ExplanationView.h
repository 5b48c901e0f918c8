#pragma once
// Why an applicant got their score: a waterfall from the base value to the final score (points
// or log-odds), the reason codes with their texts, each characteristic's value beside its
// training range, and a what-if form: change a value and watch the score and reasons move.
// For a declined or referred applicant, "Adverse action notice..." previews the notice
// (core/report/AdverseAction, as `cwb report adverse-action`) before it is saved.

#include <QWidget>

#include <memory>
#include <optional>

#include "scoring/Scorer.h"
#include "ui/applicant/ApplicantForm.h"
#include "ui/explanation/WaterfallData.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTableWidgetItem;

namespace cwb::ui {

class ReportPreviewDialog;
class ScorePanel;
class StoreSession;
class WaterfallChart;

class ExplanationView : public QWidget {
    Q_OBJECT
public:
    explicit ExplanationView(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const ModelBundle> bundle, int reasons);
    // The applicant to explain; the what-if form starts from the same values. `id`: the id
    // column's value when known (personal data: masked on notices by the user's role).
    void setApplicant(const ApplicantValues& values, const QString& name, const QString& id = {});
    // With a store open (decision 36): the notice takes the lender's details from the store,
    // masks the id unless the signed-in user may see personal data, and its export is audited.
    void setStoreSession(StoreSession* session) { m_session = session; }
    // The statement of rights on notices: a text file (the settings); empty: the shipped one.
    void setRightsTemplate(const QString& path) { m_rightsTemplate = path; }
    // The applicant's own values (not the what-if ones), previewed as an adverse action notice;
    // nullptr with a statusMessage when there is none to make (approved, or a store open and
    // nobody signed in).
    ReportPreviewDialog* adverseActionNotice();
    QPushButton* noticeButton() const { return m_notice; }
    void setUnit(WaterfallUnit unit);
    void resetWhatIf();

    ApplicantForm* whatIfForm() const { return m_form; }
    ScorePanel* panel() const { return m_panel; }
    WaterfallChart* waterfall() const { return m_chart; }
    QString baseNoteText() const;
    QTableWidget* characteristicsTable() const { return m_table; }
    const std::optional<ScoreResult>& original() const { return m_original; }
    const std::optional<ScoreResult>& whatIf() const { return m_whatIf; }
    // The Characteristics tab's "Reason text" column is editable: a text typed there is the
    // text for the shown value's level (categorical), or for the range holding the number
    // (numeric; the characteristic's text when no range holds it). It applies at once to the
    // explanation; saveReasonTexts writes the model with the edited texts as a new bundle.
    static constexpr int kReasonColumn = 4;
    bool reasonTextsEdited() const { return m_reasonsEdited; }
    Result<void> saveReasonTexts(const QString& path);
    const ModelBundle* bundle() const { return m_bundle.get(); }

signals:
    void explained();
    void statusMessage(const QString& text);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void recompute();
    // Steps of their own the waterfall can show with readable labels at its current height.
    int waterfallSteps() const;
    void fillTable(const ScoreResult& result, const ApplicantValues& values);
    void onReasonEdited(QTableWidgetItem* item);
    void saveReasonTextsAs();

    std::shared_ptr<const ModelBundle> m_bundle;
    std::unique_ptr<Scorer> m_scorer;
    int m_reasons = 4;
    WaterfallUnit m_unit = WaterfallUnit::Points;
    ApplicantValues m_values;
    QString m_applicantId;
    StoreSession* m_session = nullptr;
    QString m_rightsTemplate;
    std::optional<ScoreResult> m_original;
    std::optional<ScoreResult> m_whatIf;
    QLabel* m_title = nullptr;
    QComboBox* m_unitBox = nullptr;
    QPushButton* m_reset = nullptr;
    QPushButton* m_notice = nullptr;
    ApplicantForm* m_form = nullptr;
    ScorePanel* m_panel = nullptr;
    WaterfallChart* m_chart = nullptr;
    QLabel* m_baseNote = nullptr;
    int m_waterfallSteps = 10;  // what the base bar means, under the chart
    QTableWidget* m_table = nullptr;
    QPushButton* m_saveReasons = nullptr;
    QLabel* m_reasonNote = nullptr;  // why an edited text was not taken
    bool m_reasonsEdited = false;
};

}  // namespace cwb::ui
