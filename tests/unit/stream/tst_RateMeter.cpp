#include <QtTest>

#include "stream/RateMeter.h"

using namespace stagecast::stream;
using namespace std::chrono_literals;

class tst_RateMeter : public QObject {
    Q_OBJECT

private slots:
    void averagesCompletedSeconds() {
        RateMeter m;
        auto t0 = SteadyTime{} + 100s;
        for (int ms = 0; ms < 3000; ms += 10) {
            m.add(10, t0 + std::chrono::milliseconds(ms));
        }
        QCOMPARE(m.perSecond(t0 + 3000ms), 1000.0);
        // The partial current second is left out.
        m.add(1'000'000, t0 + 3100ms);
        QCOMPARE(m.perSecond(t0 + 3500ms), 1000.0);
    }

    void forgetsOldSeconds() {
        RateMeter m;
        auto t0 = SteadyTime{} + 100s;
        m.add(5000, t0);
        QCOMPARE(m.perSecond(t0 + 1s), 5000.0);
        QCOMPARE(m.perSecond(t0 + 20s), 0.0);
    }

    void emptyIsZero() {
        RateMeter m;
        QCOMPARE(m.perSecond(SteadyTime{} + 5s), 0.0);
    }
};

QTEST_APPLESS_MAIN(tst_RateMeter)
#include "tst_RateMeter.moc"
