// The writer thread: batching, overflow policies and their counters, the durable path,
// isolation of failing operations, flush and stop.

#include <QtTest>

#include <future>
#include <memory>
#include <stdexcept>

#include "StoreTestSupport.h"
#include "store/Audit.h"
#include "store/StoreWriter.h"

using namespace stagecast::store;
using namespace std::chrono_literals;
using storetest::why;

namespace {

HealthSample sample(std::int64_t second, double videoKbps = 1000.0) {
    HealthSample s;
    s.stream = "live/cam1";
    s.at = storetest::at(second);
    s.videoKbps = videoKbps;
    s.viewers = 3;
    return s;
}

WriteOp auditOp(std::string action) {
    return [action](WriteContext& c) {
        return Audit::append(c, {storetest::at(0), "tester", action, "t", ""});
    };
}

/// Holds the writer thread inside an operation until released, so the queue fills
/// deterministically behind it.
class Stall {
public:
    explicit Stall(StoreWriter& writer) {
        auto started = std::make_shared<std::promise<void>>();
        auto startedFuture = started->get_future();
        std::shared_future<void> release = release_.get_future().share();
        done_ = writer.submit(
            [started, release](WriteContext&) -> stagecast::base::Result<std::int64_t> {
                started->set_value();
                release.wait();
                return 0;
            });
        startedFuture.wait();
    }
    ~Stall() { release(); }
    void release() {
        if (!released_) {
            released_ = true;
            release_.set_value();
            done_.wait();
        }
    }

private:
    std::promise<void> release_;
    std::future<stagecast::base::Result<std::int64_t>> done_;
    bool released_ = false;
};

std::int64_t countRows(StoreWriter& writer, const char* table) {
    auto reader = writer.openReader();
    if (!reader) {
        return -1;
    }
    return reader->connection()
        .queryInt64(std::string("SELECT count(*) FROM ") + table)
        .value_or(-1);
}

} // namespace

class tst_StoreWriter : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;

    std::unique_ptr<StoreWriter> makeWriter(WriterOptions options = {}) {
        auto path = storetest::dbPath(dir_, ("w" + std::to_string(++counter_) + ".db").c_str());
        auto db = storetest::openDb(path);
        if (!db) {
            qFatal("open: %s", db.error().message().c_str());
        }
        return std::make_unique<StoreWriter>(std::move(*db), options);
    }

private slots:
    void batchesTenThousandSamples() {
        auto writer = makeWriter();
        for (int i = 0; i < 10'000; ++i) {
            writer->enqueueSample(sample(i));
        }
        writer->flush();
        QCOMPARE(countRows(*writer, "health_samples"), std::int64_t{10'000});
        WriterCounters c = writer->counters();
        QCOMPARE(c.samplesQueued, std::uint64_t{10'000});
        QCOMPARE(c.samplesWritten, std::uint64_t{10'000});
        QCOMPARE(c.samplesDroppedOldest, std::uint64_t{0});
        QCOMPARE(c.queued, std::size_t{0});
        // Many samples per transaction, not one each.
        QVERIFY2(c.batches >= 1 && c.batches <= 100, qPrintable(QString::number(c.batches)));
        QVERIFY(c.largestBatch >= 100);
        QCOMPARE(c.batchesFailed, std::uint64_t{0});
    }

    void commitsWithinTheBatchInterval() {
        WriterOptions options;
        options.batchInterval = 20ms;
        auto writer = makeWriter(options);
        writer->enqueueSample(sample(1));
        // No flush: one sample (far below batchItems) is committed once the interval passes.
        QTRY_COMPARE_WITH_TIMEOUT(countRows(*writer, "health_samples"), std::int64_t{1}, 5000);
    }

    void fullQueueDropsOldestSamples() {
        WriterOptions options;
        options.queueCapacity = 10;
        auto writer = makeWriter(options);
        {
            Stall stall(*writer);
            for (int i = 1; i <= 15; ++i) {
                writer->enqueueSample(sample(i));
            }
            WriterCounters c = writer->counters();
            QCOMPARE(c.queued, std::size_t{10});
            QCOMPARE(c.samplesDroppedOldest, std::uint64_t{5});
            QCOMPARE(c.maxQueued, std::size_t{10});
        }
        writer->flush();
        auto reader = writer->openReader();
        STORE_VERIFY(reader);
        // The newest ten survive: seconds 6..15.
        QCOMPARE(
            reader->connection().queryInt64("SELECT count(*) FROM health_samples").value_or(-1),
            std::int64_t{10});
        QCOMPARE(reader->connection().queryInt64("SELECT min(at) FROM health_samples").value_or(-1),
                 toUnixMs(storetest::at(6)));
        QCOMPARE(writer->counters().samplesWritten, std::uint64_t{10});
    }

    void operationEvictsASampleWhenFull() {
        WriterOptions options;
        options.queueCapacity = 3;
        auto writer = makeWriter(options);
        {
            Stall stall(*writer);
            for (int i = 1; i <= 3; ++i) {
                writer->enqueueSample(sample(i));
            }
            STORE_VERIFY(writer->enqueue(auditOp("kept")));
            QCOMPARE(writer->counters().samplesDroppedOldest, std::uint64_t{1});
            QCOMPARE(writer->counters().opsRejectedFull, std::uint64_t{0});
        }
        writer->flush();
        QCOMPARE(countRows(*writer, "audit_log"), std::int64_t{1});
        QCOMPARE(countRows(*writer, "health_samples"), std::int64_t{2});
    }

    void queueFullOfOperationsRefusesMore() {
        WriterOptions options;
        options.queueCapacity = 4;
        auto writer = makeWriter(options);
        {
            Stall stall(*writer);
            for (int i = 0; i < 4; ++i) {
                STORE_VERIFY(writer->enqueue(auditOp("op" + std::to_string(i))));
            }
            auto refused = writer->enqueue(auditOp("refused"));
            QVERIFY(!refused);
            QCOMPARE(refused.error().message(),
                     std::string("store write queue full (4 operations waiting, capacity 4): the "
                                 "write was dropped"));
            auto submitted = writer->submit(auditOp("refused too"));
            QCOMPARE(submitted.wait_for(0s), std::future_status::ready);
            QVERIFY(!submitted.get());
            writer->enqueueSample(sample(1)); // no sample to evict: the new one is dropped
            WriterCounters c = writer->counters();
            QCOMPARE(c.opsRejectedFull, std::uint64_t{2});
            QCOMPARE(c.samplesDroppedOldest, std::uint64_t{1});
            QCOMPARE(c.queued, std::size_t{4});
        }
        writer->flush();
        QCOMPARE(countRows(*writer, "audit_log"), std::int64_t{4});
        QCOMPARE(countRows(*writer, "health_samples"), std::int64_t{0});
    }

    void durableGivesUpAfterItsWait() {
        WriterOptions options;
        options.queueCapacity = 2;
        options.durableWait = 150ms;
        auto writer = makeWriter(options);
        Stall stall(*writer);
        STORE_VERIFY(writer->enqueue(auditOp("a")));
        STORE_VERIFY(writer->enqueue(auditOp("b")));
        QElapsedTimer timer;
        timer.start();
        auto future = writer->submitDurable(auditOp("decision"));
        qint64 waited = timer.elapsed();
        QVERIFY2(waited >= 140, qPrintable(QString::number(waited)));
        QCOMPARE(future.wait_for(0s), std::future_status::ready);
        auto result = future.get();
        QVERIFY(!result);
        QCOMPARE(result.error().message(),
                 std::string("store write queue stayed full for 150 ms (2 operations waiting): "
                             "not saved, retry"));
        QCOMPARE(writer->counters().durableTimedOut, std::uint64_t{1});
    }

    void durableWaitsForRoom() {
        WriterOptions options;
        options.queueCapacity = 2;
        options.durableWait = 10s;
        auto writer = makeWriter(options);
        auto stall = std::make_unique<Stall>(*writer);
        STORE_VERIFY(writer->enqueue(auditOp("a")));
        STORE_VERIFY(writer->enqueue(auditOp("b")));
        // Free the writer shortly; it takes the queue, which makes room for the decision.
        auto releaser = std::async(std::launch::async, [&] {
            std::this_thread::sleep_for(50ms);
            stall->release();
        });
        auto future = writer->submitDurable(auditOp("decision"));
        auto result = future.get();
        STORE_VERIFY(result);
        releaser.get();
        QCOMPARE(writer->counters().durableTimedOut, std::uint64_t{0});
        QCOMPARE(countRows(*writer, "audit_log"), std::int64_t{3});
    }

    void durableResolvesAfterAFullSyncCommit() {
        auto writer = makeWriter();
        auto reader = writer->openReader();
        STORE_VERIFY(reader);
        for (int i = 0; i < 100; ++i) {
            writer->enqueueSample(sample(i));
        }
        auto result = writer->submitDurable(auditOp("decision")).get();
        STORE_VERIFY(result);
        // Committed when the future resolved: visible to another connection without flush(),
        // together with the samples queued before it.
        auto stmt = reader->connection().prepare("SELECT action FROM audit_log WHERE id = ?1");
        STORE_VERIFY(stmt);
        stmt->bind(1, *result);
        QVERIFY(stmt->step().value_or(false));
        QCOMPARE(stmt->text(0), std::string("decision"));
        QCOMPARE(
            reader->connection().queryInt64("SELECT count(*) FROM health_samples").value_or(-1),
            std::int64_t{100});
        QVERIFY(writer->counters().durableCommits >= 1);
    }

    void failingOperationIsUndoneAlone() {
        auto writer = makeWriter();
        std::future<stagecast::base::Result<std::int64_t>> a, b, c;
        {
            Stall stall(*writer); // a, b and c land in one batch
            a = writer->submit(auditOp("a"));
            b = writer->submit([](WriteContext& ctx) -> stagecast::base::Result<std::int64_t> {
                auto id = Audit::append(ctx, {storetest::at(0), "tester", "b", "t", ""});
                if (!id) {
                    return id;
                }
                return stagecast::base::fail("b changed its mind");
            });
            c = writer->submit(auditOp("c"));
        }
        STORE_VERIFY(a.get());
        auto failed = b.get();
        QVERIFY(!failed);
        QCOMPARE(failed.error().message(), std::string("b changed its mind"));
        STORE_VERIFY(c.get());
        auto reader = writer->openReader();
        STORE_VERIFY(reader);
        QCOMPARE(reader->connection()
                     .queryText("SELECT group_concat(action) FROM (SELECT action FROM audit_log "
                                "ORDER BY id)")
                     .value_or("?"),
                 std::string("a,c"));
        QCOMPARE(writer->counters().opsFailed, std::uint64_t{1});
        QCOMPARE(writer->counters().opsWritten, std::uint64_t{3}); // the stall, a and c
        QCOMPARE(writer->counters().batchesReplayed, std::uint64_t{1});
    }

    void throwingOperationFails() {
        auto writer = makeWriter();
        auto future = writer->submit([](WriteContext&) -> stagecast::base::Result<std::int64_t> {
            throw std::runtime_error("boom");
        });
        auto result = future.get();
        QVERIFY(!result);
        QCOMPARE(result.error().message(), std::string("store operation threw: boom"));
        // The writer is still alive.
        STORE_VERIFY(writer->submit(auditOp("after")).get());
    }

    void queueOrderIsKept() {
        auto writer = makeWriter();
        // Each operation counts the samples already written when it runs.
        WriteOp countSamples = [](WriteContext& c) {
            return c.connection().queryInt64("SELECT count(*) FROM health_samples");
        };
        std::future<stagecast::base::Result<std::int64_t>> first, second;
        {
            Stall stall(*writer); // everything below lands in one batch
            writer->enqueueSample(sample(1));
            first = writer->submit(countSamples);
            writer->enqueueSample(sample(2));
            writer->enqueueSample(sample(3));
            second = writer->submit(countSamples);
        }
        QCOMPARE(first.get().value_or(-1), std::int64_t{1});
        QCOMPARE(second.get().value_or(-1), std::int64_t{3});
    }

    void stopWritesWhatIsQueued() {
        auto path = storetest::dbPath(dir_, "stop.db");
        {
            auto db = storetest::openDb(path);
            STORE_VERIFY(db);
            StoreWriter writer(std::move(*db));
            for (int i = 0; i < 500; ++i) {
                writer.enqueueSample(sample(i));
            }
            STORE_VERIFY(writer.enqueue(auditOp("last")));
        } // destructor: drain, then stop
        auto reader = StoreReader::open(path);
        STORE_VERIFY(reader);
        QCOMPARE(
            reader->connection().queryInt64("SELECT count(*) FROM health_samples").value_or(-1),
            std::int64_t{500});
        QCOMPARE(reader->connection().queryInt64("SELECT count(*) FROM audit_log").value_or(-1),
                 std::int64_t{1});
    }

    void afterStopNothingIsAccepted() {
        auto writer = makeWriter();
        writer->stop();
        writer->stop(); // idempotent
        auto refused = writer->enqueue(auditOp("late"));
        QVERIFY(!refused);
        QCOMPARE(refused.error().message(),
                 std::string("store writer stopped: the write was not queued"));
        auto durable = writer->submitDurable(auditOp("late")).get();
        QVERIFY(!durable);
        writer->flush(); // returns at once
    }
};

QTEST_APPLESS_MAIN(tst_StoreWriter)
#include "tst_StoreWriter.moc"
