#pragma once
// The Registry view (issue 12): the store's registered models and versions with their stage,
// bundle SHA-256, registrant and approval signature; for the selected version the latest
// validation's checks (figure against threshold, verdict, justification beside a failed one).
// Its buttons act through core's Registry (store/Registry.h), which checks every role itself:
// they are enabled by the signed-in user's roles, and a refused action shows core's message.
// The validation gate and the swap set read whole data files and run on a worker with progress;
// the store is touched on the GUI thread only (it belongs to the thread that opened it).

#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "report/SwapSet.h"
#include "store/Registry.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace cwb::ui {

class JobRunner;
class StoreSession;

class RegistryView : public QWidget {
    Q_OBJECT
public:
    explicit RegistryView(QWidget* parent = nullptr);
    ~RegistryView() override;

    void setStoreSession(StoreSession* session);
    // The bundle open in the window (Register offers it) and its model name (the default name).
    void setOpenModel(const QString& path, const QString& modelName);

    // Lists every version; keeps the selection when it is still there. The number listed.
    Result<std::size_t> refresh();
    bool selectVersion(const QString& name, std::int64_t version);
    std::optional<store::RegistryVersion> selected() const;
    // What core's Registry::show() says of the selected version (null without one).
    const nlohmann::json& shown() const { return m_shown; }

    // The actions, as the buttons run them (after their dialogs). Each returns core's refusal.
    Result<store::RegistryVersion> registerOpenModel(const QString& name);
    // Starts the gate on a worker; validationFinished() follows. False when it cannot start
    // (no selection, refused by role, another job running): statusText() says why.
    bool startValidation(const QString& dataPath, const QString& target, const QString& badValue,
                         const QStringList& protectedColumns);
    Result<nlohmann::json> approve(const store::SecretString& password,
                                   const QString& justification);
    // champion, challenger or retired.
    Result<nlohmann::json> promote(const QString& stage);
    // Scores the file with the champion and the challenger of the selected model's name on a
    // worker; swapSetFinished() follows.
    bool startSwapSet(const QString& dataPath, const QString& target, const QString& badValue);
    const std::optional<ChampionSwapSet>& swapSet() const { return m_swap; }
    bool isBusy() const;
    void cancelJob();

    QTableWidget* versionsTable() const { return m_versions; }
    QTableWidget* checksTable() const { return m_checks; }
    QTableWidget* swapTable() const { return m_swapTable; }
    QString statusText() const;
    QString signatureLabelText() const;

signals:
    void statusMessage(const QString& text);
    // A version was registered, approved, promoted or retired (the production lock may change).
    void registryChanged();
    void validationFinished(bool ok, const QString& message);
    void swapSetFinished(bool ok, const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void storeChanged();
    void selectionChanged();
    void updateButtons();
    void showProblem(const QString& text);
    void showNote(const QString& text);
    void showSwapSet();
    void startJob(const QString& what);
    void endJob();
    // The signed-in actor, or a refusal naming what is missing.
    Result<store::Actor> actorFor(store::Action action) const;
    void askValidation();
    void askApproval();
    void askRegistration();
    void askSwapSet();

    StoreSession* m_session = nullptr;
    QString m_modelPath, m_modelName;
    std::vector<store::RegistryVersion> m_list;
    nlohmann::json m_shown;
    std::optional<ChampionSwapSet> m_swap;
    JobRunner* m_job = nullptr;
    QTableWidget* m_versions = nullptr;
    QTableWidget* m_checks = nullptr;
    QTableWidget* m_swapTable = nullptr;
    QLabel* m_result = nullptr;
    QLabel* m_validation = nullptr;
    QLabel* m_signature = nullptr;
    QLabel* m_swapTitle = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_register = nullptr;
    QPushButton* m_validate = nullptr;
    QPushButton* m_approve = nullptr;
    QPushButton* m_champion = nullptr;
    QPushButton* m_challenger = nullptr;
    QPushButton* m_retire = nullptr;
    QPushButton* m_swapButton = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_cancel = nullptr;
};

}  // namespace cwb::ui
