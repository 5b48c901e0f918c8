#include "store/Pseudonym.h"

#include <sodium.h>

#include <stdexcept>

namespace cwb::store {

Pseudonymizer::Pseudonymizer(const std::string& keyHex) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    std::size_t length = 0;
    if (sodium_hex2bin(m_key, sizeof m_key, keyHex.data(), keyHex.size(), nullptr, &length,
                       nullptr) != 0 ||
        length != sizeof m_key)
        throw std::runtime_error("the store's pseudonym key is damaged");
}

std::string Pseudonymizer::operator()(std::string_view applicantId) const {
    static_assert(crypto_shorthash_siphashx24_KEYBYTES <= sizeof m_key);
    unsigned char digest[crypto_shorthash_siphashx24_BYTES];
    crypto_shorthash_siphashx24(digest, reinterpret_cast<const unsigned char*>(applicantId.data()),
                                applicantId.size(), m_key);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string("p-") + hex;
}

}  // namespace cwb::store
