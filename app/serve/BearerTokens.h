#pragma once
// Bearer tokens for `cwb serve`: read from a file (one per line, '#' comments) or an environment
// variable (separated by commas or white space), never from the command line. Only their SHA-256
// is kept; a presented token is hashed and compared with each in constant time, so neither the
// tokens nor their lengths leak through timing.

#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"

namespace cwb::serve {

inline constexpr std::size_t kMinTokenLength = 16;

class BearerTokens {
public:
    // Tokens from file (when not empty) and from the environment variable (when set); refuses
    // (BadInput) an unreadable file or a token shorter than kMinTokenLength.
    static Result<BearerTokens> load(const std::string& file, const char* environmentVariable);
    static Result<BearerTokens> fromText(std::string_view text, const std::string& source);

    bool empty() const { return m_hashes.empty(); }
    std::size_t size() const { return m_hashes.size(); }
    // True when the Authorization header value is "Bearer <one of the tokens>".
    bool accepts(std::string_view authorizationHeader) const;

private:
    std::vector<std::string> m_hashes;  // hex SHA-256 of each token
};

}  // namespace cwb::serve
