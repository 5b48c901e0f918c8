#include "BearerTokens.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/Hash.h"

namespace cwb::serve {

namespace {

bool isSeparator(char c) {
    return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Constant time for equal lengths (hex SHA-256 strings always are).
bool sameHash(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace

Result<BearerTokens> BearerTokens::fromText(std::string_view text, const std::string& source) {
    BearerTokens tokens;
    std::size_t pos = 0;
    int line = 1;
    while (pos < text.size()) {
        if (text[pos] == '\n') ++line;
        if (text[pos] == '#') {  // a comment runs to the end of the line
            while (pos < text.size() && text[pos] != '\n')
                ++pos;
            continue;
        }
        if (isSeparator(text[pos])) {
            ++pos;
            continue;
        }
        const std::size_t start = pos;
        while (pos < text.size() && !isSeparator(text[pos]))
            ++pos;
        const std::string_view token = text.substr(start, pos - start);
        if (token.size() < kMinTokenLength)
            return Error::badInput(source + ": token on line " + std::to_string(line) +
                                   " is shorter than " + std::to_string(kMinTokenLength) +
                                   " characters");
        tokens.m_hashes.push_back(sha256Hex(token));
    }
    return tokens;
}

Result<BearerTokens> BearerTokens::load(const std::string& file, const char* environmentVariable) {
    BearerTokens tokens;
    if (!file.empty()) {
        std::ifstream in(file, std::ios::binary);
        if (!in) return Error::badInput("token file '" + file + "' cannot be read");
        std::ostringstream text;
        text << in.rdbuf();
        if (text.str().size() > (1u << 20))
            return Error::badInput("token file '" + file + "' is larger than 1 MiB");
        auto fromFile = fromText(text.str(), "token file '" + file + "'");
        if (!fromFile) return fromFile.error();
        tokens = std::move(*fromFile);
    }
    if (const char* value = environmentVariable ? std::getenv(environmentVariable) : nullptr) {
        auto fromEnvironment = fromText(value, std::string(environmentVariable));
        if (!fromEnvironment) return fromEnvironment.error();
        for (std::string& hash : fromEnvironment->m_hashes)
            tokens.m_hashes.push_back(std::move(hash));
    }
    return tokens;
}

bool BearerTokens::accepts(std::string_view header) const {
    constexpr std::string_view scheme = "Bearer ";
    if (header.size() <= scheme.size() || header.substr(0, scheme.size()) != scheme) return false;
    const std::string hash = sha256Hex(header.substr(scheme.size()));
    bool found = false;
    for (const std::string& known : m_hashes)
        found |= sameHash(hash, known);  // no early exit
    return found;
}

}  // namespace cwb::serve
