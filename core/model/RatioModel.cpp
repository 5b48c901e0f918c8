#include "model/RatioModel.h"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "model/TreeModel.h"

namespace cwb {

namespace {

constexpr char kMagic[8] = {'C', 'W', 'B', 'R', 'A', 'T', 'I', 'O'};
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
// Rows per call of the inner model: bounds the widened copy's memory whatever the batch size.
constexpr std::size_t kChunkRows = 4096;

// [[numerator, denominator], ...]: the ratios as the header and the parameters list them.
nlohmann::json ratiosJson(const std::vector<RatioFeature>& ratios) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : ratios)
        out.push_back({r.numerator, r.denominator});
    return out;
}

}  // namespace

RatioModel::RatioModel(std::unique_ptr<Model> inner, std::size_t inputs,
                       std::vector<RatioFeature> ratios)
    : m_inner(std::move(inner)), m_inputs(inputs), m_ratios(std::move(ratios)) {}

void RatioModel::predictMargin(const float* X, std::size_t rows, double* margins) const {
    const std::size_t wide = m_inputs + m_ratios.size();
    std::vector<float> buffer(std::min(rows, kChunkRows) * wide);
    for (std::size_t begin = 0; begin < rows; begin += kChunkRows) {
        const std::size_t n = std::min(kChunkRows, rows - begin);
        appendRatios(X + begin * m_inputs, n, m_inputs, m_ratios, buffer.data());
        m_inner->predictMargin(buffer.data(), n, margins + begin);
    }
}

void RatioModel::contributions(const float* X, std::size_t rows, double* out, double* base) const {
    const std::size_t wide = m_inputs + m_ratios.size();
    const std::size_t chunk = std::min(rows, kChunkRows);
    std::vector<float> buffer(chunk * wide);
    std::vector<double> inner(chunk * wide);
    for (std::size_t begin = 0; begin < rows; begin += kChunkRows) {
        const std::size_t n = std::min(kChunkRows, rows - begin);
        appendRatios(X + begin * m_inputs, n, m_inputs, m_ratios, buffer.data());
        m_inner->contributions(buffer.data(), n, inner.data(), base + begin);
        for (std::size_t r = 0; r < n; ++r) {
            const double* from = inner.data() + r * wide;
            double* to = out + (begin + r) * m_inputs;
            std::copy(from, from + m_inputs, to);
            for (std::size_t k = 0; k < m_ratios.size(); ++k) {
                const double half = 0.5 * from[m_inputs + k];
                to[m_ratios[k].numerator] += half;
                to[m_ratios[k].denominator] += half;
            }
        }
    }
}

std::vector<std::uint8_t> RatioModel::serialize() const {
    const std::string header = nlohmann::json{
        {"inputs", m_inputs},
        {"ratios", ratiosJson(m_ratios)},
        {"inner_kind",
         m_inner->kind()}}.dump();
    const std::vector<std::uint8_t> inner = m_inner->serialize();
    std::vector<std::uint8_t> out(kMagic, kMagic + sizeof kMagic);
    const auto length = static_cast<std::uint32_t>(header.size());
    for (int b = 0; b < 4; ++b)
        out.push_back(static_cast<std::uint8_t>(length >> (8 * b)));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), inner.begin(), inner.end());
    return out;
}

std::string RatioModel::parametersJson() const {
    nlohmann::json params = nlohmann::json::parse(m_inner->parametersJson(), nullptr, false);
    if (!params.is_object()) params = nlohmann::json::object();
    params["ratios"] = ratiosJson(m_ratios);
    return params.dump();
}

Result<std::unique_ptr<Model>> RatioModel::deserialize(const std::vector<std::uint8_t>& bytes,
                                                       std::optional<std::size_t> featureCount) {
    const auto refuse = [](const std::string& why) {
        return Error::badInput("not a ratio model: " + why);
    };
    if (bytes.size() < sizeof kMagic + 4 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        return refuse("the header is missing");
    std::uint32_t length = 0;
    for (int b = 0; b < 4; ++b)
        length |= static_cast<std::uint32_t>(bytes[sizeof kMagic + b]) << (8 * b);
    const std::size_t headerStart = sizeof kMagic + 4;
    if (length > kMaxHeaderBytes || length > bytes.size() - headerStart)
        return refuse("the header length " + std::to_string(length) + " is out of bounds");
    const nlohmann::json header = nlohmann::json::parse(
        bytes.begin() + headerStart, bytes.begin() + headerStart + length, nullptr, false);
    if (!header.is_object() || !header.contains("inputs") ||
        !header["inputs"].is_number_unsigned() || !header.contains("ratios") ||
        !header["ratios"].is_array() || !header.contains("inner_kind") ||
        !header["inner_kind"].is_string())
        return refuse("the header is not {\"inputs\", \"ratios\", \"inner_kind\"}");
    const auto inputs = header["inputs"].get<std::uint64_t>();
    if (inputs == 0 || inputs > (std::uint64_t{1} << 20))
        return refuse("the input count " + std::to_string(inputs) + " is out of bounds");
    if (featureCount && inputs != *featureCount)
        return Error::badInput("the model has " + std::to_string(inputs) +
                               " inputs but the schema lists " + std::to_string(*featureCount) +
                               " features");
    const auto& list = header["ratios"];
    if (list.empty() || list.size() > kMaxRatios)
        return refuse("it has " + std::to_string(list.size()) + " ratios (1 to " +
                      std::to_string(kMaxRatios) + " allowed)");
    std::vector<RatioFeature> ratios;
    for (const auto& pair : list) {
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number_unsigned() ||
            !pair[1].is_number_unsigned())
            return refuse("a ratio is not a pair of input indices");
        const auto a = pair[0].get<std::uint64_t>(), b = pair[1].get<std::uint64_t>();
        if (a >= inputs || b >= inputs || a == b)
            return refuse("the ratio [" + std::to_string(a) + ", " + std::to_string(b) +
                          "] does not name two different inputs of " + std::to_string(inputs));
        ratios.push_back({static_cast<std::size_t>(a), static_cast<std::size_t>(b)});
    }
    // Only tree models are wrapped (auto adds ratios to trees only); a nested ratio model or a
    // scorecard here is refused, which also bounds the recursion.
    if (header["inner_kind"].get<std::string>() != "xgboost-ubj")
        return refuse("the inner model kind '" + header["inner_kind"].get<std::string>() +
                      "' is not 'xgboost-ubj'");
    const std::vector<std::uint8_t> innerBytes(bytes.begin() + headerStart + length, bytes.end());
    auto inner = deserializeTreeModel(innerBytes, static_cast<std::size_t>(inputs) + ratios.size());
    if (!inner) return inner.error();
    return std::unique_ptr<Model>(std::make_unique<RatioModel>(
        std::move(*inner), static_cast<std::size_t>(inputs), std::move(ratios)));
}

}  // namespace cwb
