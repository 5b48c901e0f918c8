#include "store/SigningKeys.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace cwb::store {

namespace {

void ensureSodium() {
    static const int ready = sodium_init();
    if (ready < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string toHex(const unsigned char* data, std::size_t size) {
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), data, size);
    hex.pop_back();
    return hex;
}

// Exactly `size` bytes from hex, else nothing.
std::optional<std::vector<unsigned char>> fromHex(const std::string& hex, std::size_t size) {
    if (hex.size() != size * 2) return std::nullopt;
    std::vector<unsigned char> out(size);
    std::size_t written = 0;
    if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written,
                       nullptr) != 0 ||
        written != size)
        return std::nullopt;
    return out;
}

// Wipes a buffer of secrets when it goes out of scope.
struct SecretBytes {
    explicit SecretBytes(std::size_t size) : bytes(size) {}
    ~SecretBytes() { sodium_memzero(bytes.data(), bytes.size()); }
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    std::vector<unsigned char> bytes;
};

Result<void> deriveKey(const SecretString& password, const unsigned char* salt, SecretBytes& key) {
    if (crypto_pwhash(key.bytes.data(), key.bytes.size(), password.view().data(),
                      password.view().size(), salt, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                      crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return Error::failure("deriving the key that seals the signing key ran out of memory");
    return {};
}

}  // namespace

Result<SigningKeyInfo> SigningKeys::create(const std::string& user, const SecretString& password) {
    ensureSodium();
    unsigned char publicKey[crypto_sign_PUBLICKEYBYTES];
    SecretBytes secretKey(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(publicKey, secretKey.bytes.data());
    unsigned char salt[crypto_pwhash_SALTBYTES];
    unsigned char nonce[crypto_secretbox_NONCEBYTES];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    SecretBytes sealingKey(crypto_secretbox_KEYBYTES);
    if (auto r = deriveKey(password, salt, sealingKey); !r) return r.error();
    std::vector<unsigned char> sealed(crypto_secretbox_MACBYTES + secretKey.bytes.size());
    crypto_secretbox_easy(sealed.data(), secretKey.bytes.data(), secretKey.bytes.size(), nonce,
                          sealingKey.bytes.data());

    const bool own = !m_db.inTransaction();
    Transaction tx(m_db);
    if (own)
        if (auto r = tx.begin(); !r) return r.error();
    const QString now = QString::fromStdString(utcNow());
    auto retire = m_db.run(
        "UPDATE signing_keys SET retired_at = ? WHERE user_name = ? AND retired_at IS NULL",
        {now, QString::fromStdString(user)});
    if (!retire) return retire.error();
    const std::string publicHex = toHex(publicKey, sizeof publicKey);
    auto ins = m_db.run(
        "INSERT INTO signing_keys (user_name, public_key, sealed_secret_key, salt, nonce, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        {QString::fromStdString(user), QString::fromStdString(publicHex),
         QString::fromStdString(toHex(sealed.data(), sealed.size())),
         QString::fromStdString(toHex(salt, sizeof salt)),
         QString::fromStdString(toHex(nonce, sizeof nonce)), now});
    if (!ins) return ins.error();
    if (!ins->next()) return Error::failure("store: inserting a signing key returned no id");
    SigningKeyInfo info{ins->value(0).toLongLong(), user, publicHex, now.toStdString(), false};
    ins->finish();
    if (auto a = m_audit.append(user, "signing_key_created",
                                {{"user", user}, {"key_id", info.id}, {"public_key", publicHex}});
        !a)
        return a.error();
    if (own)
        if (auto r = tx.commit(); !r) return r.error();
    return info;
}

Result<std::optional<SigningKeyInfo>> SigningKeys::findOne(const QString& where,
                                                           const QVariantList& binds) {
    auto q = m_db.run(
        "SELECT id, user_name, public_key, created_at, retired_at FROM signing_keys WHERE " +
            where + " ORDER BY id DESC",
        binds);
    if (!q) return q.error();
    if (!q->next()) return std::optional<SigningKeyInfo>();
    SigningKeyInfo info{q->value(0).toLongLong(), q->value(1).toString().toStdString(),
                        q->value(2).toString().toStdString(), q->value(3).toString().toStdString(),
                        !q->value(4).isNull()};
    q->finish();
    return std::optional<SigningKeyInfo>(info);
}

Result<std::optional<SigningKeyInfo>> SigningKeys::current(const std::string& user) {
    return findOne("user_name = ? AND retired_at IS NULL", {QString::fromStdString(user)});
}

Result<std::optional<SigningKeyInfo>> SigningKeys::byId(std::int64_t id) {
    return findOne("id = ?", {QVariant::fromValue<qlonglong>(id)});
}

Result<Signature> SigningKeys::sign(const std::string& user, const SecretString& password,
                                    const std::string& message) {
    ensureSodium();
    auto q = m_db.run(
        "SELECT id, sealed_secret_key, salt, nonce FROM signing_keys WHERE user_name = ? AND "
        "retired_at IS NULL ORDER BY id DESC",
        {QString::fromStdString(user)});
    if (!q) return q.error();
    if (!q->next())
        return Error::failure("'" + user +
                              "' has no signing key yet: it is made when a compliance user signs "
                              "in with a password or changes it");
    const std::int64_t id = q->value(0).toLongLong();
    const auto sealed = fromHex(q->value(1).toString().toStdString(),
                                crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES);
    const auto salt = fromHex(q->value(2).toString().toStdString(), crypto_pwhash_SALTBYTES);
    const auto nonce = fromHex(q->value(3).toString().toStdString(), crypto_secretbox_NONCEBYTES);
    q->finish();
    if (!sealed || !salt || !nonce)
        return Error::failure("the signing key of '" + user + "' is damaged in the store");
    SecretBytes sealingKey(crypto_secretbox_KEYBYTES);
    if (auto r = deriveKey(password, salt->data(), sealingKey); !r) return r.error();
    SecretBytes secretKey(crypto_sign_SECRETKEYBYTES);
    if (crypto_secretbox_open_easy(secretKey.bytes.data(), sealed->data(), sealed->size(),
                                   nonce->data(), sealingKey.bytes.data()) != 0)
        return Error::failure("the password does not open the signing key of '" + user + "'");
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), secretKey.bytes.data());
    return Signature{id, toHex(signature, sizeof signature)};
}

bool verifySignature(const std::string& publicKeyHex, const std::string& message,
                     const std::string& signatureHex) {
    ensureSodium();
    const auto key = fromHex(publicKeyHex, crypto_sign_PUBLICKEYBYTES);
    const auto signature = fromHex(signatureHex, crypto_sign_BYTES);
    if (!key || !signature) return false;
    return crypto_sign_verify_detached(signature->data(),
                                       reinterpret_cast<const unsigned char*>(message.data()),
                                       message.size(), key->data()) == 0;
}

}  // namespace cwb::store
