#pragma once
// Password hashing with libsodium's crypto_pwhash (Argon2id, interactive limits). Only the
// encoded hash (algorithm, parameters, salt, digest) is ever stored; clear passwords live in
// memory only as long as a call needs them and are wiped by the caller (SecretString).

#include <string>

#include "common/Result.h"

namespace cwb::store {

// A password in memory, zeroed when destroyed.
class SecretString {
public:
    SecretString() = default;
    explicit SecretString(std::string text) : m_text(std::move(text)) {}
    SecretString(const SecretString&) = delete;
    SecretString& operator=(const SecretString&) = delete;
    SecretString(SecretString&& other) noexcept;
    SecretString& operator=(SecretString&& other) noexcept;
    ~SecretString();
    const std::string& view() const { return m_text; }
    bool empty() const { return m_text.empty(); }

private:
    void wipe();
    std::string m_text;
};

inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// Refuses passwords too short or too long (the message says which).
Result<void> checkPasswordRules(const SecretString& password);
Result<std::string> hashPassword(const SecretString& password);
bool verifyPassword(const std::string& storedHash, const SecretString& password);
// Random bytes as hex (salts, store secrets).
std::string randomHex(std::size_t bytes);

}  // namespace cwb::store
