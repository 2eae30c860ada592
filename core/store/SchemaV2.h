#pragma once
/// Schema version 2: who upvoted which moderation item, so a viewer's upvote on a question
/// counts once even across restarts (moderation_items.upvotes stays the count the queue reads
/// and sorts by; Moderation::upvoteOnce keeps the two in step in one write operation).

#include <string_view>

namespace stagecast::store {

inline constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE moderation_upvotes (
    item_id INTEGER NOT NULL REFERENCES moderation_items(id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (item_id, voter)
) WITHOUT ROWID;
)sql";

} // namespace stagecast::store
