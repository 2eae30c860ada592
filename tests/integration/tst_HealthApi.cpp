// The health API over one hour of 1 s samples: the samples are written into DATA/stagecast.db
// with the store's own writer before stagecast starts, then
// GET /api/v1/streams/live/hour/health returns at most `points` downsampled points whose
// min/avg/max match the samples behind them.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QtTest>

#include "Http.h"
#include "StudioProcess.h"
#include "store/Database.h"
#include "store/StoreWriter.h"

using namespace stagecast;
using namespace stagecast::test;

namespace {

// An hour that ended about five minutes ago, aligned to a minute: recent enough that start-up
// retention (raw samples kept 7 days) leaves it alone.
qint64 hourStartSeconds() {
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return (now - 65 * 60) / 60 * 60;
}

} // namespace

class tst_HealthApi : public QObject {
    Q_OBJECT

    StudioProcess studio;
    QString token;
    qint64 start = 0;

    QJsonObject get(const QString& query, int expectStatus = 200) {
        auto reply = httpRequest("GET",
                                 QString("http://127.0.0.1:%1/api/v1/streams/live/hour/health?%2")
                                     .arg(studio.httpPort())
                                     .arg(query),
                                 token);
        if (reply.status != expectStatus) {
            qWarning("%d %s", reply.status, reply.body.constData());
            return {{"unexpected status", reply.status}};
        }
        return reply.json();
    }

private slots:
    void initTestCase() {
        start = hourStartSeconds();
        const auto path = std::filesystem::path(studio.dataDir().toStdString()) / "stagecast.db";
        auto db = store::Database::open({path, std::chrono::milliseconds{5000}});
        QVERIFY2(db.has_value(), db ? "" : db.error().message().c_str());
        {
            store::StoreWriter writer(std::move(*db));
            for (int s = 0; s < 3600; ++s) {
                store::HealthSample sample;
                sample.stream = "live/hour";
                sample.at = store::fromUnixMs((start + s) * 1000);
                sample.videoKbps = 2000 + (s % 120); // a saw tooth with a 2-minute period
                sample.audioKbps = 128;
                sample.fps = s % 60 == 0 ? 15 : 30; // one slow second a minute
                sample.keyframeIntervalS = 2;
                sample.viewers = s / 60;
                sample.droppedBytes = 0;
                writer.enqueueSample(std::move(sample));
            }
            writer.flush();
            QCOMPARE(writer.counters().samplesWritten, std::uint64_t(3600));
        }
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        token = studio.apiToken();
    }

    void hourInThreeHundredPoints() {
        // from as RFC 3339, to as Unix seconds.
        const auto from = QDateTime::fromSecsSinceEpoch(start, Qt::UTC).toString(Qt::ISODate);
        const auto body = get(QString("from=%1&to=%2&points=300").arg(from).arg(start + 3600));
        const auto points = body.value("points").toArray();
        QCOMPARE(points.size(), 300);
        QCOMPARE(body.value("max_points").toInt(), 300);
        int samples = 0;
        for (int i = 0; i < points.size(); ++i) {
            const auto p = points[i].toObject();
            samples += p.value("samples").toInt();
            QCOMPARE(p.value("samples").toInt(), 12); // 3600 s / 300 points
            const auto video = p.value("video_kbps").toObject();
            const double min = video.value("min").toDouble();
            const double avg = video.value("avg").toDouble();
            const double max = video.value("max").toDouble();
            // Each 12 s bucket holds 12 consecutive values of the saw tooth.
            const int first = (i * 12) % 120;
            QCOMPARE(min, 2000.0 + first);
            QCOMPARE(max, 2000.0 + first + 11);
            QCOMPARE(avg, 2000.0 + first + 5.5);
            const auto fps = p.value("fps").toObject();
            QVERIFY(fps.value("min").toDouble() <= fps.value("avg").toDouble());
            QVERIFY(fps.value("avg").toDouble() <= fps.value("max").toDouble());
            QCOMPARE(fps.value("max").toDouble(), 30.0);
            // The slow second shows as the bucket's minimum, not averaged away.
            QCOMPARE(fps.value("min").toDouble(), i % 5 == 0 ? 15.0 : 30.0);
            QCOMPARE(p.value("audio_kbps").toObject().value("avg").toDouble(), 128.0);
        }
        QCOMPARE(samples, 3600);
        QVERIFY(body.value("live").isNull()); // not live now
    }

    void fewerPointsAndDefaults() {
        auto body = get(QString("from=%1&to=%2&points=7").arg(start).arg(start + 3600));
        auto points = body.value("points").toArray();
        QVERIFY(points.size() <= 7 && points.size() >= 6);
        for (const auto& v : points) {
            const auto video = v.toObject().value("video_kbps").toObject();
            QVERIFY(video.value("min").toDouble() >= 2000);
            QVERIFY(video.value("max").toDouble() <= 2119);
            QVERIFY(video.value("min").toDouble() < video.value("avg").toDouble());
            QVERIFY(video.value("avg").toDouble() < video.value("max").toDouble());
        }
        // Default range: the last 10 minutes, which hold the hour's last minutes.
        body = get("");
        points = body.value("points").toArray();
        QVERIFY(!points.isEmpty() && points.size() <= 300);
    }

    void badParameters() {
        auto body = get("points=0", 400);
        QCOMPARE(body.value("error").toString(), QString("points: 0 is out of range 1..10000"));
        body = get("from=tomorrow", 400);
        QVERIFY(body.value("error").toString().startsWith("from: 'tomorrow' is not a time"));
        body = get(QString("from=%1&to=%2").arg(start + 10).arg(start), 400);
        QCOMPARE(body.value("error").toString(), QString("from must be before to"));
    }

    void newerDatabaseStopsStartup() {
        StudioProcess newer;
        const auto path = std::filesystem::path(newer.dataDir().toStdString()) / "stagecast.db";
        {
            auto db = store::Database::open({path, std::chrono::milliseconds{5000}});
            QVERIFY(db.has_value());
            QVERIFY(db->connection()
                        .exec("INSERT INTO schema_version(version, applied_at, description) "
                              "VALUES(99, 0, 'from the future')")
                        .has_value());
        }
        QVERIFY(!newer.start(15000));
        QVERIFY2(newer.log().contains("has schema version 99") &&
                     newer.log().contains("upgrade Stagecast or use another data folder"),
                 qPrintable(newer.log()));
    }

    void corruptDatabaseIsMovedAside() {
        StudioProcess corrupt;
        QFile garbage(QDir(corrupt.dataDir()).filePath("stagecast.db"));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(8192, 'x'));
        garbage.close();
        QVERIFY2(corrupt.start(), qPrintable(corrupt.error()));
        QVERIFY2(corrupt.log().contains("was not usable") && corrupt.log().contains("moved aside"),
                 qPrintable(corrupt.log()));
        const auto moved = QDir(corrupt.dataDir()).entryList({"stagecast.db.corrupt-*"});
        QCOMPARE(moved.size(), 1);
        QCOMPARE(QFileInfo(QDir(corrupt.dataDir()).filePath(moved[0])).size(), qint64(8192));
        QCOMPARE(corrupt.stop(), 0);
    }

    void cleanupTestCase() { QCOMPARE(studio.stop(), 0); }
};

QTEST_GUILESS_MAIN(tst_HealthApi)
#include "tst_HealthApi.moc"
