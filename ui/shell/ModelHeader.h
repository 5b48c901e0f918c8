#pragma once
// The strip at the top of the main window: which model is active (name, version, algorithm,
// AUC) and a picker of recently used models, so the active model is always in sight.

#include <QWidget>

#include "scoring/ModelBundle.h"

class QComboBox;
class QLabel;
class QToolButton;

namespace cwb::ui {

class ModelHeader : public QWidget {
    Q_OBJECT
public:
    explicit ModelHeader(QWidget* parent = nullptr);

    // Shows the bundle (nullptr: no model) loaded from path.
    void setModel(const ModelBundle* bundle, const QString& path);
    // Fills the picker with these model files; the current path is selected.
    void setRecentModels(const QStringList& paths);
    QString summaryText() const;
    // The policy version in force for the active model (cutoffs and scaling), e.g. "policy v2:
    // approve from 560, decline below 500 (settings, alice, 2026-12-05 08:01)"; empty hides it.
    void setPolicyText(const QString& text, const QString& toolTip = {});
    QString policyText() const;
    QComboBox* picker() const { return m_picker; }

signals:
    void modelPicked(const QString& path);
    void browseRequested();

private:
    QLabel* m_summary = nullptr;
    QLabel* m_policy = nullptr;
    QComboBox* m_picker = nullptr;
    QToolButton* m_browse = nullptr;
    QString m_path;
};

}  // namespace cwb::ui
