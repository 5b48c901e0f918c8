#pragma once
// Nesting limits for JSON from untrusted files (bundles, imported models, records). nlohmann's
// DOM copy and UBJSON reader, and XGBoost's JSON reader, recurse once per level: a document
// nested a million levels deep overflows the stack. These checks walk the bytes without
// recursion (nlohmann's SAX interface stops at the first level too deep), so a caller checks
// first and only then hands the bytes to a recursive parser.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "common/Result.h"

namespace cwb {

// Deep enough for every document the workbench writes or reads (XGBoost models nest 7 levels).
inline constexpr std::size_t kMaxJsonDepth = 64;

// JSON text: counts brackets outside strings, so it also accepts the bare NaN and Infinity
// tokens XGBoost writes. Syntax is left to the parser. BadInput names the depth reached.
Result<void> checkJsonTextDepth(std::span<const std::uint8_t> text,
                                std::size_t maxDepth = kMaxJsonDepth);
Result<void> checkJsonTextDepth(const std::string& text, std::size_t maxDepth = kMaxJsonDepth);
// UBJSON (XGBoost's "ubj" format): stops at the first container deeper than maxDepth.
Result<void> checkUbjsonDepth(std::span<const std::uint8_t> bytes,
                              std::size_t maxDepth = kMaxJsonDepth);

}  // namespace cwb
