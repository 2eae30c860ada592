#pragma once
/// Per-viewer state of the moderation rules: the rate limit (a token bucket per viewer) and
/// the repeated-message rule (the same normalised text from the same viewer again within a
/// window). Time comes from the caller (a steady clock, a fake one in tests).
///
/// Memory is bounded: at most `maxViewers` viewers are tracked per limiter. When full, the
/// viewers with nothing left to remember (a full bucket, no text inside the window) are
/// dropped first; if none, the one seen longest ago is — under such a flood of distinct
/// viewer ids it starts again with a full bucket, which is the price of the bound.
///
/// Threads: not synchronised; the owner (ModerationService) holds one lock around them.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "stream/Clock.h"

namespace stagecast::moderation {

using stream::SteadyTime;

struct RateLimit {
    unsigned messages = 5;           // a viewer may post this many at once...
    std::chrono::seconds window{30}; // ...and regains them evenly over this time
};

class RateLimiter {
public:
    explicit RateLimiter(RateLimit limit, std::size_t maxViewers = 100'000);

    /// Takes a token for `viewer` at `now`. nullopt: allowed; else how long until the next
    /// token (for Retry-After). A refused message takes no token.
    std::optional<std::chrono::milliseconds> take(std::string_view viewer, SteadyTime now);

    std::size_t trackedViewers() const { return buckets_.size(); }

private:
    // The token bucket kept as its "theoretical arrival time" (GCRA, ITU-T I.371): one
    // instant per viewer, integer arithmetic, no refill rounding. The bucket is full when
    // `last` (the TAT) is not after now; a message is allowed when TAT - now <= burst.
    struct Bucket {
        SteadyTime last;
    };
    void makeRoom(SteadyTime now);

    RateLimit limit_;
    SteadyTime::duration interval_; // window / messages: one token's worth
    SteadyTime::duration burst_;    // interval * (messages - 1)
    std::size_t maxViewers_;
    std::unordered_map<std::string, Bucket> buckets_;
};

class RepeatDetector {
public:
    explicit RepeatDetector(std::chrono::seconds window, std::size_t maxViewers = 100'000,
                            std::size_t perViewer = 16);

    /// True when `viewer` sent `normalized` within the window before `now`; records it
    /// either way. A zero window turns the rule off (always false).
    bool repeated(std::string_view viewer, std::string_view normalized, SteadyTime now);

    std::size_t trackedViewers() const { return viewers_.size(); }

private:
    struct Sent {
        std::uint64_t hash;
        SteadyTime at;
    };
    struct History {
        std::deque<Sent> sent; // oldest first, at most perViewer_
        SteadyTime last;
    };
    void expire(History& history, SteadyTime now) const;
    void makeRoom(SteadyTime now);

    std::chrono::seconds window_;
    std::size_t maxViewers_;
    std::size_t perViewer_;
    std::unordered_map<std::string, History> viewers_;
};

} // namespace stagecast::moderation
