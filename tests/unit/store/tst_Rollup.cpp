// Retention: raw samples older than the period rolled up per minute, then deleted; late
// samples merged; old rollups deleted; charts unchanged across the rollup.

#include <QtTest>

#include "StoreTestSupport.h"
#include "store/HealthSamples.h"
#include "store/Rollup.h"
#include "store/WriteContext.h"

using namespace stagecast::store;
using namespace std::chrono_literals;
using storetest::why;

namespace {

const Time kNow = storetest::at(10 * 86'400);   // day 10
const Time kCutoff = storetest::at(3 * 86'400); // day 10 minus 7 days (a minute boundary)

HealthSample sample(const char* stream, Time at, double video, std::int64_t dropped) {
    HealthSample s;
    s.stream = stream;
    s.at = at;
    s.videoKbps = video;
    s.fps = 30.0;
    s.viewers = 2;
    s.droppedBytes = dropped;
    return s;
}

} // namespace

class tst_Rollup : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;

    // Samples every 10 s from cutoff - 180 s to cutoff + 60 s on live/a (video = offset in s)
    // and live/b (video = 1000 + offset).
    Database seeded() {
        auto db = storetest::openDb(
            storetest::dbPath(dir_, ("r" + std::to_string(++counter_) + ".db").c_str()));
        if (!db) {
            qFatal("open: %s", db.error().message().c_str());
        }
        WriteContext context(db->connection());
        for (int s = -180; s <= 60; s += 10) {
            Time t = kCutoff + std::chrono::seconds{s};
            if (!HealthSamples::insert(context, sample("live/a", t, s, 1)) ||
                !HealthSamples::insert(context, sample("live/b", t, 1000 + s, 0))) {
                qFatal("insert failed");
            }
        }
        return std::move(*db);
    }

    static std::int64_t count(Database& db, const char* sql) {
        return db.connection().queryInt64(sql).value_or(-1);
    }

private slots:
    void rollsUpOldSamplesPerMinute() {
        Database db = seeded();
        WriteContext context(db.connection());
        auto result = Rollup::runRetention(context, kNow);
        STORE_VERIFY(result);
        QCOMPARE(result->cutoff, kCutoff);
        QCOMPARE(result->samplesRolledUp, std::int64_t{36}); // 18 per stream
        QCOMPARE(result->minutesWritten, std::int64_t{6});   // 3 per stream
        QCOMPARE(result->minutesDeleted, std::int64_t{0});
        // Samples from the cutoff on are untouched: offsets 0..60 on both streams.
        QCOMPARE(count(db, "SELECT count(*) FROM health_samples"), std::int64_t{14});
        QCOMPARE(count(db, "SELECT min(at) FROM health_samples"), toUnixMs(kCutoff));

        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto minutes = Rollup::minutes(*reader, "live/a", kCutoff - 1h, kCutoff + 1h);
        STORE_VERIFY(minutes);
        QCOMPARE(minutes->size(), std::size_t{3});
        // Minute starting at cutoff - 180 s holds offsets -180..-130.
        const HealthMinute& first = (*minutes)[0];
        QCOMPARE(first.minute, kCutoff - 180s);
        QCOMPARE(first.samples, std::int64_t{6});
        QCOMPARE(first.videoKbps.avg, std::optional<double>(-155.0));
        QCOMPARE(first.videoKbps.min, std::optional<double>(-180.0));
        QCOMPARE(first.videoKbps.max, std::optional<double>(-130.0));
        QCOMPARE(first.fps.avg, std::optional<double>(30.0));
        QCOMPARE(first.viewers.max, std::optional<double>(2.0));
        QCOMPARE(first.audioKbps.avg, std::optional<double>());
        QCOMPARE(first.droppedBytes, std::int64_t{6});
        QCOMPARE((*minutes)[2].minute, kCutoff - 60s);
        QCOMPARE((*minutes)[2].videoKbps.avg, std::optional<double>(-35.0));
        auto other = Rollup::minutes(*reader, "live/b", kCutoff - 1h, kCutoff + 1h);
        STORE_VERIFY(other);
        QCOMPARE(other->size(), std::size_t{3});
        QCOMPARE((*other)[0].videoKbps.avg, std::optional<double>(845.0));
    }

    void chartIsTheSameBeforeAndAfter() {
        Database db = seeded();
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto chart = [&] {
            return HealthSamples::query(*reader, "live/a", kCutoff - 180s, kCutoff + 60s, 4)
                .value_or(std::vector<HealthPoint>{});
        };
        auto before = chart();
        QCOMPARE(before.size(), std::size_t{4});
        WriteContext context(db.connection());
        STORE_VERIFY(Rollup::runRetention(context, kNow));
        auto after = chart();
        QCOMPARE(after.size(), before.size());
        for (std::size_t i = 0; i < before.size(); ++i) {
            QCOMPARE(after[i].at, before[i].at);
            QCOMPARE(after[i].samples, before[i].samples);
            QCOMPARE(after[i].videoKbps, before[i].videoKbps);
            QCOMPARE(after[i].viewers, before[i].viewers);
            QCOMPARE(after[i].droppedBytes, before[i].droppedBytes);
        }
    }

    void lateSampleMergesIntoItsMinute() {
        Database db = seeded();
        WriteContext context(db.connection());
        STORE_VERIFY(Rollup::runRetention(context, kNow));
        // Arrives after its minute (cutoff - 60 s .. cutoff) was rolled up: -35 avg of 6.
        STORE_VERIFY(HealthSamples::insert(context, sample("live/a", kCutoff - 5s, 175.0, 4)));
        auto again = Rollup::runRetention(context, kNow);
        STORE_VERIFY(again);
        QCOMPARE(again->samplesRolledUp, std::int64_t{1});
        QCOMPARE(again->minutesWritten, std::int64_t{1});
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto minutes = Rollup::minutes(*reader, "live/a", kCutoff - 60s, kCutoff);
        STORE_VERIFY(minutes);
        QCOMPARE(minutes->size(), std::size_t{1});
        const HealthMinute& m = minutes->front();
        QCOMPARE(m.samples, std::int64_t{7});
        QCOMPARE(m.videoKbps.avg, std::optional<double>((-35.0 * 6 + 175.0) / 7));
        QCOMPARE(m.videoKbps.max, std::optional<double>(175.0));
        QCOMPARE(m.videoKbps.min, std::optional<double>(-60.0));
        QCOMPARE(m.droppedBytes, std::int64_t{10});
    }

    void oldRollupsAreDeleted() {
        Database db = seeded();
        WriteContext context(db.connection());
        Time ancient = kNow - std::chrono::days{400};
        STORE_VERIFY(HealthSamples::insert(context, sample("live/a", ancient, 1.0, 0)));
        RetentionPolicy policy;
        policy.minutes = std::chrono::days{365};
        auto result = Rollup::runRetention(context, kNow, policy);
        STORE_VERIFY(result);
        QCOMPARE(result->minutesDeleted, std::int64_t{1});
        QCOMPARE(count(db, "SELECT count(*) FROM health_minutes"), std::int64_t{6});
        policy.minutes = std::chrono::days{0}; // keep forever
        STORE_VERIFY(HealthSamples::insert(context, sample("live/a", ancient, 1.0, 0)));
        result = Rollup::runRetention(context, kNow, policy);
        STORE_VERIFY(result);
        QCOMPARE(result->minutesDeleted, std::int64_t{0});
        QCOMPARE(count(db, "SELECT count(*) FROM health_minutes"), std::int64_t{7});
    }

    void failureRollsBackEverything() {
        Database db = seeded();
        WriteContext context(db.connection());
        STORE_VERIFY(db.connection().exec(
            "CREATE TEMP TRIGGER boom BEFORE DELETE ON main.health_samples WHEN "
            "(SELECT name FROM streams WHERE id = old.stream_id) = 'b' BEGIN "
            "SELECT RAISE(ABORT, 'simulated failure'); END"));
        auto result = Rollup::runRetention(context, kNow);
        QVERIFY(!result);
        QVERIFY2(result.error().message().find("simulated failure") != std::string::npos,
                 result.error().message().c_str());
        // live/a was processed before live/b failed; none of it stays.
        QCOMPARE(count(db, "SELECT count(*) FROM health_minutes"), std::int64_t{0});
        QCOMPARE(count(db, "SELECT count(*) FROM health_samples"), std::int64_t{50});
        QVERIFY(!db.connection().inTransaction());
    }
};

QTEST_APPLESS_MAIN(tst_Rollup)
#include "tst_Rollup.moc"
