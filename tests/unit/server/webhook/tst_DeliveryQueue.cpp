// Tests for the bounded webhook queue: the bound, the drop-oldest policy, and retries that
// wait for their time without holding up deliveries that are due.

#include <QtTest>

#include "server/webhook/DeliveryQueue.h"

using namespace stagecast::server::webhook;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

Delivery make(std::uint64_t id, Clock::time_point notBefore = {}) {
    Delivery d;
    d.id = id;
    d.action = "on_play";
    d.url = "http://127.0.0.1/x";
    d.body = "{}";
    d.notBefore = notBefore;
    return d;
}

} // namespace

class tst_DeliveryQueue : public QObject {
    Q_OBJECT

private slots:
    void boundDropsOldest() {
        DeliveryQueue q(3);
        QVERIFY(!q.push(make(1)));
        QVERIFY(!q.push(make(2)));
        QVERIFY(!q.push(make(3)));
        QCOMPARE(q.size(), std::size_t(3));
        auto dropped = q.push(make(4));
        QVERIFY(dropped);
        QCOMPARE(dropped->id, std::uint64_t(1));
        dropped = q.push(make(5));
        QCOMPARE(dropped->id, std::uint64_t(2));
        QCOMPARE(q.size(), std::size_t(3)); // never above the bound
        const auto now = Clock::now();
        QCOMPARE(q.popDue(now)->id, std::uint64_t(3));
        QCOMPARE(q.popDue(now)->id, std::uint64_t(4));
        QCOMPARE(q.popDue(now)->id, std::uint64_t(5));
        QVERIFY(!q.popDue(now));
        QVERIFY(q.empty());
    }

    void limitOfZeroMeansOne() {
        DeliveryQueue q(0);
        QCOMPARE(q.limit(), std::size_t(1));
        QVERIFY(!q.push(make(1)));
        QCOMPARE(q.push(make(2))->id, std::uint64_t(1));
    }

    void waitingRetryDoesNotBlockDueOnes() {
        DeliveryQueue q(10);
        const auto now = Clock::now();
        q.push(make(1, now + 2s)); // a retry waiting two seconds
        q.push(make(2));
        q.push(make(3, now + 1s));
        QCOMPARE(q.popDue(now)->id, std::uint64_t(2));
        QVERIFY(!q.popDue(now));
        QVERIFY(q.nextDue() == now + 1s);
        QCOMPARE(q.popDue(now + 1s)->id, std::uint64_t(3));
        QVERIFY(q.nextDue() == now + 2s);
        QVERIFY(!q.popDue(now + 1999ms));
        QCOMPARE(q.popDue(now + 2s)->id, std::uint64_t(1));
        QVERIFY(!q.nextDue());
    }

    void clearCounts() {
        DeliveryQueue q(10);
        q.push(make(1));
        q.push(make(2, Clock::now() + 1h));
        QCOMPARE(q.clear(), std::size_t(2));
        QVERIFY(q.empty());
    }
};

QTEST_APPLESS_MAIN(tst_DeliveryQueue)
#include "tst_DeliveryQueue.moc"
