#include "common/JsonLimits.h"

#include <nlohmann/json.hpp>

namespace cwb {

namespace {

Error tooDeep(std::size_t maxDepth) {
    return Error::badInput("the JSON nests deeper than " + std::to_string(maxDepth) + " levels");
}

// Counts containers only; every other event is accepted as is.
class DepthCounter : public nlohmann::json_sax<nlohmann::json> {
public:
    DepthCounter(std::size_t maxDepth, std::size_t bytes) : m_max(maxDepth), m_budget(bytes) {}
    bool tooDeep() const { return m_tooDeep; }
    bool overclaimed() const { return m_overclaimed; }
    const std::string& parseError() const { return m_error; }

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t size) override { return claim(size) && enter(); }
    bool key(string_t&) override { return true; }
    bool end_object() override { return leave(); }
    bool start_array(std::size_t size) override { return claim(size) && enter(); }
    bool end_array() override { return leave(); }
    bool parse_error(std::size_t, const std::string&,
                     const nlohmann::detail::exception& e) override {
        m_error = e.what();
        return false;
    }

private:
    // A counted container of null or boolean elements has no bytes per element, so its count
    // alone would make the reader loop that often: the counts together may not exceed the
    // document's size, which any genuine document satisfies.
    bool claim(std::size_t size) {
        if (size == static_cast<std::size_t>(-1)) return true;
        if (size > m_budget) {
            m_overclaimed = true;
            return false;
        }
        m_budget -= size;
        return true;
    }
    bool enter() {
        if (++m_depth > m_max) m_tooDeep = true;
        return !m_tooDeep;
    }
    bool leave() {
        --m_depth;
        return true;
    }
    std::size_t m_max;
    std::size_t m_budget;
    std::size_t m_depth = 0;
    bool m_tooDeep = false;
    bool m_overclaimed = false;
    std::string m_error;
};

}  // namespace

Result<void> checkJsonTextDepth(std::span<const std::uint8_t> text, std::size_t maxDepth) {
    std::size_t depth = 0;
    bool inString = false, escaped = false;
    for (const std::uint8_t c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth) return tooDeep(maxDepth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return {};
}

Result<void> checkJsonTextDepth(const std::string& text, std::size_t maxDepth) {
    return checkJsonTextDepth(
        std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), maxDepth);
}

Result<void> checkUbjsonDepth(std::span<const std::uint8_t> bytes, std::size_t maxDepth) {
    DepthCounter counter(maxDepth, bytes.size());
    try {
        nlohmann::json::sax_parse(bytes.begin(), bytes.end(), &counter,
                                  nlohmann::json::input_format_t::ubjson, true);
    } catch (const nlohmann::json::exception& e) {
        return Error::badInput(std::string("not UBJSON: ") + e.what());
    }
    if (counter.tooDeep()) return tooDeep(maxDepth);
    if (counter.overclaimed())
        return Error::badInput("a UBJSON container claims more elements than the data holds");
    // Syntax errors are left to the parser that follows, as for JSON text.
    return {};
}

}  // namespace cwb
