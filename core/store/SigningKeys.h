#pragma once
// Ed25519 signing keys of compliance users (libsodium crypto_sign), for signed model approvals
// (store/Registry.h). The secret key never leaves the store in clear: it is sealed with
// crypto_secretbox under a key derived from the user's password with crypto_pwhash (Argon2id,
// interactive limits, a salt per key), so signing needs that password. A new key pair is made
// when a compliance user is added or first signs in with a password, and on every password
// change (the old secret cannot be reopened after an admin reset); retired pairs keep their
// public key, so earlier approvals still verify.

#include <cstdint>
#include <optional>
#include <string>

#include "common/Result.h"
#include "store/AuditLog.h"
#include "store/Database.h"
#include "store/PasswordHash.h"

namespace cwb::store {

struct SigningKeyInfo {
    std::int64_t id = 0;
    std::string user;
    std::string publicKey;  // hex, 32 bytes
    std::string createdAt;
    bool retired = false;
};

struct Signature {
    std::int64_t keyId = 0;
    std::string signature;  // hex, 64 bytes
};

class SigningKeys {
public:
    SigningKeys(Database& db, AuditLog& audit) : m_db(db), m_audit(audit) {}

    // A new key pair for `user`, sealed with `password`; the user's current pair is retired.
    // Audited; joins the caller's open transaction (or runs in its own).
    Result<SigningKeyInfo> create(const std::string& user, const SecretString& password);
    // The user's current (not retired) key, if any.
    Result<std::optional<SigningKeyInfo>> current(const std::string& user);
    Result<std::optional<SigningKeyInfo>> byId(std::int64_t id);
    // Signs `message` with the user's current key, opened with `password`. Failure when the
    // user has no key or the password does not open it.
    Result<Signature> sign(const std::string& user, const SecretString& password,
                           const std::string& message);

private:
    Result<std::optional<SigningKeyInfo>> findOne(const QString& where, const QVariantList& binds);
    Database& m_db;
    AuditLog& m_audit;
};

// True when signatureHex is a valid Ed25519 signature of message by publicKeyHex.
bool verifySignature(const std::string& publicKeyHex, const std::string& message,
                     const std::string& signatureHex);

}  // namespace cwb::store
