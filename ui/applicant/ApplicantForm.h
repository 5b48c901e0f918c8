#pragma once
// An applicant entry form generated from a model's schema: one editor per characteristic.
// Numeric characteristics get a validated line edit with the training range beside it;
// categorical ones a combo box with readable labels. Empty means missing, which is offered
// only where the model allows it.

#include <QString>
#include <QStringList>
#include <QWidget>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "data/Schema.h"

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace cwb {
struct ModelBundle;
}

namespace cwb::ui {

// The features a bundle's model leaves out (none without a bundle), for setSchema.
std::set<std::string> unusedFeatures(const ModelBundle* bundle);

using ApplicantValues = std::map<std::string, std::string>;

class ApplicantForm : public QWidget {
    Q_OBJECT
public:
    explicit ApplicantForm(QWidget* parent = nullptr);

    // Rebuilds the editors for the schema's features (in schema order), all empty. Features
    // named in `unused` have no effect on the score: their editors are shown disabled, marked
    // "not used by this model", and never required.
    void setSchema(const Schema& schema, const std::set<std::string>& unused = {});
    bool isUsed(const QString& column) const;
    // Values of the characteristics that are filled in and valid, by column name.
    ApplicantValues values() const;
    // Fills the editors; columns the schema does not use are ignored, missing tokens clear.
    void setValues(const ApplicantValues& values);
    // Labels of required characteristics still empty, of numbers that do not parse and of
    // numbers outside the valid range (each also shown at its field).
    QStringList incompleteFields() const;
    void clear();
    // The editor of a characteristic (QLineEdit or QComboBox), for focus and tests.
    QWidget* editor(const QString& column) const;
    // Marks the characteristics whose value differs from these (what-if comparisons).
    void setComparison(const ApplicantValues& reference);
    // Shows or hides the training ranges beside the editors (a narrow pane may hide them).
    void setHintsVisible(bool visible);
    // Shows why the model refused a characteristic's value at its field (the scorer's reason),
    // until the next call; an empty column clears every such refusal.
    void setRefusal(const QString& column, const QString& reason);
    // The error shown at a characteristic's field (empty when none), for tests.
    QString fieldError(const QString& column) const;

signals:
    void valuesChanged();

private:
    struct Field {
        ColumnSpec spec;
        QLineEdit* edit = nullptr;
        QComboBox* combo = nullptr;
        QLabel* label = nullptr;
        QLabel* hint = nullptr;
        QLabel* error = nullptr;  // below the editor: what is wrong with this value
        QString tip;              // the editor's tooltip without an error
        QString refusal;          // the scorer's reason for refusing this value
        bool touched = false;     // edited or filled: an empty required field is then an error
        bool used = true;
    };
    void refreshHint(Field& field);
    // The field's own error: not a number, outside the valid range, required but empty (once
    // touched), or the scorer's refusal. Shown in the error label, tooltip and a red frame.
    QString errorOf(const Field& field) const;
    void refreshError(Field& field);
    void refreshMarks();
    std::string fieldValue(const Field& field, bool* valid) const;
    void onEdited();

    QFormLayout* m_layout = nullptr;
    std::vector<Field> m_fields;
    ApplicantValues m_reference;
    bool m_compare = false;
    bool m_filling = false;
    bool m_hints = true;
};

}  // namespace cwb::ui
