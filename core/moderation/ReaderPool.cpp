#include "moderation/ReaderPool.h"

namespace stagecast::moderation {

ReaderPool::ReaderPool(std::filesystem::path database, std::size_t maxIdle)
    : database_(std::move(database)), maxIdle_(maxIdle) {}

base::Result<store::StoreReader> ReaderPool::borrow() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto reader = std::move(idle_.back());
            idle_.pop_back();
            return reader;
        }
    }
    // Opening takes a few file operations: outside the lock.
    return store::StoreReader::open(database_);
}

void ReaderPool::giveBack(store::StoreReader reader) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < maxIdle_) {
        idle_.push_back(std::move(reader));
    }
}

} // namespace stagecast::moderation
