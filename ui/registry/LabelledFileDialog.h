#pragma once
// Asks for a labelled data file and how to read its labels: for the Registry view's Validate
// (with protected columns) and Swap set (without). Empty target and bad value mean the model's
// own; the file itself is read and checked by core, on a worker, after the dialog closes.

#include <QDialog>
#include <QString>
#include <QStringList>

class QLabel;
class QLineEdit;

namespace cwb::ui {

class LabelledFileDialog : public QDialog {
    Q_OBJECT
public:
    LabelledFileDialog(const QString& title, bool askProtected, QWidget* parent = nullptr);

    QString dataPath() const;
    QString target() const;
    QString badValue() const;
    // The extra protected columns, split at commas, blanks dropped.
    QStringList protectedColumns() const;

    void accept() override;

private:
    void chooseFile();

    QLineEdit* m_file = nullptr;
    QLineEdit* m_target = nullptr;
    QLineEdit* m_bad = nullptr;
    QLineEdit* m_protected = nullptr;
    QLabel* m_error = nullptr;
};

}  // namespace cwb::ui
