#pragma once
// Override… in the Applicant view: the new decision, a reason code from the store's list
// (store setting override_reasons) and a comment. Core checks the role and the values.

#include <QDialog>
#include <QStringList>

class QComboBox;
class QPlainTextEdit;

namespace cwb::ui {

class OverrideDialog : public QDialog {
    Q_OBJECT
public:
    OverrideDialog(qint64 decisionId, const QString& currentDecision, const QStringList& reasons,
                   QWidget* parent = nullptr);

    QString decision() const;
    QString reasonCode() const;
    QString comment() const;
    QComboBox* decisionBox() const { return m_decision; }
    QComboBox* reasonBox() const { return m_reason; }
    QPlainTextEdit* commentField() const { return m_comment; }

private:
    QComboBox* m_decision = nullptr;
    QComboBox* m_reason = nullptr;
    QPlainTextEdit* m_comment = nullptr;
};

}  // namespace cwb::ui
