#pragma once
/// A write transaction on one connection: BEGIN IMMEDIATE ... COMMIT, rolled back by the
/// destructor unless committed.
///
/// IMMEDIATE takes the write lock at BEGIN, so a busy database shows up there (after the busy
/// timeout) rather than half-way through the work. Must not outlive or move apart from its
/// connection. Threads: the connection's thread.

#include "base/Result.h"
#include "store/Connection.h"

namespace stagecast::store {

class Transaction {
public:
    static base::Result<Transaction> begin(Connection& connection);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    base::Status commit();
    /// Explicit rollback; the destructor does the same for a transaction still open.
    void rollback();

private:
    explicit Transaction(Connection& connection) : connection_(&connection) {}

    Connection* connection_;
};

} // namespace stagecast::store
