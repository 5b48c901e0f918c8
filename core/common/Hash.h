#pragma once
// SHA-256 helpers (for bundle integrity and training-data fingerprints).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"

namespace cwb {

std::string sha256Hex(const void* data, std::size_t size);
inline std::string sha256Hex(std::string_view text) {
    return sha256Hex(text.data(), text.size());
}
inline std::string sha256Hex(const std::vector<std::uint8_t>& bytes) {
    return sha256Hex(bytes.data(), bytes.size());
}
// Hash of a whole file, read in blocks.
Result<std::string> sha256OfFile(const std::string& path);

}  // namespace cwb
