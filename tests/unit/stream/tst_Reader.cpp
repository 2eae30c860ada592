#include <QtTest>

#include "TestPackets.h"
#include "stream/Reader.h"

using namespace stagecast::stream;
using namespace stagecast::stream::test;
using namespace std::chrono_literals;

class tst_Reader : public QObject {
    Q_OBJECT

private:
    SteadyTime t0 = SteadyTime{} + 1000s;
    ReaderPolicy policy() {
        ReaderPolicy p;
        p.skipBacklog = 3000ms;
        p.maxBacklogBytes = 1 << 20;
        p.disconnectAfter = 10000ms;
        return p;
    }

private slots:
    void notifiesOnlyWhenQueueBecomesNonEmpty() {
        int wakes = 0;
        Reader r(1, policy(), [&] { ++wakes; });
        r.push(video(0, true), t0);
        r.push(video(33), t0);
        QCOMPARE(wakes, 1);
        std::vector<PacketPtr> out;
        QCOMPARE(r.drain(out, 1 << 20, t0), ReaderState::Open);
        QCOMPARE(out.size(), size_t(2));
        r.push(video(66), t0);
        QCOMPARE(wakes, 2);
    }

    void drainRespectsByteBudgetButTakesAtLeastOne() {
        Reader r(1, policy(), {});
        r.push(video(0, true, 5000), t0);
        r.push(video(33, false, 5000), t0);
        std::vector<PacketPtr> out;
        r.drain(out, 100, t0);
        QCOMPARE(out.size(), size_t(1));
        r.drain(out, 20000, t0);
        QCOMPARE(out.size(), size_t(2));
        QCOMPARE(r.counters().deliveredBytes, std::uint64_t(10000));
    }

    void skipsToNewestQueuedKeyframe() {
        Reader r(1, policy(), {});
        r.push(videoConfig(), t0);
        int ms = 0;
        r.push(video(ms, true), t0);
        for (ms = 33; ms < 2000; ms += 33) {
            r.push(video(ms), t0);
        }
        r.push(video(2000, true), t0); // second keyframe
        for (ms = 2033; ms <= 3100; ms += 33) {
            r.push(video(ms), t0);
        }
        auto c = r.counters();
        QCOMPARE(c.skips, std::uint64_t(1));
        std::vector<PacketPtr> out;
        r.drain(out, 1 << 30, t0);
        // Config kept, then the queue resumes at the 2000 ms keyframe.
        QVERIFY(out[0]->config);
        QCOMPARE(out[1]->dts, 2000ms);
        QVERIFY(out[1]->keyframe);
        QVERIFY(c.droppedPackets > 50);
    }

    void waitsForNextKeyframeWhenNoneQueued() {
        Reader r(1, policy(), {});
        r.push(video(0, true), t0);
        for (int ms = 33; ms <= 3100; ms += 33) {
            r.push(video(ms), t0);
        }
        // The head is the only keyframe: everything goes, and inter frames are refused.
        QCOMPARE(r.counters().skips, std::uint64_t(1));
        QCOMPARE(r.counters().queuedPackets, size_t(0));
        QCOMPARE(r.push(video(3200), t0), Reader::PushOutcome::Skipped);
        QCOMPARE(r.push(audio(3210), t0), Reader::PushOutcome::Skipped);
        QCOMPARE(r.push(video(3300, true), t0), Reader::PushOutcome::Queued);
        std::vector<PacketPtr> out;
        r.drain(out, 1 << 30, t0);
        QCOMPARE(out.size(), size_t(1));
        QVERIFY(out[0]->keyframe);
    }

    void byteBoundAlsoSkips() {
        auto p = policy();
        p.maxBacklogBytes = 10000;
        Reader r(1, p, {});
        for (int i = 0; i < 12; ++i) {
            r.push(video(i * 33, i % 4 == 0, 1000), t0);
        }
        QVERIFY(r.counters().skips >= 1);
        QVERIFY(r.counters().queuedBytes <= 10000);
    }

    void disconnectsAfterStayingBehind() {
        Reader r(1, policy(), {});
        auto now = t0;
        int ms = 0;
        Reader::PushOutcome last = Reader::PushOutcome::Queued;
        // 30 fps with a keyframe every second; the reader never drains.
        for (; ms < 20000 && last != Reader::PushOutcome::Ended; ms += 33) {
            now = t0 + std::chrono::milliseconds(ms);
            last = r.push(video(ms, ms % 990 == 0), now);
        }
        QCOMPARE(r.state(), ReaderState::TooSlow);
        // Ended between 10 s (stalled bound) and 14 s (first skip at ~3 s + 10 s).
        QVERIFY2(ms >= 10000 && ms <= 14000, qPrintable(QString::number(ms)));
        std::vector<PacketPtr> out;
        QCOMPARE(r.drain(out, 1 << 30, now), ReaderState::TooSlow);
        QVERIFY(out.empty());
    }

    void readerThatKeepsUpIsNeverSkipped() {
        Reader r(1, policy(), {});
        std::vector<PacketPtr> out;
        for (int ms = 0; ms < 60000; ms += 20) {
            auto now = t0 + std::chrono::milliseconds(ms);
            r.push(ms % 2000 == 0 ? video(ms, true) : audio(ms), now);
            if (ms % 500 == 0) {
                r.drain(out, 1 << 30, now);
            }
        }
        QCOMPARE(r.counters().skips, std::uint64_t(0));
        QCOMPARE(r.counters().droppedPackets, std::uint64_t(0));
    }

    void preloadedGopDoesNotCountAsBacklog() {
        Reader r(1, policy(), {});
        std::vector<PacketPtr> burst{metadata(), videoConfig(), video(0, true)};
        for (int ms = 33; ms < 8000; ms += 33) {
            burst.push_back(video(ms));
        }
        r.preload(burst, t0);
        QCOMPARE(r.push(video(8000), t0), Reader::PushOutcome::Queued);
        QCOMPARE(r.counters().skips, std::uint64_t(0));
    }

    void endKeepsQueuedPacketsDrainable() {
        int wakes = 0;
        Reader r(1, policy(), [&] { ++wakes; });
        r.push(video(0, true), t0);
        r.end(ReaderState::StreamEnded);
        QCOMPARE(wakes, 2);
        QCOMPARE(r.push(video(33), t0), Reader::PushOutcome::Ended);
        std::vector<PacketPtr> out;
        QCOMPARE(r.drain(out, 1 << 20, t0), ReaderState::StreamEnded);
        QCOMPARE(out.size(), size_t(1));
    }
};

QTEST_APPLESS_MAIN(tst_Reader)
#include "tst_Reader.moc"
