#include "store/Transaction.h"

#include <utility>

namespace stagecast::store {

base::Result<Transaction> Transaction::begin(Connection& connection) {
    if (auto begun = connection.exec("BEGIN IMMEDIATE"); !begun) {
        return base::fail(begun.error());
    }
    return Transaction(connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction::~Transaction() {
    rollback();
}

base::Status Transaction::commit() {
    if (connection_ == nullptr) {
        return base::fail("commit of a transaction that already ended");
    }
    auto committed = connection_->exec("COMMIT");
    if (!committed) {
        rollback();
        return committed;
    }
    connection_ = nullptr;
    return {};
}

void Transaction::rollback() {
    if (connection_ == nullptr) {
        return;
    }
    // After some I/O errors SQLite has already rolled back on its own; ROLLBACK would fail.
    if (connection_->inTransaction()) {
        (void)connection_->exec("ROLLBACK");
    }
    connection_ = nullptr;
}

} // namespace stagecast::store
