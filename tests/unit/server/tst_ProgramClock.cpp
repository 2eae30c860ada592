// The program date-time clock of the HLS packagers: anchored at the first arrival, on the
// stream's timeline after it, re-anchored when timeline and wall clock part by more than the
// allowed drift (either way), and again after a reset (a discontinuity).

#include <QTest>

#include "server/hls/ProgramClock.h"

using stagecast::server::hls::ProgramClock;

class tst_ProgramClock : public QObject {
    Q_OBJECT

private slots:
    void followsTheTimelineFromTheFirstArrival() {
        ProgramClock c(1000);
        QCOMPARE(c.stamp(5000, 100'000), std::int64_t(100'000));
        // Arrival jitter does not move the dates: they are the timeline's.
        QCOMPARE(c.stamp(7000, 102'040), std::int64_t(102'000));
        QCOMPARE(c.stamp(9000, 103'950), std::int64_t(104'000));
        QCOMPARE(c.reanchors(), std::uint64_t(0));
    }

    void reanchorsWhenThePublisherRunsSlowOrFast() {
        ProgramClock c(1000);
        c.stamp(0, 100'000);
        QCOMPARE(c.stamp(2000, 103'000), std::int64_t(102'000));   // exactly the limit: kept
        QCOMPARE(c.stamp(4000, 105'001), std::int64_t(105'001));   // slower: re-anchored
        QCOMPARE(c.stamp(6000, 107'001), std::int64_t(107'001));   // on the new timeline
        QCOMPARE(c.stamp(10'000, 108'000), std::int64_t(108'000)); // faster: re-anchored
        QCOMPARE(c.reanchors(), std::uint64_t(2));
    }

    void resetAnchorsAtTheNextArrival() {
        ProgramClock c(1000);
        c.stamp(90'000, 100'000);
        c.reset();
        QCOMPARE(c.stamp(0, 100'500), std::int64_t(100'500)); // a new publisher at 0
        QCOMPARE(c.stamp(1000, 101'480), std::int64_t(101'500));
        QCOMPARE(c.reanchors(), std::uint64_t(0)); // a reset is not drift
    }

    void nowIsTheSystemClock() {
        const auto before = QDateTime::currentMSecsSinceEpoch();
        const auto now = ProgramClock::nowMs();
        QVERIFY(now >= before && now <= QDateTime::currentMSecsSinceEpoch());
    }
};

QTEST_APPLESS_MAIN(tst_ProgramClock)
#include "tst_ProgramClock.moc"
