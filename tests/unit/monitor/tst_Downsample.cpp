// downsample(): at most N points over [from, to), each with min, sample-weighted average
// and max of the finer points in its bucket; empty buckets give no point.

#include <QtTest>

#include "MonitorTestSupport.h"
#include "monitor/Downsample.h"

using namespace stagecast;
using namespace stagecast::monitor;
using monitortest::at;

namespace {

store::HealthPoint point(double second, double kbps, std::int64_t samples = 1) {
    store::HealthPoint p;
    p.at = at(second);
    p.samples = samples;
    p.videoKbps = kbps;
    p.fps = 30;
    p.droppedBytes = 10;
    return p;
}

} // namespace

class tst_Downsample : public QObject {
    Q_OBJECT

private slots:
    void minAvgMaxPerBucket() {
        // 60 one-second points, 1000..1059 kbps, into 6 buckets of 10 s.
        std::vector<store::HealthPoint> fine;
        for (int s = 0; s < 60; ++s) {
            fine.push_back(point(s, 1000 + s));
        }
        auto out = downsample(fine, at(0), at(60), 6);
        QCOMPARE(out.size(), std::size_t(6));
        for (int b = 0; b < 6; ++b) {
            const auto& p = out[static_cast<std::size_t>(b)];
            QVERIFY(p.at == at(b * 10));
            QCOMPARE(p.samples, std::int64_t(10));
            QCOMPARE(*p.videoKbps.min, 1000.0 + b * 10);
            QCOMPARE(*p.videoKbps.max, 1009.0 + b * 10);
            QCOMPARE(*p.videoKbps.avg, 1004.5 + b * 10);
            QCOMPARE(*p.fps.avg, 30.0);
            QVERIFY(!p.audioKbps.avg); // never measured: absent, not zero
            QCOMPARE(p.droppedBytes, std::int64_t(100));
        }
    }

    void averageIsWeightedBySamples() {
        // A rolled-up minute (60 samples at 100) and one raw sample at 1000 in one bucket.
        std::vector<store::HealthPoint> fine{point(0, 100, 60), point(60, 1000, 1)};
        auto out = downsample(fine, at(0), at(120), 1);
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out[0].samples, std::int64_t(61));
        QCOMPARE(*out[0].videoKbps.avg, (100.0 * 60 + 1000) / 61);
        QCOMPARE(*out[0].videoKbps.min, 100.0);
        QCOMPARE(*out[0].videoKbps.max, 1000.0);
    }

    void emptyBucketsAndOutOfRangePointsAreLeftOut() {
        std::vector<store::HealthPoint> fine{point(-5, 1), point(1, 2), point(95, 3),
                                             point(100, 4)};
        auto out = downsample(fine, at(0), at(100), 10);
        QCOMPARE(out.size(), std::size_t(2));
        QVERIFY(out[0].at == at(0));
        QVERIFY(out[1].at == at(90));
        QCOMPARE(*out[1].videoKbps.avg, 3.0);
    }

    void neverMorePointsThanAsked() {
        std::vector<store::HealthPoint> fine;
        for (int s = 0; s < 3600; ++s) {
            fine.push_back(point(s + 0.5, s % 100));
        }
        for (std::size_t n : {1u, 7u, 300u, 1000u, 3600u, 5000u}) {
            auto out = downsample(fine, at(0), at(3600), n);
            QVERIFY2(out.size() <= n, qPrintable(QString::number(n)));
            std::int64_t total = 0;
            for (std::size_t i = 0; i < out.size(); ++i) {
                total += out[i].samples;
                if (i > 0) {
                    QVERIFY(out[i - 1].at < out[i].at);
                }
            }
            QCOMPARE(total, std::int64_t(3600)); // every sample lands in exactly one point
        }
    }

    void degenerateInputs() {
        std::vector<store::HealthPoint> fine{point(1, 1)};
        QVERIFY(downsample(fine, at(0), at(10), 0).empty());
        QVERIFY(downsample(fine, at(10), at(10), 5).empty());
        QVERIFY(downsample({}, at(0), at(10), 5).empty());
    }
};

QTEST_APPLESS_MAIN(tst_Downsample)
#include "tst_Downsample.moc"
