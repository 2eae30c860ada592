// Tests for the webhook retry policy: the doubling schedule, its cap, the jitter bounds, and
// which answers are retried.

#include <QtTest>

#include "server/webhook/Backoff.h"

using namespace stagecast::server::webhook;
using namespace std::chrono_literals;

class tst_Backoff : public QObject {
    Q_OBJECT

private slots:
    void schedule() {
        // unit 0.5 is the jitter factor 1.0: the plain schedule 1 s, 2 s, 4 s, 8 s, 16 s...
        const std::chrono::milliseconds expected[] = {1000ms,  2000ms,  4000ms,  8000ms,
                                                      16000ms, 32000ms, 60000ms, 60000ms};
        for (unsigned retry = 1; retry <= 8; ++retry) {
            QCOMPARE(retryDelay(retry, 1000ms, 60000ms, 0.5).count(), expected[retry - 1].count());
        }
    }

    void jitterBounds() {
        QCOMPARE(retryDelay(1, 1000ms, 60000ms, 0.0).count(), 800);
        QCOMPARE(retryDelay(1, 1000ms, 60000ms, 1.0).count(), 1200);
        QCOMPARE(retryDelay(3, 1000ms, 60000ms, 0.0).count(), 3200);
        QCOMPARE(retryDelay(3, 1000ms, 60000ms, 0.999).count(), 4798);
        // Out-of-range randomness is clamped, never a negative or huge delay.
        QCOMPARE(retryDelay(1, 1000ms, 60000ms, -5.0).count(), 800);
        QCOMPARE(retryDelay(1, 1000ms, 60000ms, 7.0).count(), 1200);
    }

    void capAndEdges() {
        QCOMPARE(retryDelay(0, 1000ms, 60000ms, 0.5).count(), 0);        // no retry, no delay
        QCOMPARE(retryDelay(1000, 1000ms, 60000ms, 0.5).count(), 60000); // no overflow
        QCOMPARE(retryDelay(1, 5000ms, 2000ms, 0.5).count(), 2000);      // base above the cap
        QCOMPARE(retryDelay(2, 0ms, 60000ms, 0.5).count(), 0);
    }

    void retryable_data() {
        QTest::addColumn<unsigned>("status");
        QTest::addColumn<bool>("retry");
        QTest::newRow("no answer") << 0u << true;
        QTest::newRow("200") << 200u << false;
        QTest::newRow("204") << 204u << false;
        QTest::newRow("301") << 301u << false;
        QTest::newRow("400") << 400u << false;
        QTest::newRow("403") << 403u << false;
        QTest::newRow("404") << 404u << false;
        QTest::newRow("408") << 408u << true;
        QTest::newRow("429") << 429u << true;
        QTest::newRow("500") << 500u << true;
        QTest::newRow("503") << 503u << true;
        QTest::newRow("599") << 599u << true;
    }

    void retryable() {
        QFETCH(unsigned, status);
        QFETCH(bool, retry);
        QCOMPARE(isRetryable(status), retry);
    }
};

QTEST_APPLESS_MAIN(tst_Backoff)
#include "tst_Backoff.moc"
