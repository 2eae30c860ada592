#pragma once
/// One all-or-nothing unit of writes: SAVEPOINT ... RELEASE, rolled back to by the destructor
/// unless released.
///
/// Works inside the writer's batch transaction (only this unit is undone on failure, the rest
/// of the batch still commits) and on its own (then RELEASE commits). A rollback also clears
/// the context's cached ids. Threads: the context's thread.

#include "base/Result.h"
#include "store/WriteContext.h"

namespace stagecast::store {

class Savepoint {
public:
    static base::Result<Savepoint> begin(WriteContext& context);

    Savepoint(Savepoint&& other) noexcept;
    Savepoint& operator=(Savepoint&&) = delete;
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    ~Savepoint();

    base::Status release();

private:
    explicit Savepoint(WriteContext& context) : context_(&context) {}
    void rollback();

    WriteContext* context_;
};

} // namespace stagecast::store
