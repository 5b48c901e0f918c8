#pragma once
// The settings dialog: pushgateway URL, store location, score scaling and decision cutoffs
// (optionally replacing each model's own), batch threads and reason codes; and the store's
// production lock, read-only for users who are not admins.

#include <QDialog>

#include "ui/common/AppSettings.h"

class QCheckBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace cwb::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    // model: the loaded model, whose own scaling is offered as the starting point (may be null).
    SettingsDialog(const AppSettings& settings, const ModelBundle* model,
                   QWidget* parent = nullptr);

    AppSettings settings() const;
    // Empty when the values are consistent, else what to fix.
    QString validationError() const;

    // The store's production lock (require_approved): its value, whether this user may change
    // it (admins) and a line saying whose setting it is.
    void setProductionLock(bool on, bool editable, const QString& note);
    bool requireApproved() const;
    QCheckBox* requireApprovedBox() const { return m_requireApproved; }

    void accept() override;

private:
    void chooseStore();
    void chooseRightsTemplate();
    void useModelValues();
    void refreshExample();

    const ModelBundle* m_model;
    QLineEdit* m_pushgateway = nullptr;
    QSpinBox* m_pushInterval = nullptr;
    QSpinBox* m_pushTimeout = nullptr;
    QLineEdit* m_store = nullptr;
    QLineEdit* m_rights = nullptr;
    QGroupBox* m_override = nullptr;
    QDoubleSpinBox* m_basePoints = nullptr;
    QDoubleSpinBox* m_baseOdds = nullptr;
    QDoubleSpinBox* m_pdo = nullptr;
    QDoubleSpinBox* m_approveFrom = nullptr;
    QDoubleSpinBox* m_declineBelow = nullptr;
    QLabel* m_example = nullptr;
    QSpinBox* m_threads = nullptr;
    QSpinBox* m_reasons = nullptr;
    QLabel* m_error = nullptr;
    QCheckBox* m_requireApproved = nullptr;
    QLabel* m_lockNote = nullptr;
};

}  // namespace cwb::ui
