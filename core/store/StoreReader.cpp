#include "store/StoreReader.h"

#include "store/Streams.h"

namespace stagecast::store {

base::Result<StoreReader> StoreReader::open(const std::filesystem::path& path,
                                            std::chrono::milliseconds busyTimeout) {
    auto connection = Connection::open(path, OpenMode::ReadOnly);
    if (!connection) {
        return base::fail(connection.error());
    }
    // A reader can still meet a lock briefly (WAL recovery, a checkpoint restart).
    if (auto set = connection->setBusyTimeout(busyTimeout); !set) {
        return base::fail(set.error());
    }
    if (auto set = connection->exec("PRAGMA cache_size=-16384"); !set) {
        return base::fail(set.error());
    }
    return StoreReader(std::move(*connection));
}

base::Result<std::optional<std::int64_t>> StoreReader::streamId(std::string_view streamKey) {
    return Streams::find(*this, streamKey);
}

} // namespace stagecast::store
