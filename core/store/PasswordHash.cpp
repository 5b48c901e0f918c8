#include "store/PasswordHash.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace cwb::store {

namespace {

void ensureSodium() {
    static const int ready = sodium_init();
    if (ready < 0) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

SecretString::SecretString(SecretString&& other) noexcept : m_text(std::move(other.m_text)) {
    other.wipe();
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
    if (this != &other) {
        wipe();
        m_text = std::move(other.m_text);
        other.wipe();
    }
    return *this;
}

SecretString::~SecretString() {
    wipe();
}

void SecretString::wipe() {
    if (!m_text.empty()) sodium_memzero(m_text.data(), m_text.size());
    m_text.clear();
}

Result<void> checkPasswordRules(const SecretString& password) {
    if (password.view().size() < kMinPasswordLength)
        return Error::badInput("the password is too short: at least " +
                               std::to_string(kMinPasswordLength) + " characters");
    if (password.view().size() > kMaxPasswordLength)
        return Error::badInput("the password is too long: at most " +
                               std::to_string(kMaxPasswordLength) + " characters");
    return {};
}

Result<std::string> hashPassword(const SecretString& password) {
    ensureSodium();
    std::vector<char> out(crypto_pwhash_STRBYTES);
    if (crypto_pwhash_str(out.data(), password.view().data(), password.view().size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return Error::failure("hashing the password ran out of memory");
    return std::string(out.data());
}

bool verifyPassword(const std::string& storedHash, const SecretString& password) {
    ensureSodium();
    if (storedHash.empty()) return false;
    return crypto_pwhash_str_verify(storedHash.c_str(), password.view().data(),
                                    password.view().size()) == 0;
}

std::string randomHex(std::size_t bytes) {
    ensureSodium();
    std::vector<unsigned char> buffer(bytes);
    randombytes_buf(buffer.data(), buffer.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), buffer.data(), buffer.size());
    hex.pop_back();
    return hex;
}

}  // namespace cwb::store
