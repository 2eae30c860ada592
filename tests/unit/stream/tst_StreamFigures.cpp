// The stream figures health monitoring reads: newest video/audio decode times, last keyframe,
// time since the last packet, arrival gaps and timestamp jumps; and what the hub's events
// carry for sessions: the unpublish reason, a player's user agent and bytes.

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
    const HubEvent* last(HubEventType t) const {
        for (auto it = events.rbegin(); it != events.rend(); ++it) {
            if (it->type == t) {
                return &*it;
            }
        }
        return nullptr;
    }
};

StreamKey key() {
    return *StreamKey::make("live", "fig");
}

} // namespace

class tst_StreamFigures : public QObject {
    Q_OBJECT

    SteadyTime now = SteadyTime{} + 5000s;
    Clock clock() {
        return [this] { return now; };
    }

private slots:
    void init() { now = SteadyTime{} + 5000s; }

    void timingFigures() {
        Hub hub({}, clock());
        auto pub = std::move(*hub.publish({key(), {1, "rtmp", "127.0.0.1"}, {}}));
        auto s = *hub.snapshot(key());
        QVERIFY(!s.lastVideoDts && !s.lastAudioDts && !s.sinceLastPacket);

        pub->push(videoConfig()); // configs are not media: no timing
        QVERIFY(!hub.snapshot(key())->sinceLastPacket);
        pub->push(video(0, true));
        now += 20ms;
        pub->push(audio(5));
        now += 20ms;
        pub->push(video(33));
        now += 300ms;
        s = *hub.snapshot(key());
        QCOMPARE(s.lastVideoDts->count(), 33);
        QCOMPARE(s.lastAudioDts->count(), 5);
        QCOMPARE(s.lastKeyframeDts->count(), 0);
        QCOMPARE(s.sinceLastPacket->count(), 300);
        QCOMPARE(s.arrivalGaps, std::uint64_t(0));
        QCOMPARE(s.timestampJumps, std::uint64_t(0));

        // Nothing for 800 ms (> 500 ms gap threshold), then a packet: one gap.
        now += 500ms;
        pub->push(video(66));
        QCOMPARE(hub.snapshot(key())->arrivalGaps, std::uint64_t(1));

        // Video jumps forward 5 s, then audio steps back: two jumps. Per track: audio at 26
        // after video at 66 is not a jump.
        pub->push(audio(26));
        pub->push(video(5066, true));
        pub->push(audio(10));
        s = *hub.snapshot(key());
        QCOMPARE(s.timestampJumps, std::uint64_t(2));
        QCOMPARE(s.lastKeyframeDts->count(), 5066);

        // A new publish starts its figures over.
        pub.reset();
        pub = std::move(*hub.publish({key(), {2, "rtmp", "127.0.0.1"}, {}}));
        s = *hub.snapshot(key());
        QVERIFY(!s.lastVideoDts && !s.sinceLastPacket);
        QCOMPARE(s.timestampJumps, std::uint64_t(0));
        QCOMPARE(s.arrivalGaps, std::uint64_t(0));
    }

    void eventsCarryReasonUserAgentAndBytes() {
        Hub hub({}, clock());
        Recorder rec;
        hub.addListener(&rec);
        auto pub = std::move(*hub.publish({key(), {1, "rtmp", "127.0.0.1"}, {}}));
        auto sub = std::move(*hub.subscribe(
            {key(), {2, "http-flv", "10.0.0.2", {}, {}, "Lavf/59.27.100"}, false, true, {}}));
        QCOMPARE(rec.last(HubEventType::ClientJoined)->userAgent, std::string("Lavf/59.27.100"));
        pub->push(video(0, true, 1000));
        pub->push(video(33, false, 500));
        std::vector<PacketPtr> out;
        sub->reader().drain(out, 1 << 20, now);
        pub->push(video(66, false, 700)); // queued, never drained: not delivered
        sub.reset();
        const auto* left = rec.last(HubEventType::ClientLeft);
        QVERIFY(left);
        QCOMPARE(left->bytes, std::uint64_t(1500));
        QCOMPARE(left->userAgent, std::string("Lavf/59.27.100"));

        pub->setEndReason("deleteStream");
        pub.reset();
        QCOMPARE(rec.last(HubEventType::Unpublished)->reason, std::string("deleteStream"));
        // Without a reason set, the event still says something.
        pub = std::move(*hub.publish({key(), {3, "rtmp", "127.0.0.1"}, {}}));
        pub.reset();
        QCOMPARE(rec.last(HubEventType::Unpublished)->reason, std::string("publisher left"));
        hub.removeListener(&rec);
    }
};

QTEST_APPLESS_MAIN(tst_StreamFigures)
#include "tst_StreamFigures.moc"
