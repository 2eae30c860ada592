#pragma once
/// Read-only store connections for the threads that serve moderation requests (the API's
/// worker pool): a StoreReader serves one thread at a time, so each call borrows one and
/// gives it back. At most `maxIdle` are kept open between calls; more are opened when more
/// threads read at once (the worker pool is small, so this stays small too).
///
/// Threads: thread-safe.

#include <cstddef>
#include <filesystem>
#include <mutex>
#include <vector>

#include "base/Result.h"
#include "store/StoreReader.h"

namespace stagecast::moderation {

class ReaderPool {
public:
    explicit ReaderPool(std::filesystem::path database, std::size_t maxIdle = 4);
    ReaderPool(const ReaderPool&) = delete;
    ReaderPool& operator=(const ReaderPool&) = delete;

    /// Runs `read(StoreReader&)` on a borrowed reader and returns what it returns; a reader
    /// that cannot be opened turns into that Result's error.
    template <typename Read>
    auto with(Read&& read) -> decltype(read(std::declval<store::StoreReader&>())) {
        auto reader = borrow();
        if (!reader) {
            return base::fail(reader.error());
        }
        auto result = read(*reader);
        giveBack(std::move(*reader));
        return result;
    }

private:
    base::Result<store::StoreReader> borrow();
    void giveBack(store::StoreReader reader);

    const std::filesystem::path database_;
    const std::size_t maxIdle_;
    std::mutex mutex_;
    std::vector<store::StoreReader> idle_;
};

} // namespace stagecast::moderation
