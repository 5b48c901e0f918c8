#include "model/XgbTreeModel.h"
#include "model/TreeShap.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "common/JsonLimits.h"
#include "model/TreeModel.h"

namespace cwb {

// ---- Checking model bytes ---------------------------------------------------------------------

namespace {

struct JsonText {
    std::string compact;    // for XGBoost: white space outside strings removed
    std::string checkable;  // for nlohmann::json: the same with NaN and infinities as null
};

// XGBoost writes NaN and +-Infinity as bare words (categorical split conditions hold NaN), which
// strict JSON parsers refuse; and XGBoost 1.7 only recognises JSON that starts with '{"'.
JsonText scanJsonText(const std::uint8_t* begin, const std::uint8_t* end) {
    static const std::string_view words[] = {"-Infinity", "Infinity", "-NaN", "NaN"};
    JsonText out;
    out.compact.reserve(static_cast<std::size_t>(end - begin));
    out.checkable.reserve(static_cast<std::size_t>(end - begin));
    bool inString = false, escaped = false;
    for (const std::uint8_t* p = begin; p < end; ++p) {
        const char c = static_cast<char>(*p);
        if (!inString) {
            if (std::isspace(*p)) continue;
            const std::string_view rest(reinterpret_cast<const char*>(p),
                                        static_cast<std::size_t>(end - p));
            const auto word = std::find_if(std::begin(words), std::end(words),
                                           [&](std::string_view w) { return rest.starts_with(w); });
            if (word != std::end(words)) {
                out.compact += *word;
                out.checkable += "null";
                p += word->size() - 1;
                continue;
            }
            inString = c == '"';
        } else if (escaped) {
            escaped = false;
        } else if (c == '\\') {
            escaped = true;
        } else if (c == '"') {
            inString = false;
        }
        out.compact += c;
        out.checkable += c;
    }
    return out;
}

}  // namespace

Result<XgboostDocument> parseXgboostDocument(const std::vector<std::uint8_t>& bytes) {
    std::size_t start = 0;
    if (bytes.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) start = 3;
    while (start < bytes.size() && std::isspace(bytes[start]))
        ++start;
    if (start >= bytes.size() || bytes[start] != '{') {
        return Error::badInput(
            "not an XGBoost model: expected an XGBoost JSON or UBJSON model, which begins "
            "with '{'");
    }
    XgboostDocument out;
    // XGBoost tells the encodings apart the same way: after '{' UBJSON has a length marker (a
    // letter), JSON text a quote or white space.
    out.ubjson = start + 1 < bytes.size() && std::isalpha(bytes[start + 1]);
    // nlohmann's UBJSON reader and DOM copy recurse once per level, as XGBoost's readers do.
    const std::span<const std::uint8_t> body(bytes.data() + start, bytes.size() - start);
    if (auto deep = out.ubjson ? checkUbjsonDepth(body) : checkJsonTextDepth(body); !deep)
        return Error::badInput("not an XGBoost model: " + deep.error().message);
    try {
        if (out.ubjson) {
            out.document =
                nlohmann::json::from_ubjson(bytes.begin() + std::ptrdiff_t(start), bytes.end());
            out.loadable.assign(bytes.begin() + std::ptrdiff_t(start), bytes.end());
        } else {
            const JsonText text = scanJsonText(bytes.data() + start, bytes.data() + bytes.size());
            out.document = nlohmann::json::parse(text.checkable);
            out.loadable.assign(text.compact.begin(), text.compact.end());
        }
    } catch (const nlohmann::json::exception& e) {
        return Error::badInput(std::string("not an XGBoost model: ") + e.what());
    }
    const auto learner = out.document.find("learner");
    if (!out.document.is_object() || learner == out.document.end() || !learner->is_object() ||
        !learner->contains("gradient_booster") || !learner->contains("objective")) {
        return Error::badInput(
            "not an XGBoost model: the document has no \"learner\" with a gradient booster and "
            "an objective");
    }
    return out;
}

std::string xgboostMessage(const std::exception& error) {
    const auto* failed = dynamic_cast<const xgb::Error*>(&error);
    std::string text = failed ? failed->message() : std::string(error.what());
    // XGBoost's checks read "[10:21:33] ../src/learner.cc:123: Check failed: ...": keep the
    // first line, after the time stamp and source location.
    if (const auto newline = text.find('\n'); newline != std::string::npos) text.resize(newline);
    if (text.starts_with('[')) {
        if (const auto stamp = text.find("] "); stamp != std::string::npos)
            text.erase(0, stamp + 2);
        const auto location = text.find(": ");
        if (location != std::string::npos && text.find(' ') > location) text.erase(0, location + 2);
    }
    return text;
}

// ---- The model --------------------------------------------------------------------------------

XgbTreeModel::XgbTreeModel(std::vector<std::uint8_t> ubj) : m_bytes(std::move(ubj)) {
    auto ensemble = TreeEnsemble::fromXgboostUbjson(m_bytes);
    if (ensemble) m_ensemble = std::move(*ensemble);
    loadBooster();
}

XgbTreeModel::XgbTreeModel(std::vector<std::uint8_t> ubj, TreeEnsemble checked)
    : m_bytes(std::move(ubj)), m_ensemble(std::move(checked)) {
    loadBooster();
}

void XgbTreeModel::loadBooster() {
    m_booster = xgb::Booster::fromBuffer(m_bytes.data(), m_bytes.size());
    m_featureCount = m_booster.featureCount();
    if (m_featureCount == 0) throw std::runtime_error("the XGBoost model has no features");

    m_featureNames = m_booster.featureInfo("feature_name");
    if (m_featureNames.size() != m_featureCount) m_featureNames.clear();
    const std::vector<std::string> types = m_booster.featureInfo("feature_type");
    m_featureTypes.assign(m_featureCount, "q");
    m_categorical.assign(m_featureCount, false);
    for (std::size_t j = 0; j < m_featureCount && j < types.size(); ++j) {
        if (types[j] == "c") {
            m_featureTypes[j] = "c";
            m_categorical[j] = true;
        }
    }

    m_algorithm = m_booster.attr(kAttrAlgorithm).value_or("xgboost");
    m_parameters = m_booster.attr(kAttrParameters).value_or("{}");
    if (const auto best = m_booster.attr(kAttrBestIteration)) {
        int value = -1;
        const auto [end, ec] = std::from_chars(best->data(), best->data() + best->size(), value);
        if (ec == std::errc() && end == best->data() + best->size()) m_bestIteration = value;
    }

    // Every SetParam happens here, before the booster is shared, followed by one prediction so
    // XGBoost's lazy configuration is done before concurrent const calls (TECH-NOTES 1.12).
    // One OpenMP thread per call: callers parallelise over chunks in their own pool.
    m_booster.setParam("nthread", "1");
    const std::vector<float> warmUp(m_featureCount, std::numeric_limits<float>::quiet_NaN());
    m_booster.predict(matrix(warmUp.data(), 1), 1);

    if (m_ensemble && m_ensemble->featureCount() > m_featureCount) m_ensemble.reset();
}

xgb::DMatrix XgbTreeModel::matrix(const float* X, std::size_t rows) const {
    xgb::DMatrix data = xgb::DMatrix::fromDense(X, rows, m_featureCount, 1);
    if (!m_featureNames.empty()) data.setFeatureInfo("feature_name", m_featureNames);
    // Without "c" XGBoost would compare category codes numerically against split values.
    data.setFeatureInfo("feature_type", m_featureTypes);
    return data;
}

void XgbTreeModel::predictMargin(const float* X, std::size_t rows, double* margins) const {
    if (rows == 0) return;
    if (m_ensemble) {
        m_ensemble->predictMargin(X, rows, m_featureCount, margins);
        return;
    }
    const xgb::Prediction p = m_booster.predict(matrix(X, rows), 1);
    if (p.values.size() != rows) {
        throw std::runtime_error("XGBoost returned " + std::to_string(p.values.size()) +
                                 " margins for " + std::to_string(rows) + " rows");
    }
    for (std::size_t r = 0; r < rows; ++r)
        margins[r] = p.values[r];
}

void XgbTreeModel::contributions(const float* X, std::size_t rows, double* out,
                                 double* base) const {
    if (rows == 0) return;
    if (m_ensemble) {
        ::cwb::contributions(*m_ensemble, X, rows, m_featureCount, out, base);
        return;
    }
    const xgb::Prediction p = m_booster.predict(matrix(X, rows), 2);
    // Row-major rows x (F + 1), the bias (expected value) last (TECH-NOTES 1.7).
    const std::size_t width = m_featureCount + 1;
    if (p.values.size() != rows * width) {
        throw std::runtime_error("XGBoost returned " + std::to_string(p.values.size()) +
                                 " contributions for " + std::to_string(rows) + " rows of " +
                                 std::to_string(m_featureCount) + " features");
    }
    for (std::size_t r = 0; r < rows; ++r) {
        const float* src = p.values.data() + r * width;
        for (std::size_t j = 0; j < m_featureCount; ++j)
            out[r * m_featureCount + j] = src[j];
        base[r] = src[m_featureCount];
    }
}

ExplanationFootprint XgbTreeModel::explanationFootprint() const {
    ExplanationFootprint footprint;
    if (!m_ensemble) {
        footprint.method = "xgboost";
        return footprint;
    }
    const ShapTableReport report = shapTableReport(*m_ensemble);
    footprint.method = "treeshap";
    footprint.tableTrees = report.treesWithTables;
    footprint.walkedTrees = report.treesWithout;
    footprint.tableBytes = report.tableBytes;
    return footprint;
}

Result<std::unique_ptr<Model>> deserializeTreeModel(const std::vector<std::uint8_t>& bytes,
                                                    std::optional<std::size_t> featureCount) {
    auto checked = parseXgboostDocument(bytes);
    if (!checked) return checked.error();
    // The whole model is checked before XGBoost sees a byte of it: XGBoost 1.7 trusts child
    // and feature indices and loops or crashes on broken ones.
    auto ensemble = TreeEnsemble::fromXgboostDocument(checked->document);
    if (!ensemble) return ensemble.error();
    if (featureCount && ensemble->featureCount() != *featureCount) {
        return Error::badInput("the model has " + std::to_string(ensemble->featureCount()) +
                               " inputs but the schema lists " + std::to_string(*featureCount) +
                               " features");
    }
    try {
        std::vector<std::uint8_t> ubj = std::move(checked->loadable);
        if (!checked->ubjson) {
            // Older bundles or hand-made ones may hold JSON; the model always serializes as UBJ.
            ubj = xgb::Booster::fromBuffer(ubj.data(), ubj.size()).save("ubj");
        }
        return std::unique_ptr<Model>(
            std::make_unique<XgbTreeModel>(std::move(ubj), std::move(*ensemble)));
    } catch (const std::exception& e) {
        return Error::badInput("damaged XGBoost model: " + xgboostMessage(e));
    }
}

}  // namespace cwb
