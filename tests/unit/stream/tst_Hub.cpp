#include <QtTest>

#include "TestPackets.h"
#include "stream/Hub.h"

using namespace stagecast::stream;
using namespace stagecast::stream::test;
using namespace std::chrono_literals;

namespace {

struct Recorder : HubEventListener {
    std::vector<HubEvent> events;
    void onHubEvent(const HubEvent& e) override { events.push_back(e); }
    int count(HubEventType t) const {
        return static_cast<int>(std::count_if(events.begin(), events.end(),
                                              [&](const HubEvent& e) { return e.type == t; }));
    }
};

StreamKey key(const char* name = "foo") {
    return *StreamKey::make("live", name);
}

} // namespace

class tst_Hub : public QObject {
    Q_OBJECT

private:
    SteadyTime now = SteadyTime{} + 5000s;
    Clock clock() {
        return [this] { return now; };
    }

    std::unique_ptr<Publisher> publish(Hub& hub, std::uint64_t id = 1,
                                       std::function<void(const std::string&)> evicted = {}) {
        auto p = hub.publish({key(), {id, "rtmp", "127.0.0.1"}, std::move(evicted)});
        if (!p) {
            qFatal("%s", p.error().message().c_str());
        }
        return std::move(*p);
    }

    std::unique_ptr<Subscription> subscribe(Hub& hub, std::uint64_t id, bool wait = false,
                                            bool endWithPublisher = true) {
        auto s = hub.subscribe({key(), {id, "http-flv", "127.0.0.1"}, wait, endWithPublisher, {}});
        if (!s) {
            qFatal("%s", s.error().message().c_str());
        }
        return std::move(*s);
    }

private slots:
    void init() { now = SteadyTime{} + 5000s; }

    void fanOutSharesOnePacket() {
        Hub hub({}, clock());
        auto pub = publish(hub);
        auto a = subscribe(hub, 2);
        auto b = subscribe(hub, 3);
        auto p = video(0, true);
        pub->push(p);
        std::vector<PacketPtr> outA, outB;
        a->reader().drain(outA, 1 << 20, now);
        b->reader().drain(outB, 1 << 20, now);
        QCOMPARE(outA.size(), size_t(1));
        QCOMPARE(outA[0].get(), p.get()); // the same object, not a copy
        QCOMPARE(outB[0].get(), p.get());
        // Held by the test, by each reader's batch and by the GOP cache: never copied.
        QCOMPARE(p.use_count(), 4L);
    }

    void lateJoinerStartsOnKeyframeWithHeaders() {
        Hub hub({}, clock());
        auto pub = publish(hub);
        pub->push(metadata());
        pub->push(videoConfig());
        pub->push(audioConfig());
        pub->push(video(0, true));
        pub->push(video(33));
        pub->push(video(2000, true));
        pub->push(audio(2010));
        pub->push(video(2033));
        auto late = subscribe(hub, 9);
        std::vector<PacketPtr> out;
        late->reader().drain(out, 1 << 30, now);
        QCOMPARE(out.size(), size_t(6));
        QCOMPARE(out[0]->kind, TrackKind::Data);
        QVERIFY(out[1]->config && out[1]->kind == TrackKind::Video);
        QVERIFY(out[2]->config && out[2]->kind == TrackKind::Audio);
        QVERIFY(out[3]->keyframe);
        QCOMPARE(out[3]->dts, 2000ms);
        QCOMPARE(out[5]->dts, 2033ms);
    }

    void gopCacheOffStartsAtNextPacket() {
        HubOptions o;
        o.stream.gopCache = false;
        Hub hub(o, clock());
        auto pub = publish(hub);
        pub->push(videoConfig());
        pub->push(video(0, true));
        auto late = subscribe(hub, 2);
        std::vector<PacketPtr> out;
        late->reader().drain(out, 1 << 30, now);
        QCOMPARE(out.size(), size_t(1));
        QVERIFY(out[0]->config);
    }

    void secondPublishIsRefusedByDefault() {
        Hub hub({}, clock());
        Recorder rec;
        hub.addListener(&rec);
        auto first = publish(hub, 1);
        auto second = hub.publish({key(), {2, "rtmp", "10.0.0.2"}, {}});
        QVERIFY(!second);
        QVERIFY(second.error().message().find("already being published") != std::string::npos);
        QCOMPARE(rec.count(HubEventType::AuthDenied), 1);
        hub.removeListener(&rec);
    }

    void takeOverEvictsTheFirstPublisher() {
        HubOptions o;
        o.onDuplicatePublish = DuplicatePublish::TakeOver;
        Hub hub(o, clock());
        std::string evictedWhy;
        auto first = publish(hub, 1, [&](const std::string& why) { evictedWhy = why; });
        auto viewer = subscribe(hub, 5);
        auto second = publish(hub, 2);
        QVERIFY(evictedWhy.find("taken over") != std::string::npos);
        first->push(video(100, true)); // ignored: no longer the publisher
        second->push(video(200, true));
        std::vector<PacketPtr> out;
        viewer->reader().drain(out, 1 << 20, now);
        QCOMPARE(out.size(), size_t(1));
        QCOMPARE(out[0]->dts, 200ms);
        first.reset(); // must not unpublish the new publisher
        QVERIFY(hub.snapshot(key())->live);
    }

    void subscribeToMissingStream() {
        Hub hub({}, clock());
        auto s = hub.subscribe({key(), {1, "http-flv", "::1"}, false, true, {}});
        QVERIFY(!s);
        QCOMPARE(QString::fromStdString(s.error().message()),
                 QString("stream live/foo is not being published"));
        auto waiting = subscribe(hub, 2, true);
        QVERIFY(!waiting->live());
        auto pub = publish(hub);
        pub->push(video(0, true));
        std::vector<PacketPtr> out;
        waiting->reader().drain(out, 1 << 20, now);
        QCOMPARE(out.size(), size_t(1));
    }

    void unpublishEndsPlayersButNotPersistentReaders() {
        Hub hub({}, clock());
        Recorder rec;
        hub.addListener(&rec);
        auto pub = publish(hub);
        auto player = subscribe(hub, 2);
        auto relay = subscribe(hub, 3, true, false);
        pub.reset();
        std::vector<PacketPtr> out;
        QCOMPARE(player->reader().drain(out, 1, now), ReaderState::StreamEnded);
        QCOMPARE(relay->reader().drain(out, 1, now), ReaderState::Open);
        player.reset();
        QCOMPARE(rec.count(HubEventType::Published), 1);
        QCOMPARE(rec.count(HubEventType::Unpublished), 1);
        QCOMPARE(rec.count(HubEventType::ClientJoined), 2);
        QCOMPARE(rec.count(HubEventType::ClientLeft), 1);
        QCOMPARE(QString::fromStdString(rec.events.back().reason), QString("stream ended"));
        relay.reset();
        QVERIFY(!hub.snapshot(key())); // idle streams leave the registry
        hub.removeListener(&rec);
    }

    void slowReaderDoesNotHoldBackOthers() {
        Hub hub({}, clock());
        Recorder rec;
        hub.addListener(&rec);
        auto pub = publish(hub);
        auto fast = subscribe(hub, 2);
        auto slow = subscribe(hub, 3);
        std::size_t delivered = 0;
        int pushed = 0;
        for (int ms = 0; ms < 30000; ms += 33) {
            now = SteadyTime{} + 5000s + std::chrono::milliseconds(ms);
            pub->push(video(ms, ms % 1980 == 0));
            ++pushed;
            std::vector<PacketPtr> out;
            fast->reader().drain(out, 1 << 30, now);
            delivered += out.size();
        }
        QCOMPARE(delivered, static_cast<std::size_t>(pushed));
        QCOMPARE(slow->reader().state(), ReaderState::TooSlow);
        auto snap = hub.snapshot(key());
        QCOMPARE(snap->readersDisconnectedSlow, std::uint64_t(1));
        QCOMPARE(snap->readers, size_t(1));
        QVERIFY(snap->readerDroppedBytes > 0);
        slow.reset();
        QCOMPARE(rec.count(HubEventType::ReaderDropped), 1);
        hub.removeListener(&rec);
    }

    void snapshotMeasuresRates() {
        Hub hub({}, clock());
        auto pub = publish(hub);
        pub->setVideoInfo({"h264", "High", 3.1, 1280, 720, 30});
        // 4 s of 30 fps video at 1000 bytes per frame, keyframe every 2 s.
        for (int i = 0; i < 120; ++i) {
            now = SteadyTime{} + 5000s + std::chrono::milliseconds(i * 1000 / 30);
            pub->push(video(i * 1000 / 30, i % 60 == 0, 1000));
        }
        now = SteadyTime{} + 5004s;
        auto s = hub.snapshot(key());
        QVERIFY(s);
        QCOMPARE(s->video.width, 1280u);
        QCOMPARE(qRound(s->frameRate), 30);
        QCOMPARE(qRound(s->videoBitrate), 240000);
        QCOMPARE(s->keyframeInterval, 2.0);
        QCOMPARE(s->videoFrames, std::uint64_t(120));
        QCOMPARE(s->uptime, 4000ms);
    }

    void kickEndsEverything() {
        Hub hub({}, clock());
        std::string why;
        auto pub = publish(hub, 1, [&](const std::string& r) { why = r; });
        auto viewer = subscribe(hub, 2);
        QVERIFY(hub.kickStream(key(), "kicked by operator"));
        QCOMPARE(QString::fromStdString(why), QString("kicked by operator"));
        std::vector<PacketPtr> out;
        QCOMPARE(viewer->reader().drain(out, 1, now), ReaderState::Kicked);
        QVERIFY(!hub.kickStream(key("other"), "x"));
    }

    void streamKeyValidation_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << "live/foo" << true;
        QTest::newRow("dots-dashes") << "live/cam-1_a.b" << true;
        QTest::newRow("no-slash") << "livefoo" << false;
        QTest::newRow("traversal") << "live/../etc" << false;
        QTest::newRow("leading-dot") << "live/.hidden" << false;
        QTest::newRow("space") << "live/a b" << false;
        QTest::newRow("empty-name") << "live/" << false;
        QTest::newRow("nested") << "live/a/b" << false;
    }
    void streamKeyValidation() {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QCOMPARE(StreamKey::parse(text.toStdString()).has_value(), valid);
    }
};

QTEST_APPLESS_MAIN(tst_Hub)
#include "tst_Hub.moc"
