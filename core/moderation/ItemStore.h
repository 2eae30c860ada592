#pragma once
/// The moderation service's access to the store: writes through the StoreWriter (the one
/// writer thread), reads through a ReaderPool of read-only connections.
///
/// Durability: operator decisions, flags and replies are written with submitDurable (the
/// commit is fsynced before the call returns: docs/store.md); viewer posts, upvotes and
/// detector items with submit (committed, synchronous=NORMAL: a process crash keeps them, a
/// power cut may lose the last ones). Every call blocks until its write is committed (at
/// most the writer's batch interval plus the commit), so it must not run on a network
/// thread; the API runs it on its worker pool.
///
/// Threads: thread-safe.

#include <cstdint>
#include <future>
#include <optional>
#include <ostream>
#include <vector>

#include "moderation/ModerationTypes.h"
#include "moderation/ReaderPool.h"
#include "store/Moderation.h"
#include "store/StoreWriter.h"

namespace stagecast::moderation {

enum class Durability : std::uint8_t {
    Committed = 1, // submit(): committed, synchronous=NORMAL
    Synced,        // submitDurable(): committed with synchronous=FULL
};

/// A decision to apply right after inserting an item (automatic decisions of the rules).
struct AutoDecision {
    store::ItemState to = store::ItemState::Approved;
    std::string actor;
    std::string reason;
};

class ItemStore {
public:
    explicit ItemStore(store::StoreWriter& writer, std::size_t maxIdleReaders = 4);

    /// Inserts `item` (its state must be Pending) and applies `decision` in the same write
    /// operation: the item never exists without its decision. Returns the stored item.
    ModerationResult<store::ModerationItem> create(const store::NewModerationItem& item,
                                                   const std::optional<AutoDecision>& decision,
                                                   Durability durability);

    /// Queues `op` and returns its future (several futures then share one commit).
    std::future<base::Result<std::int64_t>> submit(store::WriteOp op, Durability durability);
    /// Waits for a future from submit(), mapping store errors to ModerationError codes
    /// ("decided meanwhile" -> Conflict, "does not exist" -> NotFound, else Unavailable).
    static ModerationResult<std::int64_t> wait(std::future<base::Result<std::int64_t>> future);

    ModerationResult<std::optional<store::ModerationItem>> find(std::int64_t id);
    ModerationResult<std::vector<store::ModerationItem>> list(const store::ModerationFilter& f);
    ModerationResult<std::int64_t> count(const store::ModerationFilter& filter);
    ModerationResult<std::vector<store::ModerationDecision>> decisions(std::int64_t id);
    /// CSV of the items matching `filter` with their decisions (store/ModerationExport.h).
    ModerationResult<std::size_t> exportCsv(const store::ModerationFilter& filter,
                                            std::ostream& out);

private:
    store::StoreWriter& writer_;
    ReaderPool readers_;
};

/// The item as stored by Moderation::insert(item) with row id `id`, in state `state`.
store::ModerationItem storedItem(const store::NewModerationItem& item, std::int64_t id,
                                 store::ItemState state);

/// A store error as a ModerationError (see ItemStore::wait).
ModerationError fromStoreError(const base::Error& error);

} // namespace stagecast::moderation
