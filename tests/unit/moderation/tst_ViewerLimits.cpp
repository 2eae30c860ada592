// Per-viewer rate limit (token bucket) and repeated messages, driven by a fake clock.

#include <QtTest>

#include "moderation/ViewerLimits.h"

using namespace stagecast::moderation;
using namespace std::chrono_literals;

namespace {

const SteadyTime t0{};

} // namespace

class tst_ViewerLimits : public QObject {
    Q_OBJECT

private slots:
    void burstThenRefill() {
        RateLimiter limiter({5, 30s});
        for (int i = 0; i < 5; ++i) {
            QVERIFY2(!limiter.take("v1", t0), qPrintable(QString("message %1").arg(i)));
        }
        auto wait = limiter.take("v1", t0);
        QVERIFY(wait.has_value());
        QCOMPARE(wait->count(), 6000); // one token per 6 s
        // A refused message takes no token: 5.9 s later it is still 0.1 s away.
        auto later = limiter.take("v1", t0 + 5900ms);
        QVERIFY(later.has_value());
        QCOMPARE(later->count(), 100);
        QVERIFY(!limiter.take("v1", t0 + 6s));
        QVERIFY(limiter.take("v1", t0 + 6s));
        // After a whole window the bucket is full again, not fuller.
        for (int i = 0; i < 5; ++i) {
            QVERIFY(!limiter.take("v1", t0 + 60s));
        }
        QVERIFY(limiter.take("v1", t0 + 60s));
    }

    void viewersAreIndependent() {
        RateLimiter limiter({2, 10s});
        QVERIFY(!limiter.take("a", t0));
        QVERIFY(!limiter.take("a", t0));
        QVERIFY(limiter.take("a", t0));
        QVERIFY(!limiter.take("b", t0));
    }

    void trackedViewersAreBounded() {
        RateLimiter limiter({1, 10s}, 3);
        QVERIFY(!limiter.take("a", t0));
        QVERIFY(!limiter.take("b", t0 + 1s));
        QVERIFY(!limiter.take("c", t0 + 2s));
        QVERIFY(!limiter.take("d", t0 + 3s)); // evicts the oldest busy one, a
        QCOMPARE(limiter.trackedViewers(), std::size_t(3));
        QVERIFY(limiter.take("d", t0 + 3s)); // d itself is limited
        // Idle viewers (full buckets) are dropped first.
        QVERIFY(!limiter.take("e", t0 + 60s));
        QCOMPARE(limiter.trackedViewers(), std::size_t(1));
    }

    void repeats() {
        RepeatDetector repeats(60s);
        QVERIFY(!repeats.repeated("v1", "hello", t0));
        QVERIFY(repeats.repeated("v1", "hello", t0 + 10s));
        QVERIFY(!repeats.repeated("v2", "hello", t0 + 10s)); // another viewer
        QVERIFY(!repeats.repeated("v1", "hello there", t0 + 11s));
        // Window counts from each sending: the one at 10 s is still in at 69 s.
        QVERIFY(repeats.repeated("v1", "hello", t0 + 69s));
        QVERIFY(!repeats.repeated("v1", "other", t0 + 200s));
        QVERIFY(!repeats.repeated("v1", "hello", t0 + 200s));
    }

    void repeatHistoryIsBounded() {
        RepeatDetector repeats(60s, 10, 2);
        QVERIFY(!repeats.repeated("v", "one", t0));
        QVERIFY(!repeats.repeated("v", "two", t0));
        QVERIFY(!repeats.repeated("v", "three", t0)); // "one" falls out (2 per viewer)
        QVERIFY(!repeats.repeated("v", "one", t0));
        QVERIFY(repeats.repeated("v", "one", t0));
    }

    void zeroWindowIsOff() {
        RepeatDetector repeats(0s);
        QVERIFY(!repeats.repeated("v", "x", t0));
        QVERIFY(!repeats.repeated("v", "x", t0));
    }
};

QTEST_APPLESS_MAIN(tst_ViewerLimits)
#include "tst_ViewerLimits.moc"
