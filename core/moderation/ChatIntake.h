#pragma once
/// Viewer chat and Q&A posts: the per-event settings (pre-moderation, anonymous posting),
/// the per-viewer limits (rate, repeats) and the text rules, turned into a stored item.
///
/// A post goes through, in order:
///  1. checks: stream name, kind (chat or question), text not empty and at most
///     maxMessageChars characters, name and viewer id within bounds;
///  2. anonymous posting: refused (Forbidden) when the event does not allow it and no name
///     is given;
///  3. rate limit: a token bucket per viewer (viewer id, else address) and a looser one per
///     address (addressRateFactor times the viewer's), so changing viewer ids does not
///     escape it; refused (RateLimited, with the time until the next token), not stored —
///     a flood must not fill the queue;
///  4. the text rules and the repeat rule -> a Verdict;
///  5. the outcome, stored as an item with the verdict's labels as evidence:
///     reject -> state rejected, with a decision by "system:rules" giving the reason;
///     hold   -> state pending (in the queue);
///     clean or label only -> published at once (approved, decision by "system:rules") when
///     the event's pre-moderation is off, pending when it is on.
/// The viewer is told the outcome in general terms only (which rule matched is for the
/// moderators).
///
/// Threads: thread-safe (limits and settings under one lock; store writes outside it).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "moderation/ItemStore.h"
#include "moderation/ModerationTypes.h"
#include "moderation/TextRules.h"
#include "moderation/ViewerLimits.h"

namespace stagecast::moderation {

struct EventSettings {
    bool preModeration = false; // every clean message waits for a moderator
    bool allowAnonymous = true; // posting without a name

    bool operator==(const EventSettings&) const = default;
};

struct IntakeOptions {
    EventSettings defaults;
    std::map<std::string, EventSettings> events; // by "APP/STREAM"
    RateLimit rateLimit;
    unsigned addressRateFactor = 10;
    std::chrono::seconds repeatWindow{60};
    std::optional<Action> repeatAction = Action::Reject; // nullopt: repeats allowed
    std::size_t maxMessageChars = 500;
    std::size_t maxNameChars = 64;
    std::size_t maxViewerIdBytes = 128;
    std::size_t maxTrackedViewers = 100'000;
};

struct PostRequest {
    std::string stream; // "APP/STREAM", already validated (checkedStream)
    store::ItemKind kind = store::ItemKind::Chat;
    std::string text;
    std::string name;     // display name; empty: anonymous
    std::string viewerId; // chosen by the viewer's page; empty: the address stands in
    std::string address;  // the peer's IP
};

struct PostOutcome {
    enum class Status : std::uint8_t { Published = 1, Held, Rejected, RateLimited };
    Status status = Status::Published;
    std::optional<store::ModerationItem> item; // all but RateLimited
    Verdict verdict;
    std::chrono::milliseconds retryAfter{0}; // RateLimited
    /// For the viewer, in general terms ("Your message will appear once a moderator has
    /// reviewed it.").
    std::string viewerMessage;
};

const char* toString(PostOutcome::Status status);

struct IntakeCounters {
    std::uint64_t published = 0;
    std::uint64_t held = 0;
    std::uint64_t rejected = 0;
    std::uint64_t rateLimited = 0;
    std::uint64_t refused = 0; // invalid or anonymous not allowed
};

class ChatIntake {
public:
    ChatIntake(ItemStore& store, std::shared_ptr<const TextRules> rules, IntakeOptions options,
               Clocks clocks = {});

    /// Called after each stored post (set before serving).
    void setListener(ItemListener listener) { listener_ = std::move(listener); }

    ModerationResult<PostOutcome> post(const PostRequest& request);

    EventSettings settings(const std::string& stream) const;
    void setSettings(const std::string& stream, EventSettings settings);
    /// Replaces the text rules (e.g. after the word-list file changed).
    void setRules(std::shared_ptr<const TextRules> rules);

    IntakeCounters counters() const;

private:
    ModerationResult<void> validate(const PostRequest& request) const;

    ItemStore& store_;
    const IntakeOptions options_;
    const Clocks clocks_;
    ItemListener listener_;

    mutable std::mutex mutex_; // guards everything below
    std::shared_ptr<const TextRules> rules_;
    std::map<std::string, EventSettings> events_;
    RateLimiter viewerLimiter_;
    RateLimiter addressLimiter_;
    RepeatDetector repeats_;

    std::atomic<std::uint64_t> published_{0};
    std::atomic<std::uint64_t> held_{0};
    std::atomic<std::uint64_t> rejected_{0};
    std::atomic<std::uint64_t> rateLimited_{0};
    std::atomic<std::uint64_t> refused_{0};
};

/// The labels of a verdict as the JSON array stored with the item.
std::string labelsJson(const std::vector<std::string>& labels);

} // namespace stagecast::moderation
