#pragma once
// The production lock (issue 12): the store setting require_approved, which only an admin
// changes (core audits it). While it is on, the GUI scores and explains only with a bundle that
// carries a valid approval signature from a current compliance user: the same check as
// `cwb score --require-approved` (store::Registry::checkApproved over the bundle's manifest
// SHA-256). The user's own score scaling and cutoffs (File > Settings) would change what the
// approved model decides, so they are refused too while the lock is on.

#include <QString>

#include "scoring/ModelBundle.h"

namespace cwb::ui {

class StoreSession;

struct LockState {
    bool on = false;  // the store's require_approved
    QString refusal;  // why the open model may not score; empty when it may
};

// Without an open store nothing is locked (the setting lives in the store). A setting that
// cannot be read locks: the check fails closed.
LockState productionLock(const StoreSession* session, const ModelBundle* loaded, bool ownScaling);

}  // namespace cwb::ui
