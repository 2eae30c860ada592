// The health API's parameters (from/to as Unix seconds or RFC 3339, points) and its query
// over one hour of 1 s samples in a real SQLite file.

#include <QtTest>

#include <QTemporaryDir>

#include "MonitorTestSupport.h"
#include "monitor/HealthQuery.h"
#include "store/Database.h"
#include "store/StoreWriter.h"

using namespace stagecast;
using namespace stagecast::monitor;
using monitortest::at;
using namespace std::chrono_literals;

class tst_HealthQuery : public QObject {
    Q_OBJECT

private slots:
    void timeForms_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("unixMs");
        QTest::newRow("unix seconds") << "1767225600" << qint64(1767225600000);
        QTest::newRow("unix fractional") << "1767225600.25" << qint64(1767225600250);
        QTest::newRow("rfc3339 Z") << "2026-01-01T00:00:00Z" << qint64(1767225600000);
        QTest::newRow("rfc3339 lower z, ms") << "2026-01-01t00:00:01.5z" << qint64(1767225601500);
        QTest::newRow("rfc3339 offset") << "2026-01-01T08:00:00+08:00" << qint64(1767225600000);
        QTest::newRow("rfc3339 negative offset")
            << "2025-12-31T19:30:00-04:30" << qint64(1767225600000);
        QTest::newRow("rfc3339 space") << "2026-01-01 00:00:00Z" << qint64(1767225600000);
    }

    void timeForms() {
        QFETCH(QString, text);
        QFETCH(qint64, unixMs);
        auto parsed = parseTimeParam(text.toStdString());
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message().c_str());
        QCOMPARE(store::toUnixMs(*parsed), std::int64_t(unixMs));
    }

    void badTimes_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("words") << "yesterday";
        QTest::newRow("no zone") << "2026-01-01T00:00:00";
        QTest::newRow("bad month") << "2026-13-01T00:00:00Z";
        QTest::newRow("feb 30") << "2026-02-30T00:00:00Z";
        QTest::newRow("bad hour") << "2026-01-01T24:00:00Z";
        QTest::newRow("trailing") << "2026-01-01T00:00:00Zx";
        QTest::newRow("unix trailing") << "1767225600s";
        QTest::newRow("huge") << "1e300";
    }

    void badTimes() {
        QFETCH(QString, text);
        auto parsed = parseTimeParam(text.toStdString());
        QVERIFY(!parsed.has_value());
        QVERIFY2(parsed.error().message().find("RFC 3339") != std::string::npos,
                 parsed.error().message().c_str());
    }

    void rangeDefaultsAndErrors() {
        auto r = parseHealthRange(std::nullopt, std::nullopt, std::nullopt, at(3600));
        QVERIFY(r.has_value());
        QVERIFY(r->to == at(3600));
        QVERIFY(r->from == at(3000)); // last 10 minutes
        QCOMPARE(r->points, std::size_t(300));

        r = parseHealthRange("1767225600", "2026-01-01T01:00:00Z", "60", at(99999));
        QVERIFY(r.has_value());
        QVERIFY(r->from == at(0));
        QVERIFY(r->to == at(3600));
        QCOMPARE(r->points, std::size_t(60));

        const auto error = [](auto result) {
            return result ? std::string() : result.error().message();
        };
        QCOMPARE(error(parseHealthRange(std::nullopt, std::nullopt, "0", at(0))),
                 std::string("points: 0 is out of range 1..10000"));
        QCOMPARE(error(parseHealthRange(std::nullopt, std::nullopt, "ten", at(0))),
                 std::string("points: 'ten' is not a whole number"));
        QCOMPARE(error(parseHealthRange("1767229200", "1767225600", std::nullopt, at(0))),
                 std::string("from must be before to"));
        QVERIFY(error(parseHealthRange("soon", std::nullopt, std::nullopt, at(0)))
                    .starts_with("from: "));
        QVERIFY(error(parseHealthRange(std::nullopt, "later", std::nullopt, at(0)))
                    .starts_with("to: "));
    }

    void oneHourOfSamplesDownsampled() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "stagecast.db";
        {
            auto db = store::Database::open({path, 5000ms});
            QVERIFY(db.has_value());
            store::StoreWriter writer(std::move(*db));
            // One hour at 1 s: video kbps rises 1000..4599, viewers 0..9 repeating.
            for (int s = 0; s < 3600; ++s) {
                store::HealthSample sample;
                sample.stream = "live/hour";
                sample.at = at(s);
                sample.videoKbps = 1000 + s;
                sample.audioKbps = 128;
                sample.fps = 30;
                sample.keyframeIntervalS = 2;
                sample.viewers = s % 10;
                sample.droppedBytes = 1;
                writer.enqueueSample(std::move(sample));
            }
            writer.flush();
            QCOMPARE(writer.counters().samplesWritten, std::uint64_t(3600));
        }
        auto reader = store::StoreReader::open(path);
        QVERIFY(reader.has_value());
        HealthRange range{at(0), at(3600), 300};
        auto points = queryHealth(*reader, "live/hour", range);
        QVERIFY2(points.has_value(), points ? "" : points.error().message().c_str());
        QCOMPARE(points->size(), std::size_t(300));
        std::int64_t samples = 0;
        for (std::size_t i = 0; i < points->size(); ++i) {
            const auto& p = (*points)[i];
            samples += p.samples;
            // 12 s per point: the exact raw min and max, the mean between them.
            const double first = 1000.0 + static_cast<double>(i) * 12;
            QCOMPARE(p.samples, std::int64_t(12));
            QCOMPARE(*p.videoKbps.min, first);
            QCOMPARE(*p.videoKbps.max, first + 11);
            QCOMPARE(*p.videoKbps.avg, first + 5.5);
            QCOMPARE(*p.viewers.min, 0.0);
            QCOMPARE(*p.viewers.max, 9.0);
            QCOMPARE(*p.audioKbps.avg, 128.0);
            QCOMPARE(p.droppedBytes, std::int64_t(12));
        }
        QCOMPARE(samples, std::int64_t(3600));

        // A part of the hour with fewer points than seconds, and an unknown stream.
        points = queryHealth(*reader, "live/hour", {at(600), at(1200), 7});
        QVERIFY(points.has_value());
        QVERIFY(points->size() <= 7);
        // 600 s read as 140 finer points of ~4.3 s: min and max are those of short averages,
        // within a few seconds' worth of the raw extremes.
        QVERIFY(*points->front().videoKbps.min >= 1600 && *points->front().videoKbps.min <= 1605);
        QVERIFY(*points->back().videoKbps.max <= 2199 && *points->back().videoKbps.max >= 2194);
        points = queryHealth(*reader, "live/none", range);
        QVERIFY(points.has_value());
        QVERIFY(points->empty());
    }
};

QTEST_APPLESS_MAIN(tst_HealthQuery)
#include "tst_HealthQuery.moc"
