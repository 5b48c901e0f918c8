#pragma once
// A small expected-style result for failures that normal use can cause (bad file, bad value).
// C++20 has no std::expected; this carries either a value or an Error with a user-facing message.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cwb {

// Exit codes of the command line, also used to classify errors (DESIGN.md "Command line").
enum class ErrorKind {
    BadInput = 2,  // bad usage, bad file, bad value: the user can fix it
    Failure = 1,   // anything else: I/O failure, library failure, broken invariant
};

struct Error {
    std::string message;
    ErrorKind kind = ErrorKind::BadInput;

    static Error badInput(std::string msg) { return {std::move(msg), ErrorKind::BadInput}; }
    static Error failure(std::string msg) { return {std::move(msg), ErrorKind::Failure}; }
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<T>(m_state);
    }
    const T& value() const& {
        assert(ok());
        return std::get<T>(m_state);
    }
    T&& value() && {
        assert(ok());
        return std::get<T>(std::move(m_state));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const {
        assert(!ok());
        return std::get<Error>(m_state);
    }

private:
    std::variant<T, Error> m_state;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const {
        assert(!ok());
        return *m_error;
    }

private:
    std::optional<Error> m_error;
};

}  // namespace cwb
