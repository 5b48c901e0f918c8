#pragma once
// Pseudonyms for applicants: a keyed SipHash-128 (libsodium crypto_shorthash_siphashx24, a
// pseudorandom function made for short inputs, fast enough for every row of a batch) of the
// applicant's id under the store's secret key. Decision records and audit entries carry only
// the pseudonym, never the id or other personal data in clear, so erasing an applicant's
// personal data never has to touch them (or the hash chain). The same id always gives the same
// pseudonym in one store, so a person's records can be found again from their id.

#include <string>
#include <string_view>

namespace cwb::store {

class Pseudonymizer {
public:
    // `keyHex`: the store's 32-byte secret (store_meta.pseudonym_key), in hex.
    explicit Pseudonymizer(const std::string& keyHex);
    std::string operator()(std::string_view applicantId) const;  // "p-" + 32 hex digits

private:
    unsigned char m_key[32] = {};
};

}  // namespace cwb::store
