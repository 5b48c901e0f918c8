#pragma once
// The GUI's connection to the workbench store (issue 11) and the user signed in to it. The
// store enforces every permission itself (store/Roles.h); this object only holds who is acting,
// so that a view passes the right Actor to core and shows core's refusal when there is one.
// Without an open store or a signed-in user the analyst views work as before.

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

#include "common/Result.h"
#include "store/Store.h"

namespace cwb::ui {

class StoreSession : public QObject {
    Q_OBJECT
public:
    explicit StoreSession(QObject* parent = nullptr);
    ~StoreSession() override;

    // CWB_STORE when set (as for cwb), else the path from the settings.
    static QString resolvePath(const QString& settingsPath);

    // Opens the store at `path`, creating the single-user desktop store (the OS user its only
    // user, every role, no password) when there is no file yet. A postgresql:// address opens
    // the team store (never created here; the password from PGPASSWORD, ~/.pgpass or the
    // prompt StorePasswordDialog installs). Signs out of a store open before.
    Result<void> open(const QString& path);
    void close();
    bool isOpen() const { return m_store != nullptr; }
    QString path() const;
    store::Store* store() const { return m_store.get(); }

    // True for the single-user desktop store: one user, without a password. Its sign-in needs
    // no dialog.
    bool isSingleUserStore() const;
    // Checks the password with core (which counts and audits failures and locks the account
    // after five); `password` null is the single-user desktop login.
    Result<void> signIn(const QString& name, const store::SecretString* password);
    // Signs the only user of a single-user desktop store in; false for any other store.
    bool signInSingleUser();
    // Audited as "logout".
    void signOut();
    bool signedIn() const { return m_actor.has_value(); }
    const std::optional<store::Actor>& actor() const { return m_actor; }
    // "ann (analyst, loan_officer)", or "not signed in".
    QString describe() const;

    // Core's check for `action` (the error names the role it needs), or "sign in first".
    Result<void> require(store::Action action) const;

signals:
    // The store was opened or closed, or a user signed in or out.
    void changed();

private:
    std::unique_ptr<store::Store> m_store;
    std::optional<store::Actor> m_actor;
};

}  // namespace cwb::ui
