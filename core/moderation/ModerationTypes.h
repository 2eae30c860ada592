#pragma once
/// Shared vocabulary of the moderation service: the errors it returns (with a code the HTTP
/// layer maps to a status), the clocks it reads, and the item events it emits.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "store/Moderation.h"
#include "stream/Clock.h"

namespace stagecast::moderation {

/// Why a request was refused; `code` says which kind of refusal (the API maps it to 400, 404,
/// 409, 403, 503, 429), `message` says what was wrong and what is allowed.
struct ModerationError {
    enum class Code : std::uint8_t {
        BadRequest = 1, // malformed or out-of-range input
        NotFound,       // no such item (or not on this stream)
        Conflict,       // not possible in the item's current state, or decided meanwhile
        Forbidden,      // not allowed by the event's settings
        Unavailable,    // the store failed or its queue is full: retry
        RateLimited,    // too many requests from this viewer or address: retry later
    };
    Code code = Code::BadRequest;
    std::string message;
};

template <typename T>
using ModerationResult = tl::expected<T, ModerationError>;

inline tl::unexpected<ModerationError> refuse(ModerationError::Code code, std::string message) {
    return tl::unexpected<ModerationError>(ModerationError{code, std::move(message)});
}

/// Where the service reads time: steady for rate limits and repeats, wall for stored times.
struct Clocks {
    stream::Clock steady = stream::systemClock();
    std::function<std::chrono::system_clock::time_point()> wall = [] {
        return std::chrono::system_clock::now();
    };
};

/// A created or changed item, after it is committed. `wasPublic`/`isPublic` say whether
/// viewers could see it before and after (published = approved or answered, chat and
/// questions only), so the app can tell viewers to add, update or remove it.
struct ItemEvent {
    enum class Change : std::uint8_t { Created = 1, Decided, Upvoted };
    Change change = Change::Created;
    store::ModerationItem item;
    std::string actor;  // who made the change ("operator:alice", "system:rules", "viewer")
    std::string reason; // why (decisions); empty otherwise
    bool wasPublic = false;
    bool isPublic = false;
};

/// Called after the change is in the store, on the thread that made it (an API worker);
/// must not block (the app publishes to its event bus).
using ItemListener = std::function<void(const ItemEvent&)>;

/// Whether viewers see an item in this state and of this kind.
bool isPublic(const store::ModerationItem& item);

/// "APP/STREAM" from the two parts, validated like hub stream names; error names the problem.
ModerationResult<std::string> checkedStream(std::string_view app, std::string_view name);

} // namespace stagecast::moderation
