// HealthSampler over synthetic hub snapshots: figures, deltas, stalls, reconnects, viewers by
// protocol; samples and publish-session codecs reach a real SQLite file; the thread ticks.

#include <QtTest>

#include <QTemporaryDir>

#include <atomic>

#include "MonitorTestSupport.h"
#include "monitor/HealthSampler.h"
#include "store/Database.h"
#include "store/HealthSamples.h"
#include "store/PublishSessions.h"
#include "store/StoreWriter.h"

using namespace stagecast;
using namespace stagecast::monitor;
using monitortest::at;
using namespace std::chrono_literals;

namespace {

stream::StreamSnapshot snapshot(const char* key, std::uint64_t publisher) {
    stream::StreamSnapshot s;
    s.key = key;
    s.live = true;
    s.publisherId = publisher;
    s.publisherProtocol = "rtmp";
    s.publisherAddress = "127.0.0.1";
    s.uptime = 10s;
    s.video.codec = "h264";
    s.video.width = 640;
    s.video.height = 360;
    s.video.nominalFrameRate = 30;
    s.audio.codec = "aac";
    s.videoBitrate = 1'500'000;
    s.audioBitrate = 128'000;
    s.frameRate = 30;
    s.keyframeInterval = 2;
    s.lastVideoDts = 10'000ms;
    s.lastAudioDts = 9'980ms;
    s.lastKeyframeDts = 9'000ms;
    s.sinceLastPacket = 20ms;
    s.readers = 3;
    return s;
}

} // namespace

class tst_HealthSampler : public QObject {
    Q_OBJECT

private slots:
    void figuresFromOneSnapshot() {
        std::vector<stream::StreamSnapshot> snaps{snapshot("live/a", 1)};
        auto waiting = snapshot("live/waiting", 0);
        waiting.live = false; // players waiting for a publisher: not sampled
        snaps.push_back(waiting);
        HealthSampler sampler(
            {}, [&] { return snaps; },
            [](const std::string&) {
                return std::map<std::string, std::size_t>{{"rtmp", 1}, {"http-flv", 2}};
            },
            nullptr);
        auto out = sampler.sampleOnce(at(0));
        QCOMPARE(out.size(), std::size_t(1));
        const auto& h = out[0];
        QCOMPARE(h.stream, std::string("live/a"));
        QCOMPARE(h.videoKbps, 1500.0);
        QCOMPARE(h.audioKbps, 128.0);
        QCOMPARE(h.fps, 30.0);
        QCOMPARE(h.keyframeIntervalS, 2.0);
        QCOMPARE(*h.sinceKeyframeS, 1.0);
        QCOMPARE(*h.avDriftMs, 20.0);
        QCOMPARE(h.viewers, std::size_t(3));
        QCOMPARE(h.viewersByProtocol.at("http-flv"), std::size_t(2));
        QCOMPARE(h.reconnects, 0u);
        QVERIFY(!h.stalled);
        QVERIFY(sampler.live("live/a").has_value());
        QVERIFY(!sampler.live("live/waiting").has_value());

        const auto extras = HealthSampler::extrasJson(h);
        QVERIFY2(extras.find("\"av_drift_ms\":20.0") != std::string::npos, extras.c_str());
        QVERIFY2(extras.find("\"viewers_by_protocol\":{\"http-flv\":2,\"rtmp\":1}") !=
                     std::string::npos,
                 extras.c_str());
    }

    void droppedBytesStallsAndReconnects() {
        auto s = snapshot("live/a", 1);
        std::vector<stream::StreamSnapshot> snaps{s};
        SamplerOptions options;
        options.stallAfter = 2000ms;
        HealthSampler sampler(
            options, [&] { return snaps; }, {}, nullptr);

        snaps[0].readerDroppedBytes = 5000;
        auto h = sampler.sampleOnce(at(0)).at(0);
        QCOMPARE(h.droppedBytes, std::uint64_t(5000));
        snaps[0].readerDroppedBytes = 7000;
        h = sampler.sampleOnce(at(1)).at(0);
        QCOMPARE(h.droppedBytes, std::uint64_t(2000)); // since the previous sample
        QCOMPARE(h.droppedBytesTotal, std::uint64_t(7000));

        // No packet for 2.5 s: stalled, one episode however many ticks it lasts.
        snaps[0].sinceLastPacket = 2500ms;
        h = sampler.sampleOnce(at(2)).at(0);
        QVERIFY(h.stalled);
        snaps[0].sinceLastPacket = 3500ms;
        h = sampler.sampleOnce(at(3)).at(0);
        QCOMPARE(h.stalls, std::uint64_t(1));
        snaps[0].sinceLastPacket = 10ms;
        h = sampler.sampleOnce(at(4)).at(0);
        QVERIFY(!h.stalled);
        QCOMPARE(h.stalls, std::uint64_t(1));

        // The publisher reconnects (a new client id), and again: two reconnects; the per-publish
        // stall count starts over; the hub's dropped counter restarting is not a negative delta.
        snaps[0] = snapshot("live/a", 2);
        snaps[0].readerDroppedBytes = 100;
        h = sampler.sampleOnce(at(5)).at(0);
        QCOMPARE(h.reconnects, 1u);
        QCOMPARE(h.stalls, std::uint64_t(0));
        QCOMPARE(h.droppedBytes, std::uint64_t(100));
        snaps.clear();
        QVERIFY(sampler.sampleOnce(at(6)).empty());
        QVERIFY(sampler.live().empty());
        snaps.push_back(snapshot("live/a", 3));
        h = sampler.sampleOnce(at(7)).at(0);
        QCOMPARE(h.reconnects, 2u);
    }

    void samplesAndCodecsAreStored() {
        QTemporaryDir dir;
        auto db = store::Database::open(
            {std::filesystem::path(dir.path().toStdString()) / "stagecast.db", 5000ms});
        QVERIFY(db.has_value());
        store::StoreWriter writer(std::move(*db));
        // The publish session exists (the recorder opened it on Published).
        auto opened = writer.submit([](store::WriteContext& c) {
            return store::PublishSessions::open(c, {"live/a", 1, "rtmp", "127.0.0.1", at(0)});
        });
        QVERIFY(opened.get().has_value());
        std::vector<stream::StreamSnapshot> snaps{snapshot("live/a", 1)};
        HealthSampler sampler(
            {}, [&] { return snaps; }, {}, &writer);
        for (int s = 1; s <= 10; ++s) {
            sampler.sampleOnce(at(s));
        }
        writer.flush();
        auto reader = writer.openReader();
        QVERIFY(reader.has_value());
        auto count = store::HealthSamples::countRaw(*reader, "live/a", at(0), at(100));
        QVERIFY(count.has_value());
        QCOMPARE(*count, std::int64_t(10));
        auto points = store::HealthSamples::query(*reader, "live/a", at(0), at(100), 1);
        QVERIFY(points.has_value());
        QCOMPARE(*points->at(0).videoKbps, 1500.0);
        QCOMPARE(*points->at(0).viewers, 3.0);
        auto sessions = store::PublishSessions::list(*reader, {});
        QVERIFY(sessions.has_value());
        QCOMPARE(sessions->size(), std::size_t(1));
        QCOMPARE(sessions->front().media.videoCodec, std::string("h264"));
        QCOMPARE(sessions->front().media.audioCodec, std::string("aac"));
        QCOMPARE(*sessions->front().media.width, std::int64_t(640));
        QCOMPARE(writer.counters().opsWritten, std::uint64_t(2)); // open + one setMedia
    }

    void threadSamplesAndSinksRun() {
        std::vector<stream::StreamSnapshot> snaps{snapshot("live/a", 1)};
        std::mutex m;
        SamplerOptions options;
        options.interval = 50ms;
        HealthSampler sampler(
            options,
            [&] {
                std::lock_guard lock(m);
                return snaps;
            },
            {}, nullptr);
        std::atomic<int> ticks{0};
        std::atomic<int> withStream{0};
        sampler.addSink([&](const std::vector<StreamHealth>& live, store::Time) {
            ++ticks;
            withStream += live.empty() ? 0 : 1;
        });
        sampler.start();
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 3, 10000);
        sampler.stop();
        const int after = ticks;
        QTest::qWait(200);
        QCOMPARE(ticks.load(), after); // stopped means stopped
        QCOMPARE(withStream.load(), after);
    }
};

QTEST_APPLESS_MAIN(tst_HealthSampler)
#include "tst_HealthSampler.moc"
