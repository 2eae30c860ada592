#pragma once
/// The store's one writer: a thread that owns the read-write connection and commits what
/// other threads queue, many items per transaction.
///
/// Queue: bounded by `queueCapacity` items (samples and operations together). Overflow
/// policies, each counted in WriterCounters:
///  - samples: "drop oldest samples" — a full queue discards its oldest queued sample (or the
///    new one if no sample is queued). enqueueSample() never blocks.
///  - operations (enqueue/submit): never block either; a full queue first evicts its oldest
///    sample, and with no sample to evict refuses the operation with an error.
///  - durable operations (submitDurable: moderation decisions, audit entries): never dropped;
///    they evict a sample like the others, and with none to evict wait up to `durableWait`
///    for room, then fail with an error the caller shows ("... not saved: retry").
///
/// Batching: the writer commits when `batchItems` are queued, when the oldest queued item has
/// waited `batchInterval`, or at once for flush() and durable operations; each commit takes
/// everything queued, in queue order, in one transaction. An operation that fails is undone
/// alone and the rest of the batch still commits: operations first run bare (a savepoint
/// each would make FTS5 flush its index per operation, 5x slower); if one fails, the batch
/// is rolled back and replayed with each operation in its own savepoint. So an operation
/// may run twice: it must only write to the database through its WriteContext.
///
/// Durability: a batch holding a durable operation is committed with PRAGMA synchronous=FULL
/// (set before BEGIN, restored to NORMAL after COMMIT: SQLite refuses to change it inside a
/// transaction), so its future resolves only once the WAL is fsynced. See docs/store.md.
///
/// Threads: every public method is thread-safe. enqueueSample/enqueue/submit never block and
/// are safe on network threads; submitDurable may block up to `durableWait`; flush() blocks
/// until the queue is written. Operations run on the writer thread and must not call back
/// into the writer (flush/submitDurable from inside an operation would deadlock).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "base/Result.h"
#include "store/Database.h"
#include "store/HealthSamples.h"
#include "store/StoreReader.h"
#include "store/WriteContext.h"

namespace stagecast::store {

struct WriterOptions {
    std::size_t queueCapacity = 100'000;         // samples + operations waiting
    std::size_t batchItems = 1000;               // commit as soon as this many wait...
    std::chrono::milliseconds batchInterval{50}; // ...or the oldest has waited this long
    std::chrono::milliseconds durableWait{200};  // longest submitDurable blocks for room
};

struct WriterCounters {
    std::uint64_t samplesQueued = 0;        // accepted by enqueueSample
    std::uint64_t samplesWritten = 0;       // committed
    std::uint64_t samplesDroppedOldest = 0; // overflow policy "drop oldest samples"
    std::uint64_t samplesFailed = 0;        // the INSERT failed (logged)
    std::uint64_t opsWritten = 0;           // operations committed, durable ones included
    std::uint64_t opsFailed = 0;            // returned an error; their writes were undone
    std::uint64_t opsRejectedFull = 0;      // enqueue/submit refused: queue full of operations
    std::uint64_t durableTimedOut = 0;      // submitDurable found no room within durableWait
    std::uint64_t durableCommits = 0;       // batches committed with synchronous=FULL
    std::uint64_t batches = 0;              // transactions committed
    std::uint64_t batchesFailed = 0;        // BEGIN/COMMIT failed: the batch was lost (logged)
    std::uint64_t batchesReplayed = 0;      // rerun with operations isolated after one failed
    std::uint64_t itemsLost = 0;            // samples and operations lost with failed batches
    std::size_t queued = 0;                 // waiting now
    std::size_t maxQueued = 0;              // high-water mark
    std::size_t largestBatch = 0;
};

/// A unit of writes run on the writer thread. Returns a row id or a count for the caller's
/// future; an error undoes the unit's writes (and only those). May run more than once.
using WriteOp = std::function<base::Result<std::int64_t>(WriteContext&)>;

class StoreWriter {
public:
    /// Takes over the database's connection and starts the thread.
    explicit StoreWriter(Database database, WriterOptions options = {});
    StoreWriter(const StoreWriter&) = delete;
    StoreWriter& operator=(const StoreWriter&) = delete;
    /// Writes everything still queued, then stops the thread.
    ~StoreWriter();

    /// Never blocks. Overflow: drop oldest samples.
    void enqueueSample(HealthSample sample);
    /// Fire and forget (session open/close, alerts...). Never blocks; an error means the
    /// queue was full of operations (or the writer stopped). A failure while writing is logged.
    base::Status enqueue(WriteOp op);
    /// Like enqueue(), with the operation's result once committed (or why it was not).
    std::future<base::Result<std::int64_t>> submit(WriteOp op);
    /// For decisions and audit entries: resolves after a synchronous=FULL commit. May block up
    /// to durableWait when the queue is full of operations; then resolves at once with an error.
    std::future<base::Result<std::int64_t>> submitDurable(WriteOp op);

    /// Blocks until everything queued before the call is committed (or failed / dropped).
    void flush();
    /// Stops accepting work, writes what is queued and joins the thread (the destructor does
    /// this too). Idempotent.
    void stop();

    WriterCounters counters() const;
    const std::filesystem::path& path() const { return path_; }
    base::Result<StoreReader> openReader() const { return StoreReader::open(path_); }

private:
    using Promise = std::promise<base::Result<std::int64_t>>;
    using SteadyClock = std::chrono::steady_clock;

    struct QueuedSample {
        std::uint64_t seq;
        HealthSample sample;
    };
    struct QueuedOp {
        std::uint64_t seq;
        WriteOp fn;
        std::optional<Promise> promise;
        bool durable;
    };
    struct BatchResult;
    struct Attempt;

    std::size_t queuedLocked() const { return samples_.size() + ops_.size(); }
    bool evictOldestSampleLocked();
    void noteEnqueuedLocked();
    base::Status pushOpLocked(WriteOp op, std::optional<Promise> promise, bool durable);
    void run();
    BatchResult writeBatch(WriteContext& context, std::deque<QueuedSample>& samples,
                           std::deque<QueuedOp>& ops);
    Attempt attempt(WriteContext& context, std::deque<QueuedSample>& samples,
                    std::deque<QueuedOp>& ops, bool isolate);

    Database database_;
    const WriterOptions options_;
    const std::filesystem::path path_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;    // the writer: work, flush, stop
    std::condition_variable room_;    // durable producers: the queue was emptied
    std::condition_variable written_; // flush(): committedUpTo_ advanced
    std::deque<QueuedSample> samples_;
    std::deque<QueuedOp> ops_;
    std::uint64_t nextSeq_ = 1;
    std::uint64_t committedUpTo_ = 0; // every item with seq <= this is done with
    SteadyClock::time_point oldestQueuedAt_;
    bool urgent_ = false;
    bool stopping_ = false;
    WriterCounters counters_;

    std::thread thread_; // last: starts after everything above exists
};

} // namespace stagecast::store
