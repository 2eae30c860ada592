#include "store/Savepoint.h"

#include <utility>

namespace stagecast::store {

namespace {

// Savepoints nest by name on a stack; one fixed name is enough because each unit releases or
// rolls back the innermost one. Cached: the writer opens one per queued operation.
constexpr std::string_view kBegin = "SAVEPOINT unit";
constexpr std::string_view kRelease = "RELEASE unit";
constexpr std::string_view kRollback = "ROLLBACK TO unit";

} // namespace

base::Result<Savepoint> Savepoint::begin(WriteContext& context) {
    auto stmt = context.statement(kBegin);
    if (!stmt) {
        return base::fail(stmt.error());
    }
    if (auto ran = (*stmt)->run(); !ran) {
        return base::fail(ran.error());
    }
    return Savepoint(context);
}

Savepoint::Savepoint(Savepoint&& other) noexcept
    : context_(std::exchange(other.context_, nullptr)) {}

Savepoint::~Savepoint() {
    rollback();
}

base::Status Savepoint::release() {
    if (context_ == nullptr) {
        return base::fail("release of a savepoint that already ended");
    }
    auto stmt = context_->statement(kRelease);
    if (!stmt) {
        return base::fail(stmt.error());
    }
    auto released = (*stmt)->run();
    if (!released) {
        return released;
    }
    context_ = nullptr;
    return {};
}

void Savepoint::rollback() {
    if (context_ == nullptr) {
        return;
    }
    WriteContext& context = *context_;
    context_ = nullptr;
    context.forgetCachedIds();
    // An I/O error may have ended the whole transaction already; then there is nothing to undo.
    if (!context.connection().inTransaction()) {
        return;
    }
    if (auto stmt = context.statement(kRollback)) {
        (void)(*stmt)->run();
    }
    if (auto stmt = context.statement(kRelease)) {
        (void)(*stmt)->run();
    }
}

} // namespace stagecast::store
