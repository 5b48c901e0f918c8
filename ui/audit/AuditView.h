#pragma once
// The Audit view (issue 11), for compliance staff and admins: the store's hash-chained audit
// trail in a table, filtered by user, event and date; Verify chain shows plainly whether the
// chain is intact or which entry is the first broken one; Export CSV writes the filtered entries.
// Core decides who may read the trail (store::Action::ReadAudit); a refusal is shown as is.

#include <QWidget>

#include "common/Result.h"
#include "store/AuditLog.h"

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace cwb::ui {

class AuditTableModel;
class ReportPreviewDialog;
class StoreSession;

class AuditView : public QWidget {
    Q_OBJECT
public:
    explicit AuditView(QWidget* parent = nullptr);

    void setStoreSession(StoreSession* session);
    AuditTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }

    // The filter from the fields (empty fields: any; dates are UTC days, both inclusive).
    void setFilter(const QString& user, const QString& event, const QDate& from = {},
                   const QDate& to = {});
    store::AuditFilter filter() const;
    // Reads the entries that pass the filter; the number shown.
    Result<std::size_t> refresh();
    // Core's check of the whole chain; the first broken entry is marked in the table.
    Result<store::ChainCheck> verifyChain();
    // The filtered entries as CSV (seq,at,user,event,details,prev_hash,hash), audited as
    // audit_exported like `cwb audit export`.
    Result<std::size_t> exportCsv(const QString& path);
    // The audit extract (store/AuditReport, as `cwb report audit`) of the filtered entries
    // with the whole chain's verification, made on a worker with a store connection of its
    // own and previewed; saving it is audited as report_exported. nullptr when refused.
    ReportPreviewDialog* exportReport();
    // What the view says about the last refresh, verification or refusal.
    QString statusText() const;

signals:
    void statusMessage(const QString& text);

protected:
    // Coming back to the view lists what was recorded meanwhile.
    void showEvent(QShowEvent* event) override;

private:
    void showProblem(const QString& text);
    void storeChanged();

    StoreSession* m_session = nullptr;
    AuditTableModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QLineEdit* m_user = nullptr;
    QComboBox* m_event = nullptr;
    QCheckBox* m_useFrom = nullptr;
    QCheckBox* m_useTo = nullptr;
    QDateEdit* m_from = nullptr;
    QDateEdit* m_to = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_verify = nullptr;
    QPushButton* m_export = nullptr;
    QPushButton* m_report = nullptr;
    QLabel* m_result = nullptr;
};

}  // namespace cwb::ui
