#pragma once
/// Repository for the moderation queue: items (chat, Q&A questions, detector flags, manual
/// reports, auth events), the decisions taken on them, and their audit entries.
///
/// Write a transition through StoreWriter::submitDurable: its future resolves only after the
/// decision is on disk (synchronous=FULL). Reads take a StoreReader on the reading thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "store/Time.h"

namespace stagecast::store {

class StoreReader;
class WriteContext;

enum class ItemKind : std::uint8_t {
    Chat = 1, // a viewer's chat message
    Question, // a Q&A question (upvotable)
    Detector, // flagged by a detector (nudity, loudness, banned word...)
    Manual,   // reported by an operator
    Auth,     // a refused publish/play worth reviewing
};

enum class ItemState : std::uint8_t {
    Pending = 1, // waiting for a moderator
    Approved,
    Rejected,
    Escalated, // passed to someone with more authority
    Answered,  // questions: answered on stage
    Dismissed, // taken off the queue or the live list without a verdict on its content
};

const char* toString(ItemKind kind);
const char* toString(ItemState state);
/// Lower-case names as stored ("chat", "pending"); nullopt for anything else.
std::optional<ItemKind> parseItemKind(std::string_view text);
std::optional<ItemState> parseItemState(std::string_view text);

struct NewModerationItem {
    ItemKind kind = ItemKind::Chat;
    std::string stream; // "APP/STREAM"; empty: not tied to a stream
    std::string author;
    std::string text;
    std::optional<std::chrono::milliseconds> mediaTs; // position in the stream it refers to
    ItemState state = ItemState::Pending;
    Time createdAt;
    std::string labelsJson = "[]"; // a JSON array, e.g. ["spam","link"]
};

struct ModerationItem {
    std::int64_t id = 0;
    ItemKind kind = ItemKind::Chat;
    std::string stream;
    std::string author;
    std::string text;
    std::optional<std::chrono::milliseconds> mediaTs;
    ItemState state = ItemState::Pending;
    Time createdAt;
    Time updatedAt;
    std::int64_t upvotes = 0;
    std::string labelsJson;
};

/// "Move item `itemId` from `from` to `to`": `from` is the state the moderator saw, so a
/// decision taken meanwhile by someone else is not silently overwritten.
struct Transition {
    std::int64_t itemId = 0;
    ItemState from = ItemState::Pending;
    ItemState to = ItemState::Approved;
    std::string actor;
    std::string reason;
    Time at;
};

struct ModerationDecision {
    std::int64_t id = 0;
    std::int64_t itemId = 0;
    ItemState from = ItemState::Pending;
    ItemState to = ItemState::Pending;
    std::string actor;
    std::string reason;
    Time at;
};

/// Queue order is arrival order in the store (item id), which follows created_at as items are
/// written when they happen.
enum class SortOrder : std::uint8_t { NewestFirst = 1, OldestFirst };

/// Every field narrows the result; empty/nullopt fields do not filter.
struct ModerationFilter {
    std::vector<ItemState> states; // any of these
    std::vector<ItemKind> kinds;   // any of these
    std::string stream;            // "APP/STREAM"
    std::optional<Time> from;      // created_at >= from
    std::optional<Time> to;        // created_at < to
    std::string text;              // substring of the text, case-insensitive
    std::string author;            // exact
    SortOrder order = SortOrder::NewestFirst;
    /// Keyset paging: only items after this id in `order` (the last id of the previous page),
    /// so a page does not shift when new items arrive. Ignored by the CSV export.
    std::optional<std::int64_t> afterId;
    std::size_t limit = 50;
    std::size_t offset = 0;
};

class Moderation {
public:
    Moderation() = delete;

    /// Returns the new item's id. Two statements (the row and its search-index row): run it
    /// through the writer or inside a Savepoint to have both or neither.
    static base::Result<std::int64_t> insert(WriteContext& context, const NewModerationItem& item);
    /// Updates the item's state and writes a moderation_decisions row and an audit_log row, all
    /// in one savepoint: either all three are written or none. Fails when the item does not
    /// exist or is no longer in `from`. Returns the decision id.
    static base::Result<std::int64_t> transition(WriteContext& context, const Transition& change);
    /// Adds `delta` upvotes (a question); returns the new count.
    static base::Result<std::int64_t> addUpvotes(WriteContext& context, std::int64_t itemId,
                                                 std::int64_t delta);
    /// One upvote by `voter` (a viewer id): counted once per voter and item
    /// (moderation_upvotes, schema v2). Returns the item's upvotes after the call; `counted`
    /// says whether this call added one. Fails when the item does not exist.
    struct UpvoteOutcome {
        std::int64_t upvotes = 0;
        bool counted = false;
    };
    static base::Result<UpvoteOutcome> upvoteOnce(WriteContext& context, std::int64_t itemId,
                                                  std::string_view voter, Time at);

    /// One page of items matching `filter`, in its order.
    static base::Result<std::vector<ModerationItem>> list(StoreReader& reader,
                                                          const ModerationFilter& filter);
    /// How many items match `filter` (limit and offset ignored).
    static base::Result<std::int64_t> count(StoreReader& reader, const ModerationFilter& filter);
    static base::Result<std::optional<ModerationItem>> find(StoreReader& reader,
                                                            std::int64_t itemId);
    /// The item's decisions, oldest first.
    static base::Result<std::vector<ModerationDecision>> decisions(StoreReader& reader,
                                                                   std::int64_t itemId);
};

} // namespace stagecast::store
