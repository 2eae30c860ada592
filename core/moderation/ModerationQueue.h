#pragma once
/// The moderators' side of the queue: decisions on items (one or many), replies, upvotes
/// from viewers, items raised by detectors and flags raised by operators.
///
/// States are the store's (store/Moderation.h); in town-hall words:
///   pending = new / in the queue (held)     approved  = published
///   answered = answered (questions)         dismissed = dismissed
///   escalated = follow-up                   rejected  = rejected (rules or a moderator)
/// Actions and the states they apply to:
///   approve  -> approved   from pending, escalated, rejected, dismissed
///   answer   -> answered   from pending, approved, escalated (questions only)
///   dismiss  -> dismissed  from pending, approved, escalated, answered
///   reject   -> rejected   from pending, approved, escalated, dismissed, answered
///   followup -> escalated  from pending, approved, answered, dismissed
///   hold     -> pending    from approved, answered, escalated, dismissed, rejected
///   reply    (state kept)  on published chat and questions: stores the moderator's reply as
///            a published item of its own (labels "reply", "reply-to:ID") and a decision
///            on the original carrying the reply text.
/// Every decision stores who ("operator:NAME"), when and why, with its audit entry, durably
/// (ItemStore: Durability::Synced). A decision names the state the moderator saw (or the
/// state read just before); if someone else decided meanwhile it is refused as a Conflict.
///
/// Threads: thread-safe; every call blocks until its write is committed (API worker pool,
/// monitor thread: never a network thread).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moderation/ItemStore.h"
#include "moderation/ModerationTypes.h"
#include "moderation/ViewerLimits.h"

namespace stagecast::moderation {

enum class OperatorAction : std::uint8_t {
    Approve = 1,
    Answer,
    Dismiss,
    Reject,
    FollowUp,
    Reply,
    Hold,
};

const char* toString(OperatorAction action);
/// "approve", "answer", "dismiss", "reject", "followup" (also "follow_up", "follow-up"),
/// "reply", "hold".
std::optional<OperatorAction> parseOperatorAction(std::string_view text);

struct ActionRequest {
    std::int64_t itemId = 0;
    OperatorAction action = OperatorAction::Approve;
    std::string moderator; // required: stored as "operator:NAME"
    std::string reason;
    std::string reply;                    // Reply: the text (required)
    std::optional<store::ItemState> seen; // the state the moderator saw; nullopt: current
};

struct ActionOutcome {
    store::ModerationItem item;                 // after the decision
    std::optional<store::ModerationItem> reply; // Reply: the reply item
    std::int64_t decisionId = 0;
};

/// What detectors report (the app wires the monitor's alerts to raiseDetectorItem).
enum class DetectorKind : std::uint8_t {
    Black = 1,
    Frozen,
    Silence,
    Loudness,
    UnauthorisedPublish, // stored as kind "auth"
};

const char*
toString(DetectorKind kind); // "black", "frozen", "silence", "loudness", "unauthorised-publish"
std::optional<DetectorKind> parseDetectorKind(std::string_view text);

struct QueueOptions {
    std::size_t maxReplyChars = 1000;
    std::size_t maxReasonChars = 1000;
    std::size_t maxModeratorChars = 64;
    std::size_t maxBulkItems = 500;
    RateLimit upvoteRate{30, std::chrono::seconds{60}}; // per address
};

class ModerationQueue {
public:
    ModerationQueue(ItemStore& store, QueueOptions options = {}, Clocks clocks = {});

    /// Called after each committed change (set before serving).
    void setListener(ItemListener listener) { listener_ = std::move(listener); }

    ModerationResult<ActionOutcome> act(const ActionRequest& request);

    struct BulkResult {
        std::int64_t itemId = 0;
        ModerationResult<ActionOutcome> outcome;
    };
    /// The same action on many items; each succeeds or fails on its own, and the decisions
    /// share one synced commit. `ids` at most maxBulkItems; Reply is not a bulk action.
    ModerationResult<std::vector<BulkResult>> actMany(const std::vector<std::int64_t>& ids,
                                                      const ActionRequest& common);

    struct UpvoteOutcome {
        store::ModerationItem item;
        bool counted = false; // false: this voter had already upvoted it
    };
    /// One upvote per voter on a published question of `stream`. Rate-limited per address.
    ModerationResult<UpvoteOutcome> upvote(const std::string& stream, std::int64_t itemId,
                                           const std::string& voter, const std::string& address);

    /// An item in the queue (pending) for a detector's finding on `stream` at `mediaTime`
    /// (the position in the stream, so the recordings view can jump there).
    ModerationResult<store::ModerationItem>
    raiseDetectorItem(const std::string& stream, std::optional<std::chrono::milliseconds> mediaTime,
                      DetectorKind kind, const std::string& detail);

    /// An operator's flag on `stream` at `mediaTime`, in the queue (pending), with an audit
    /// entry; written durably.
    ModerationResult<store::ModerationItem> flag(const std::string& stream,
                                                 std::optional<std::chrono::milliseconds> mediaTime,
                                                 const std::string& note,
                                                 const std::string& moderator);

private:
    struct Prepared;
    ModerationResult<Prepared> prepare(const ActionRequest& request);
    ModerationResult<ActionOutcome> finish(const Prepared& prepared, std::int64_t decisionId,
                                           std::optional<std::int64_t> replyId);
    void notify(ItemEvent event) const;

    ItemStore& store_;
    const QueueOptions options_;
    const Clocks clocks_;
    ItemListener listener_;
    std::mutex mutex_; // guards upvoteLimiter_
    RateLimiter upvoteLimiter_;
};

} // namespace stagecast::moderation
