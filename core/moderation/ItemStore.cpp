#include "moderation/ItemStore.h"

#include "store/ModerationExport.h"
#include "store/WriteContext.h"

namespace stagecast::moderation {

using Code = ModerationError::Code;

ModerationError fromStoreError(const base::Error& error) {
    // The store words these two cases in its messages (store/Moderation.cpp); everything else
    // is a failure of the store itself, which a retry may cure.
    const auto& message = error.message();
    if (message.find("decided meanwhile") != std::string::npos) {
        return {Code::Conflict, message};
    }
    if (message.find("does not exist") != std::string::npos) {
        return {Code::NotFound, message};
    }
    return {Code::Unavailable, message};
}

ItemStore::ItemStore(store::StoreWriter& writer, std::size_t maxIdleReaders)
    : writer_(writer), readers_(writer.path(), maxIdleReaders) {}

std::future<base::Result<std::int64_t>> ItemStore::submit(store::WriteOp op,
                                                          Durability durability) {
    return durability == Durability::Synced ? writer_.submitDurable(std::move(op))
                                            : writer_.submit(std::move(op));
}

ModerationResult<std::int64_t> ItemStore::wait(std::future<base::Result<std::int64_t>> future) {
    auto result = future.get();
    if (!result) {
        return tl::unexpected<ModerationError>(fromStoreError(result.error()));
    }
    return *result;
}

ModerationResult<store::ModerationItem>
ItemStore::create(const store::NewModerationItem& item, const std::optional<AutoDecision>& decision,
                  Durability durability) {
    auto op = [item, decision](store::WriteContext& context) -> base::Result<std::int64_t> {
        auto id = store::Moderation::insert(context, item);
        if (!id || !decision) {
            return id;
        }
        auto decided =
            store::Moderation::transition(context, {*id, item.state, decision->to, decision->actor,
                                                    decision->reason, item.createdAt});
        if (!decided) {
            return base::fail(decided.error());
        }
        return id;
    };
    auto id = wait(submit(std::move(op), durability));
    if (!id) {
        return tl::unexpected<ModerationError>(id.error());
    }
    return storedItem(item, *id, decision ? decision->to : item.state);
}

store::ModerationItem storedItem(const store::NewModerationItem& item, std::int64_t id,
                                 store::ItemState state) {
    // Built from what was written rather than read back: saves a query per message.
    store::ModerationItem stored;
    stored.id = id;
    stored.kind = item.kind;
    stored.stream = item.stream;
    stored.author = item.author;
    stored.text = item.text;
    stored.mediaTs = item.mediaTs;
    stored.state = state;
    stored.createdAt = item.createdAt;
    stored.updatedAt = item.createdAt;
    stored.labelsJson = item.labelsJson;
    return stored;
}

ModerationResult<std::optional<store::ModerationItem>> ItemStore::find(std::int64_t id) {
    auto found = readers_.with(
        [&](store::StoreReader& reader) { return store::Moderation::find(reader, id); });
    if (!found) {
        return tl::unexpected<ModerationError>(fromStoreError(found.error()));
    }
    return *found;
}

ModerationResult<std::vector<store::ModerationItem>>
ItemStore::list(const store::ModerationFilter& filter) {
    auto items = readers_.with(
        [&](store::StoreReader& reader) { return store::Moderation::list(reader, filter); });
    if (!items) {
        return tl::unexpected<ModerationError>(fromStoreError(items.error()));
    }
    return std::move(*items);
}

ModerationResult<std::int64_t> ItemStore::count(const store::ModerationFilter& filter) {
    auto n = readers_.with(
        [&](store::StoreReader& reader) { return store::Moderation::count(reader, filter); });
    if (!n) {
        return tl::unexpected<ModerationError>(fromStoreError(n.error()));
    }
    return *n;
}

ModerationResult<std::vector<store::ModerationDecision>> ItemStore::decisions(std::int64_t id) {
    auto list = readers_.with(
        [&](store::StoreReader& reader) { return store::Moderation::decisions(reader, id); });
    if (!list) {
        return tl::unexpected<ModerationError>(fromStoreError(list.error()));
    }
    return std::move(*list);
}

ModerationResult<std::size_t> ItemStore::exportCsv(const store::ModerationFilter& filter,
                                                   std::ostream& out) {
    auto records = readers_.with([&](store::StoreReader& reader) {
        return store::ModerationExport::writeCsv(reader, filter, out);
    });
    if (!records) {
        return tl::unexpected<ModerationError>(fromStoreError(records.error()));
    }
    return *records;
}

} // namespace stagecast::moderation
