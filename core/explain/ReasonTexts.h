#pragma once
// Reason texts per level or bin. An adverse action notice must say what counted against the
// applicant ("Checking account balance below 0 DM"), not only name the topic ("Status of
// existing checking account"). A characteristic may hold, besides its own text, a text per
// level (categorical) or per range of values (numeric); the most specific one is used.
// Stored in the bundle's reasons.json (docs/file-formats.md).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "common/Result.h"
#include "data/Schema.h"

namespace cwb {

// Key -> text. Keys are levels of a categorical characteristic, or ranges of a numeric one
// written "LO..HI" (LO <= x < HI; either end may be left out: "..12", "48..").
using ValueTexts = std::map<std::string, std::string>;

// Bounds for untrusted bundles: a text is one or two sentences on a notice.
inline constexpr std::size_t kMaxReasonTextBytes = 1000;
inline constexpr std::size_t kMaxValueTextsPerCharacteristic = 1000;

struct ValueRange {
    double lo;  // -infinity when open
    double hi;  // +infinity when open
    bool contains(double x) const { return x >= lo && x < hi; }
};
// A range key; nullopt when it is not one (or empty: LO >= HI, or both ends open).
std::optional<ValueRange> parseValueRange(std::string_view key);

// Checks a characteristic's value texts (BadInput naming the key): every key a level of a
// categorical characteristic or a range of a numeric one, ranges not overlapping, texts
// non-empty and at most kMaxReasonTextBytes, at most kMaxValueTextsPerCharacteristic keys.
Result<void> checkValueTexts(const ColumnSpec& spec, const ValueTexts& texts);
// Checks one text (non-empty, bounded); `what` names it in the message.
Result<void> checkReasonText(const std::string& text, const std::string& what);

// The text for a value as the model sees it (a level code, or the number; NaN = missing), or
// nullptr when no text is more specific than the characteristic's.
const std::string* valueText(const ColumnSpec& spec, const ValueTexts& texts, float encoded);
// The same for a value as typed (a level, or a number with a '.' decimal point).
const std::string* valueTextOf(const ColumnSpec& spec, const ValueTexts& texts,
                               std::string_view value);

struct ReasonTextTable {
    std::map<std::string, std::string> texts;      // characteristic -> text
    std::map<std::string, ValueTexts> valueTexts;  // characteristic -> level or range -> text
};

// reasons.json: {"feature": "text", ...}, or per feature an object {"text": "...",
// "values": {"level or LO..HI": "text"}} where value texts exist.
nlohmann::json reasonsToJson(const ReasonTextTable& table);
// Refuses (BadInput) anything but those shapes, and texts or keys failing the checks above;
// value texts must belong to a characteristic of the schema.
Result<ReasonTextTable> reasonsFromJson(const nlohmann::json& json, const Schema& schema);

}  // namespace cwb
