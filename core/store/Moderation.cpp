#include "store/Moderation.h"

#include "store/EnumNames.h"
#include "store/ModerationQuery.h"
#include "store/Savepoint.h"
#include "store/StoreReader.h"
#include "store/WriteContext.h"

namespace stagecast::store {

namespace {

constexpr EnumNames<ItemKind, 5> kKinds{{
    {ItemKind::Chat, "chat"},
    {ItemKind::Question, "question"},
    {ItemKind::Detector, "detector"},
    {ItemKind::Manual, "manual"},
    {ItemKind::Auth, "auth"},
}};

constexpr EnumNames<ItemState, 6> kStates{{
    {ItemState::Pending, "pending"},
    {ItemState::Approved, "approved"},
    {ItemState::Rejected, "rejected"},
    {ItemState::Escalated, "escalated"},
    {ItemState::Answered, "answered"},
    {ItemState::Dismissed, "dismissed"},
}};

constexpr const char* kItemColumns =
    "i.id, i.kind, CASE WHEN s.id IS NULL THEN '' WHEN s.app = '' THEN s.name "
    "ELSE s.app || '/' || s.name END, i.author, i.text, i.media_ts_ms, i.state, i.created_at, "
    "i.updated_at, i.upvotes, i.labels";

base::Result<ModerationItem> readItem(const Statement& row) {
    ModerationItem item;
    item.id = row.int64(0);
    auto kind = parseItemKind(row.text(1));
    auto state = parseItemState(row.text(6));
    if (!kind || !state) {
        return base::fail("moderation item " + std::to_string(item.id) + " has kind '" +
                          row.text(1) + "' and state '" + row.text(6) +
                          "', which this Stagecast does not know");
    }
    item.kind = *kind;
    item.stream = row.text(2);
    item.author = row.text(3);
    item.text = row.text(4);
    if (auto ts = row.optionalInt64(5)) {
        item.mediaTs = std::chrono::milliseconds{*ts};
    }
    item.state = *state;
    item.createdAt = row.time(7);
    item.updatedAt = row.time(8);
    item.upvotes = row.int64(9);
    item.labelsJson = row.text(10);
    return item;
}

// The item's current state, or an error naming the item when it does not exist.
base::Result<std::string> currentState(WriteContext& context, std::int64_t itemId) {
    auto select = context.statement("SELECT state FROM moderation_items WHERE id = ?1");
    if (!select) {
        return base::fail(select.error());
    }
    (*select)->bind(1, itemId);
    auto row = (*select)->step();
    if (!row) {
        return base::fail(row.error());
    }
    if (!*row) {
        return base::fail("moderation item " + std::to_string(itemId) + " does not exist");
    }
    return (*select)->text(0);
}

} // namespace

const char* toString(ItemKind kind) {
    return enumName(kKinds, kind);
}

const char* toString(ItemState state) {
    return enumName(kStates, state);
}

std::optional<ItemKind> parseItemKind(std::string_view text) {
    return enumParse(kKinds, text);
}

std::optional<ItemState> parseItemState(std::string_view text) {
    return enumParse(kStates, text);
}

base::Result<std::int64_t> Moderation::insert(WriteContext& context,
                                              const NewModerationItem& item) {
    auto streamId = context.optionalStreamId(item.stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto insert = context.statement(
        "INSERT INTO moderation_items(kind, stream_id, author, text, media_ts_ms, state, "
        "created_at, updated_at, labels) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)");
    if (!insert) {
        return base::fail(insert.error());
    }
    std::optional<std::int64_t> mediaTs;
    if (item.mediaTs) {
        mediaTs = item.mediaTs->count();
    }
    (*insert)->bindAll(toString(item.kind), *streamId, item.author, item.text, mediaTs,
                       toString(item.state), item.createdAt, item.labelsJson);
    if (auto ran = (*insert)->run(); !ran) {
        return base::fail(ran.error().withContext("adding a moderation item"));
    }
    std::int64_t id = context.connection().lastInsertRowId();
    // The search index row (see SchemaV1.h for why this is not a trigger).
    auto index = context.statement("INSERT INTO moderation_items_fts(rowid, text) VALUES(?1, ?2)");
    if (!index) {
        return base::fail(index.error());
    }
    (*index)->bindAll(id, item.text);
    if (auto ran = (*index)->run(); !ran) {
        return base::fail(
            ran.error().withContext("indexing moderation item " + std::to_string(id)));
    }
    return id;
}

base::Result<std::int64_t> Moderation::transition(WriteContext& context, const Transition& change) {
    std::string what = "moderation item " + std::to_string(change.itemId) + ": " +
                       toString(change.from) + " -> " + toString(change.to);
    auto savepoint = Savepoint::begin(context);
    if (!savepoint) {
        return base::fail(savepoint.error().withContext(what));
    }
    auto state = currentState(context, change.itemId);
    if (!state) {
        return base::fail(state.error());
    }
    if (*state != toString(change.from)) {
        return base::fail("moderation item " + std::to_string(change.itemId) + " is " + *state +
                          ", not " + toString(change.from) +
                          ": it was decided meanwhile; reload and decide again");
    }
    auto update =
        context.statement("UPDATE moderation_items SET state = ?2, updated_at = ?3 WHERE id = ?1");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bindAll(change.itemId, toString(change.to), change.at);
    if (auto ran = (*update)->run(); !ran) {
        return base::fail(ran.error().withContext(what));
    }
    auto decide = context.statement(
        "INSERT INTO moderation_decisions(item_id, from_state, to_state, actor, reason, at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!decide) {
        return base::fail(decide.error());
    }
    (*decide)->bindAll(change.itemId, toString(change.from), toString(change.to), change.actor,
                       change.reason, change.at);
    if (auto ran = (*decide)->run(); !ran) {
        return base::fail(ran.error().withContext(what));
    }
    std::int64_t decisionId = context.connection().lastInsertRowId();
    auto audit = context.statement(
        "INSERT INTO audit_log(at, actor, action, target, details) VALUES(?1, ?2, "
        "'moderation.decide', 'moderation_item:' || ?3, json_object('decision', ?4, 'from', ?5, "
        "'to', ?6, 'reason', ?7))");
    if (!audit) {
        return base::fail(audit.error());
    }
    (*audit)->bindAll(change.at, change.actor, change.itemId, decisionId, toString(change.from),
                      toString(change.to), change.reason);
    if (auto ran = (*audit)->run(); !ran) {
        return base::fail(ran.error().withContext(what));
    }
    if (auto released = savepoint->release(); !released) {
        return base::fail(released.error().withContext(what));
    }
    return decisionId;
}

base::Result<std::int64_t> Moderation::addUpvotes(WriteContext& context, std::int64_t itemId,
                                                  std::int64_t delta) {
    auto update = context.statement(
        "UPDATE moderation_items SET upvotes = upvotes + ?2 WHERE id = ?1 RETURNING upvotes");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bindAll(itemId, delta);
    auto row = (*update)->step();
    if (!row) {
        return base::fail(row.error());
    }
    if (!*row) {
        return base::fail("moderation item " + std::to_string(itemId) + " does not exist");
    }
    std::int64_t upvotes = (*update)->int64(0);
    if (auto done = (*update)->step(); !done) {
        return base::fail(done.error());
    }
    return upvotes;
}

base::Result<Moderation::UpvoteOutcome> Moderation::upvoteOnce(WriteContext& context,
                                                               std::int64_t itemId,
                                                               std::string_view voter, Time at) {
    auto insert = context.statement("INSERT OR IGNORE INTO moderation_upvotes(item_id, voter, at) "
                                    "SELECT id, ?2, ?3 FROM moderation_items WHERE id = ?1");
    if (!insert) {
        return base::fail(insert.error());
    }
    (*insert)->bindAll(itemId, voter, at);
    if (auto ran = (*insert)->run(); !ran) {
        return base::fail(
            ran.error().withContext("upvoting moderation item " + std::to_string(itemId)));
    }
    const bool counted = context.connection().changes() == 1;
    auto upvotes = addUpvotes(context, itemId, counted ? 1 : 0);
    if (!upvotes) {
        return base::fail(upvotes.error());
    }
    return UpvoteOutcome{*upvotes, counted};
}

base::Result<std::vector<ModerationItem>> Moderation::list(StoreReader& reader,
                                                           const ModerationFilter& filter) {
    auto ids = selectIds(reader, filter, true);
    if (!ids) {
        return base::fail(ids.error());
    }
    auto select = reader.statement(
        std::string("SELECT ") + kItemColumns + " FROM (" + ids->sql +
        ") k JOIN moderation_items i ON i.id = k.id LEFT JOIN streams s ON s.id = i.stream_id " +
        orderBy(filter.order, "i.id"));
    if (!select) {
        return base::fail(select.error());
    }
    ids->bind(**select);
    std::vector<ModerationItem> items;
    std::optional<base::Error> bad;
    auto done = forEachRow(**select, [&](const Statement& row) {
        auto item = readItem(row);
        if (item) {
            items.push_back(std::move(*item));
        } else if (!bad) {
            bad = item.error();
        }
    });
    if (!done) {
        return base::fail(done.error());
    }
    if (bad) {
        return base::fail(*bad);
    }
    return items;
}

base::Result<std::int64_t> Moderation::count(StoreReader& reader, const ModerationFilter& filter) {
    auto where = buildWhere(reader, filter);
    if (!where) {
        return base::fail(where.error());
    }
    auto select = reader.statement("SELECT count(*) FROM moderation_items i " + where->sql);
    if (!select) {
        return base::fail(select.error());
    }
    where->bind(**select);
    auto row = (*select)->step();
    if (!row) {
        return base::fail(row.error());
    }
    return (*select)->int64(0);
}

base::Result<std::optional<ModerationItem>> Moderation::find(StoreReader& reader,
                                                             std::int64_t itemId) {
    auto select = reader.statement(std::string("SELECT ") + kItemColumns +
                                   " FROM moderation_items i LEFT JOIN streams s ON s.id = "
                                   "i.stream_id WHERE i.id = ?1");
    if (!select) {
        return base::fail(select.error());
    }
    (*select)->bind(1, itemId);
    auto row = (*select)->step();
    if (!row) {
        return base::fail(row.error());
    }
    if (!*row) {
        return std::optional<ModerationItem>();
    }
    auto item = readItem(**select);
    if (!item) {
        return base::fail(item.error());
    }
    return std::optional<ModerationItem>(std::move(*item));
}

base::Result<std::vector<ModerationDecision>> Moderation::decisions(StoreReader& reader,
                                                                    std::int64_t itemId) {
    auto select = reader.statement(
        "SELECT id, item_id, from_state, to_state, actor, reason, at FROM moderation_decisions "
        "WHERE item_id = ?1 ORDER BY at, id");
    if (!select) {
        return base::fail(select.error());
    }
    (*select)->bind(1, itemId);
    std::vector<ModerationDecision> result;
    std::optional<base::Error> bad;
    auto done = forEachRow(**select, [&](const Statement& row) {
        ModerationDecision d;
        d.id = row.int64(0);
        d.itemId = row.int64(1);
        auto from = parseItemState(row.text(2));
        auto to = parseItemState(row.text(3));
        if (!from || !to) {
            bad = base::Error("moderation decision " + std::to_string(d.id) + " has states '" +
                              row.text(2) + "' -> '" + row.text(3) +
                              "', which this Stagecast does not know");
            return;
        }
        d.from = *from;
        d.to = *to;
        d.actor = row.text(4);
        d.reason = row.text(5);
        d.at = row.time(6);
        result.push_back(std::move(d));
    });
    if (!done) {
        return base::fail(done.error());
    }
    if (bad) {
        return base::fail(*bad);
    }
    return result;
}

} // namespace stagecast::store
