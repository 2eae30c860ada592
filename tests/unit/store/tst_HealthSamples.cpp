// Health samples: inserts, and the range query downsampled by time buckets.

#include <QtTest>

#include "StoreTestSupport.h"
#include "store/HealthSamples.h"
#include "store/WriteContext.h"

using namespace stagecast::store;
using storetest::why;

namespace {

HealthSample sample(const char* stream, std::int64_t ms, std::optional<double> video,
                    std::optional<std::int64_t> viewers = std::nullopt,
                    std::optional<std::int64_t> dropped = std::nullopt) {
    HealthSample s;
    s.stream = stream;
    s.at = storetest::at(0) + std::chrono::milliseconds{ms};
    s.videoKbps = video;
    s.viewers = viewers;
    s.droppedBytes = dropped;
    return s;
}

} // namespace

class tst_HealthSamples : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;

    Database freshDb() {
        auto db = storetest::openDb(
            storetest::dbPath(dir_, ("h" + std::to_string(++counter_) + ".db").c_str()));
        if (!db) {
            qFatal("open: %s", db.error().message().c_str());
        }
        return std::move(*db);
    }

private slots:
    void anHourIntoAtMostOneHundredPoints() {
        Database db = freshDb();
        WriteContext context(db.connection());
        std::vector<HealthSample> samples;
        for (int i = 0; i < 3600; ++i) { // one per second; video = i, viewers = i % 2
            samples.push_back(sample("live/a", i * 1000LL, double(i), i % 2, 10));
        }
        samples.push_back(sample("live/b", 5000, 99999.0)); // another stream: not counted
        STORE_VERIFY(db.connection().exec("BEGIN"));
        STORE_VERIFY(HealthSamples::insertBatch(context, samples));
        STORE_VERIFY(db.connection().exec("COMMIT"));

        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto points =
            HealthSamples::query(*reader, "live/a", storetest::at(0), storetest::at(3600), 100);
        STORE_VERIFY(points);
        QCOMPARE(points->size(), std::size_t{100});
        for (std::size_t k = 0; k < points->size(); ++k) {
            const HealthPoint& p = (*points)[k];
            // Bucket k holds seconds 36k .. 36k+35: average 36k + 17.5.
            QCOMPARE(p.at, storetest::at(36 * std::int64_t(k)));
            QCOMPARE(p.samples, std::int64_t{36});
            QVERIFY(p.videoKbps.has_value());
            QCOMPARE(*p.videoKbps, 36.0 * double(k) + 17.5);
            QCOMPARE(p.viewers, std::optional<double>(0.5)); // an INTEGER column, not truncated
            QCOMPARE(p.droppedBytes, std::int64_t{360});
            QCOMPARE(p.audioKbps, std::optional<double>()); // never measured
        }
    }

    void unevenBucketsStayWithinTheLimit_data() {
        QTest::addColumn<int>("maxPoints");
        QTest::addColumn<int>("expectedPoints");
        QTest::newRow("1 point") << 1 << 1;
        QTest::newRow("7 points") << 7 << 7;
        QTest::newRow("1000 points, 3600 samples") << 1000 << 1000;
        QTest::newRow("5000 points, only 3600 samples") << 5000 << 3600;
    }

    void unevenBucketsStayWithinTheLimit() {
        QFETCH(int, maxPoints);
        QFETCH(int, expectedPoints);
        Database db = freshDb();
        WriteContext context(db.connection());
        STORE_VERIFY(db.connection().exec("BEGIN"));
        for (int i = 0; i < 3600; ++i) {
            STORE_VERIFY(HealthSamples::insert(context, sample("live/a", i * 1000LL, 2.0)));
        }
        STORE_VERIFY(db.connection().exec("COMMIT"));
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto points = HealthSamples::query(*reader, "live/a", storetest::at(0), storetest::at(3600),
                                           std::size_t(maxPoints));
        STORE_VERIFY(points);
        QCOMPARE(int(points->size()), expectedPoints);
        std::int64_t total = 0;
        for (std::size_t i = 0; i < points->size(); ++i) {
            total += (*points)[i].samples;
            QCOMPARE((*points)[i].videoKbps, std::optional<double>(2.0));
            if (i > 0) {
                QVERIFY((*points)[i - 1].at < (*points)[i].at);
            }
        }
        QCOMPARE(total, std::int64_t{3600});
    }

    void averagesSkipMissingFigures() {
        Database db = freshDb();
        WriteContext context(db.connection());
        STORE_VERIFY(HealthSamples::insert(context, sample("live/a", 0, 100.0)));
        STORE_VERIFY(HealthSamples::insert(context, sample("live/a", 1, std::nullopt, 4)));
        STORE_VERIFY(HealthSamples::insert(context, sample("live/a", 2, 300.0)));
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto points =
            HealthSamples::query(*reader, "live/a", storetest::at(0), storetest::at(1), 1);
        STORE_VERIFY(points);
        QCOMPARE(points->size(), std::size_t{1});
        QCOMPARE((*points)[0].samples, std::int64_t{3});
        QCOMPARE((*points)[0].videoKbps, std::optional<double>(200.0));
        QCOMPARE((*points)[0].viewers, std::optional<double>(4.0));
        QCOMPARE((*points)[0].droppedBytes, std::int64_t{0});
    }

    void rangeIsHalfOpen() {
        Database db = freshDb();
        WriteContext context(db.connection());
        for (int s : {0, 10, 20}) {
            STORE_VERIFY(HealthSamples::insert(context, sample("live/a", s * 1000LL, double(s))));
        }
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto points =
            HealthSamples::query(*reader, "live/a", storetest::at(0), storetest::at(20), 2);
        STORE_VERIFY(points);
        QCOMPARE(points->size(), std::size_t{2});
        QCOMPARE((*points)[0].videoKbps, std::optional<double>(0.0));
        QCOMPARE((*points)[1].videoKbps, std::optional<double>(10.0));
        QCOMPARE(HealthSamples::countRaw(*reader, "live/a", storetest::at(0), storetest::at(20))
                     .value_or(-1),
                 std::int64_t{2});
    }

    void emptyCases() {
        Database db = freshDb();
        WriteContext context(db.connection());
        STORE_VERIFY(HealthSamples::insert(context, sample("live/a", 0, 1.0)));
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto q = [&](const char* stream, std::int64_t from, std::int64_t to, std::size_t n) {
            return HealthSamples::query(*reader, stream, storetest::at(from), storetest::at(to), n)
                .value_or(std::vector<HealthPoint>(99))
                .size();
        };
        QCOMPARE(q("live/never", 0, 10, 10), std::size_t{0});
        QCOMPARE(q("live/a", 10, 0, 10), std::size_t{0}); // reversed range
        QCOMPARE(q("live/a", 0, 10, 0), std::size_t{0});  // no points asked
        QCOMPARE(q("live/a", 5, 10, 10), std::size_t{0}); // no samples in range
    }

    void extrasMustBeJson() {
        Database db = freshDb();
        WriteContext context(db.connection());
        auto s = sample("live/a", 0, 1.0);
        s.extrasJson = "{\"loudness_lufs\":-23.5}";
        STORE_VERIFY(HealthSamples::insert(context, s));
        s.extrasJson = "{broken";
        auto bad = HealthSamples::insert(context, s);
        QVERIFY(!bad);
        QVERIFY2(bad.error().message().find("health sample of live/a") == 0,
                 bad.error().message().c_str());
        QCOMPARE(db.connection()
                     .queryText("SELECT extras ->> '$.loudness_lufs' FROM health_samples")
                     .value_or("?"),
                 std::string("-23.5"));
    }
};

QTEST_APPLESS_MAIN(tst_HealthSamples)
#include "tst_HealthSamples.moc"
