#include "ui/store/ProductionLock.h"

#include <QObject>

#include "ui/store/StoreSession.h"

namespace cwb::ui {

LockState productionLock(const StoreSession* session, const ModelBundle* loaded, bool ownScaling) {
    LockState state;
    if (!session || !session->isOpen()) return state;
    store::Store* store = session->store();
    auto on = store->settings().requireApproved();
    if (!on) {
        state.on = true;
        state.refusal = QObject::tr("cannot read the production lock setting: %1")
                            .arg(QString::fromStdString(on.error().message));
        return state;
    }
    state.on = *on;
    if (!state.on || !loaded) return state;
    if (ownScaling) {
        state.refusal = QObject::tr(
            "the production lock allows only the approved model's own "
            "score scaling and cutoffs: clear \"Use my own score scaling "
            "and cutoffs\" in File > Settings");
        return state;
    }
    auto check = store->registry().checkApproved(loaded->sha256);
    if (!check)
        state.refusal = QString::fromStdString(check.error().message);
    else if (!check->approved)
        state.refusal =
            QObject::tr("model '%1' has no valid approval: %2")
                .arg(QString::fromStdString(loaded->name), QString::fromStdString(check->reason));
    return state;
}

}  // namespace cwb::ui
