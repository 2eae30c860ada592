#pragma once
/// Errors as values. Every module returns Result<T> across its boundary; exceptions never
/// cross a thread, a C callback or a module boundary.

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace stagecast::base {

/// What went wrong, in words a user can act on ("chunk size 0 is invalid: allowed 1..16777215").
/// `context` grows outward as the error travels up ("rtmp session 12: ").
class Error {
public:
    Error() = default;
    explicit Error(std::string message) : message_(std::move(message)) {}

    const std::string& message() const { return message_; }

    /// Returns a copy with `prefix` + ": " in front of the message.
    Error withContext(const std::string& prefix) const { return Error(prefix + ": " + message_); }

private:
    std::string message_;
};

template <typename T>
using Result = tl::expected<T, Error>;

using Status = tl::expected<void, Error>;

/// Shorthand for returning an error: `return fail("bad value");`
inline tl::unexpected<Error> fail(std::string message) {
    return tl::unexpected<Error>(Error(std::move(message)));
}

inline tl::unexpected<Error> fail(Error error) {
    return tl::unexpected<Error>(std::move(error));
}

} // namespace stagecast::base
