#include "store/StoreWriter.h"

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "base/Log.h"
#include "store/Savepoint.h"
#include "store/Transaction.h"

namespace stagecast::store {

namespace {

std::future<base::Result<std::int64_t>> readyError(base::Error error) {
    std::promise<base::Result<std::int64_t>> promise;
    promise.set_value(base::fail(std::move(error)));
    return promise.get_future();
}

// Exceptions never leave the writer thread: an operation that throws fails like one that
// returns an error.
base::Result<std::int64_t> runGuarded(const WriteOp& op, WriteContext& context) {
    try {
        return op(context);
    } catch (const std::exception& e) {
        return base::fail(std::string("store operation threw: ") + e.what());
    } catch (...) {
        return base::fail("store operation threw a non-standard exception");
    }
}

} // namespace

struct StoreWriter::BatchResult {
    // Futures to resolve once the counters include this batch.
    std::vector<std::pair<Promise*, base::Result<std::int64_t>>> settle;
    std::uint64_t samplesWritten = 0;
    std::uint64_t samplesFailed = 0;
    std::uint64_t opsWritten = 0;
    std::uint64_t opsFailed = 0;
    std::uint64_t itemsLost = 0;
    bool committed = false;
    bool durable = false;
    bool replayed = false;
};

StoreWriter::StoreWriter(Database database, WriterOptions options)
    : database_(std::move(database)), options_(options), path_(database_.path()) {
    thread_ = std::thread([this] { run(); });
}

StoreWriter::~StoreWriter() {
    stop();
}

void StoreWriter::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        urgent_ = true;
    }
    wake_.notify_one();
    room_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool StoreWriter::evictOldestSampleLocked() {
    if (samples_.empty()) {
        return false;
    }
    samples_.pop_front();
    ++counters_.samplesDroppedOldest;
    return true;
}

void StoreWriter::noteEnqueuedLocked() {
    std::size_t queued = queuedLocked();
    counters_.maxQueued = std::max(counters_.maxQueued, queued);
    if (queued == 1) {
        oldestQueuedAt_ = SteadyClock::now();
        wake_.notify_one(); // the writer sleeps without a deadline while the queue is empty
    } else if (queued == options_.batchItems) {
        wake_.notify_one();
    }
}

void StoreWriter::enqueueSample(HealthSample sample) {
    std::lock_guard lock(mutex_);
    std::uint64_t seq = nextSeq_++;
    if (stopping_) {
        ++counters_.samplesDroppedOldest; // shutting down: counted with the overflow drops
        return;
    }
    if (queuedLocked() >= options_.queueCapacity && !evictOldestSampleLocked()) {
        // Only operations are queued: the new sample is the oldest sample there is.
        ++counters_.samplesDroppedOldest;
        return;
    }
    ++counters_.samplesQueued;
    samples_.push_back({seq, std::move(sample)});
    noteEnqueuedLocked();
}

base::Status StoreWriter::pushOpLocked(WriteOp op, std::optional<Promise> promise, bool durable) {
    ops_.push_back({nextSeq_++, std::move(op), std::move(promise), durable});
    noteEnqueuedLocked();
    if (durable) {
        urgent_ = true;
        wake_.notify_one();
    }
    return {};
}

base::Status StoreWriter::enqueue(WriteOp op) {
    std::lock_guard lock(mutex_);
    if (stopping_) {
        return base::fail("store writer stopped: the write was not queued");
    }
    if (queuedLocked() >= options_.queueCapacity && !evictOldestSampleLocked()) {
        ++counters_.opsRejectedFull;
        return base::fail("store write queue full (" + std::to_string(ops_.size()) +
                          " operations waiting, capacity " +
                          std::to_string(options_.queueCapacity) + "): the write was dropped");
    }
    return pushOpLocked(std::move(op), std::nullopt, false);
}

std::future<base::Result<std::int64_t>> StoreWriter::submit(WriteOp op) {
    std::lock_guard lock(mutex_);
    if (stopping_) {
        return readyError(base::Error("store writer stopped: the write was not queued"));
    }
    if (queuedLocked() >= options_.queueCapacity && !evictOldestSampleLocked()) {
        ++counters_.opsRejectedFull;
        return readyError(base::Error("store write queue full (" + std::to_string(ops_.size()) +
                                      " operations waiting, capacity " +
                                      std::to_string(options_.queueCapacity) +
                                      "): the write was dropped"));
    }
    Promise promise;
    auto future = promise.get_future();
    (void)pushOpLocked(std::move(op), std::move(promise), false);
    return future;
}

std::future<base::Result<std::int64_t>> StoreWriter::submitDurable(WriteOp op) {
    std::unique_lock lock(mutex_);
    auto deadline = SteadyClock::now() + options_.durableWait;
    while (!stopping_ && queuedLocked() >= options_.queueCapacity && !evictOldestSampleLocked()) {
        if (room_.wait_until(lock, deadline) == std::cv_status::timeout &&
            queuedLocked() >= options_.queueCapacity && samples_.empty()) {
            ++counters_.durableTimedOut;
            return readyError(base::Error("store write queue stayed full for " +
                                          std::to_string(options_.durableWait.count()) + " ms (" +
                                          std::to_string(ops_.size()) +
                                          " operations waiting): not saved, retry"));
        }
    }
    if (stopping_) {
        return readyError(base::Error("store writer stopped: not saved"));
    }
    Promise promise;
    auto future = promise.get_future();
    (void)pushOpLocked(std::move(op), std::move(promise), true);
    return future;
}

void StoreWriter::flush() {
    std::unique_lock lock(mutex_);
    std::uint64_t target = nextSeq_ - 1;
    if (committedUpTo_ >= target) {
        return;
    }
    urgent_ = true;
    wake_.notify_one();
    written_.wait(lock, [&] { return committedUpTo_ >= target; });
}

WriterCounters StoreWriter::counters() const {
    std::lock_guard lock(mutex_);
    WriterCounters copy = counters_;
    copy.queued = queuedLocked();
    return copy;
}

void StoreWriter::run() {
    WriteContext context(database_.connection());
    std::unique_lock lock(mutex_);
    for (;;) {
        // Wait for a reason to commit.
        for (;;) {
            std::size_t queued = queuedLocked();
            if (queued == 0) {
                committedUpTo_ = nextSeq_ - 1; // anything not queued was dropped or written
                urgent_ = false;
                written_.notify_all();
                if (stopping_) {
                    return;
                }
                wake_.wait(lock);
                continue;
            }
            if (urgent_ || stopping_ || queued >= options_.batchItems) {
                break;
            }
            auto deadline = oldestQueuedAt_ + options_.batchInterval;
            if (SteadyClock::now() >= deadline) {
                break;
            }
            wake_.wait_until(lock, deadline);
        }
        std::deque<QueuedSample> samples;
        std::deque<QueuedOp> ops;
        samples.swap(samples_);
        ops.swap(ops_);
        std::uint64_t upTo = nextSeq_ - 1;
        urgent_ = false;
        std::size_t items = samples.size() + ops.size();
        lock.unlock();
        room_.notify_all();

        BatchResult result = writeBatch(context, samples, ops);

        lock.lock();
        counters_.samplesWritten += result.samplesWritten;
        counters_.samplesFailed += result.samplesFailed;
        counters_.opsWritten += result.opsWritten;
        counters_.opsFailed += result.opsFailed;
        counters_.itemsLost += result.itemsLost;
        counters_.largestBatch = std::max(counters_.largestBatch, items);
        counters_.batchesReplayed += result.replayed ? 1 : 0;
        if (result.committed) {
            ++counters_.batches;
            counters_.durableCommits += result.durable ? 1 : 0;
        } else {
            ++counters_.batchesFailed;
        }
        committedUpTo_ = upTo;
        written_.notify_all();
        lock.unlock();
        for (auto& [promise, outcome] : result.settle) {
            promise->set_value(std::move(outcome));
        }
        lock.lock();
    }
}

// One try at writing a batch in one transaction. Without `isolate`, operations run bare (a
// savepoint per operation would make FTS5 flush its index each time) and the first failing
// one stops the attempt; with `isolate`, each runs in its own savepoint and a failure undoes
// only that operation.
struct StoreWriter::Attempt {
    std::vector<std::pair<QueuedOp*, base::Result<std::int64_t>>> outcomes;
    std::uint64_t samplesWritten = 0;
    std::uint64_t samplesFailed = 0;
    std::string firstSampleError;
    std::optional<base::Error> lost; // nothing of the batch was committed
    bool needsIsolation = false;     // an operation failed in a bare run
};

StoreWriter::Attempt StoreWriter::attempt(WriteContext& context, std::deque<QueuedSample>& samples,
                                          std::deque<QueuedOp>& ops, bool isolate) {
    Attempt a;
    Connection& connection = context.connection();
    auto transaction = Transaction::begin(connection);
    if (!transaction) {
        a.lost = transaction.error();
        return a;
    }
    a.outcomes.reserve(ops.size());
    // Queue order across both queues: merge by sequence number.
    auto s = samples.begin();
    auto o = ops.begin();
    while (s != samples.end() || o != ops.end()) {
        bool takeSample = o == ops.end() || (s != samples.end() && s->seq < o->seq);
        if (takeSample) {
            // One statement: a failure undoes itself and leaves the transaction going.
            if (auto inserted = HealthSamples::insert(context, s->sample); inserted) {
                ++a.samplesWritten;
            } else {
                ++a.samplesFailed;
                if (a.firstSampleError.empty()) {
                    a.firstSampleError = inserted.error().message();
                }
            }
            ++s;
        } else if (!isolate) {
            auto outcome = runGuarded(o->fn, context);
            if (!outcome) {
                a.needsIsolation = true;
                break;
            }
            a.outcomes.emplace_back(&*o, std::move(outcome));
            ++o;
        } else {
            base::Result<std::int64_t> outcome = base::fail("not run");
            if (auto savepoint = Savepoint::begin(context)) {
                outcome = runGuarded(o->fn, context);
                if (outcome) {
                    if (auto released = savepoint->release(); !released) {
                        outcome = base::fail(released.error());
                    }
                }
            } else {
                outcome = base::fail(savepoint.error());
            }
            a.outcomes.emplace_back(&*o, std::move(outcome));
            ++o;
        }
        // Disk full, I/O errors and the like make SQLite roll the whole transaction back.
        if (!connection.inTransaction()) {
            a.lost = base::Error("the transaction was rolled back by SQLite");
            break;
        }
    }
    if (a.needsIsolation || a.lost) {
        transaction->rollback();
        context.forgetCachedIds();
        return a;
    }
    if (auto committed = transaction->commit(); !committed) {
        a.lost = committed.error();
        context.forgetCachedIds();
    }
    return a;
}

StoreWriter::BatchResult StoreWriter::writeBatch(WriteContext& context,
                                                 std::deque<QueuedSample>& samples,
                                                 std::deque<QueuedOp>& ops) {
    BatchResult result;
    Connection& connection = context.connection();
    result.durable =
        std::any_of(ops.begin(), ops.end(), [](const QueuedOp& op) { return op.durable; });
    Attempt a;
    if (result.durable) {
        if (auto set = connection.exec("PRAGMA synchronous=FULL"); !set) {
            a.lost = set.error();
        }
    }
    if (!a.lost) {
        a = attempt(context, samples, ops, false);
        if (a.needsIsolation) {
            result.replayed = true;
            a = attempt(context, samples, ops, true);
        }
    }
    if (result.durable) {
        (void)connection.exec("PRAGMA synchronous=NORMAL");
    }
    if (a.lost) {
        // Nothing of this batch is in the database, whatever each item reported.
        std::size_t items = samples.size() + ops.size();
        result.itemsLost = items;
        base::Error error =
            a.lost->withContext("store: a batch of " + std::to_string(items) + " writes was lost");
        base::log(base::LogLevel::Error, "store", error.message());
        for (QueuedOp& op : ops) {
            if (op.promise) {
                result.settle.emplace_back(&*op.promise, base::fail(error));
            }
        }
        return result;
    }
    result.committed = true;
    result.samplesWritten = a.samplesWritten;
    result.samplesFailed = a.samplesFailed;
    if (a.samplesFailed > 0) {
        base::log(base::LogLevel::Warning, "store",
                  std::to_string(a.samplesFailed) +
                      " health samples not written; first: " + a.firstSampleError);
    }
    for (auto& [op, outcome] : a.outcomes) {
        if (outcome) {
            ++result.opsWritten;
        } else {
            ++result.opsFailed;
            if (!op->promise) {
                base::log(base::LogLevel::Warning, "store",
                          "write failed: " + outcome.error().message());
            }
        }
        if (op->promise) {
            result.settle.emplace_back(&*op->promise, std::move(outcome));
        }
    }
    return result;
}

} // namespace stagecast::store
