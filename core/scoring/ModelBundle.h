#pragma once
// The model bundle (.cwbm): one self-contained, versioned file holding everything needed to
// score the same way on any machine. Container: an SQLite database (application_id "CWB1")
// with a meta table and named parts, each stored with its SHA-256 and verified at load.
// Format: docs/file-formats.md.

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/Result.h"
#include "data/Schema.h"
#include "explain/ReasonTexts.h"
#include "model/Model.h"
#include "scoring/DecisionPolicy.h"
#include "scoring/ScoreScaling.h"

namespace cwb {

inline constexpr int kBundleFormatVersion = 1;

struct ModelBundle {
    std::string name;  // e.g. "german_credit"
    std::string version = "1";
    Schema schema;  // the model's input schema
    std::shared_ptr<const Model> model;
    ScoreScaling scaling;
    DecisionPolicy policy;
    std::map<std::string, std::string> reasonTexts;  // characteristic -> adverse-action text
    // characteristic -> level or range -> a more specific text (explain/ReasonTexts.h)
    std::map<std::string, ValueTexts> reasonValueTexts;
    nlohmann::json metrics = nlohmann::json::object();  // cross-validation and development results
    nlohmann::json training =
        nlohmann::json::object();  // data fingerprint, rows, seed, creator, time
    // The manifest SHA-256 over every meta row and part (scoring/BundleContainer.h) of the
    // bundle this was loaded from; empty for a bundle not loaded from a file.
    std::string sha256;

    // The plain-language reason text for a characteristic (falls back to its label).
    std::string reasonText(const std::string& feature) const;
    // The most specific text for the characteristic's value as the model sees it (level code
    // or number; explain/ReasonTexts.h), else the characteristic's text.
    std::string reasonText(const std::string& feature, float encodedValue) const;
    // The same for a value as typed (a level, or a number).
    std::string reasonTextOf(const std::string& feature, std::string_view value) const;
};

Result<void> saveBundle(const ModelBundle& bundle, const std::string& path);
// Refuses (BadInput) a file that is not a bundle, a bundle of a newer format version, or one
// that fails any check for hostile files (scoring/BundleContainer.h, model/TreeEnsemble.h):
// the message names the file, the part and the check, and no part reaches XGBoost before
// every check on it passed.
Result<ModelBundle> loadBundle(const std::string& path);
// The same from the bytes of a bundle file in memory (for fuzzing and tests); name stands for
// the file in messages.
Result<ModelBundle> loadBundleFromBytes(std::span<const std::uint8_t> bytes,
                                        const std::string& name = "bundle in memory");

// Summary for `cwb info` and the GUI's model header.
nlohmann::json bundleInfo(const ModelBundle& bundle);

}  // namespace cwb
