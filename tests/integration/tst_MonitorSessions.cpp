// A publish -> play -> unpublish cycle with ffmpeg leaves, in DATA/stagecast.db, exactly one
// publish session (times, codecs, reason) and one viewer session per player (protocol, user
// agent, bytes, duration); the API and /metrics report the same viewers.

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "Prometheus.h"
#include "SqliteFile.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

/// ffmpeg reading `url` for `seconds` and discarding it, as a player would.
std::unique_ptr<QProcess> player(const QString& url, int seconds, const QStringList& extra = {}) {
    auto p = std::make_unique<QProcess>();
    p->setProcessChannelMode(QProcess::MergedChannels);
    QStringList args{"-hide_banner", "-nostats", "-loglevel", "warning", "-rw_timeout", "10000000"};
    args << extra << "-i" << url << "-t" << QString::number(seconds) << "-f"
         << "null"
         << "-";
    p->start("ffmpeg", args);
    p->waitForStarted(5000);
    return p;
}

QString describe(const SqlRows& rows) {
    QString out = rows.error + "\n" + rows.columns.join(" | ") + "\n";
    for (const auto& row : rows.rows) {
        QStringList cells;
        for (const auto& v : row) {
            cells << (v.isValid() ? v.toString() : "NULL");
        }
        out += cells.join(" | ") + "\n";
    }
    return out;
}

} // namespace

class tst_MonitorSessions : public QObject {
    Q_OBJECT

    StudioProcess studio;
    QString token;
    QString db;
    qint64 publishStartMs = 0;
    qint64 publishEndMs = 0;

    QString api(const QString& path) const {
        return QString("http://127.0.0.1:%1%2").arg(studio.httpPort()).arg(path);
    }

private slots:
    void initTestCase() {
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        token = studio.apiToken();
        db = QDir(studio.dataDir()).filePath("stagecast.db");
        QVERIFY2(QFile::exists(db), qPrintable(studio.log()));
    }

    void publishPlayUnpublish() {
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/msess"));
        spec.seconds = 8;
        spec.size = "320x240";
        spec.videoBitrate = "400k";
        publishStartMs = QDateTime::currentMSecsSinceEpoch();
        auto publisher = Ffmpeg::publish(spec);
        QVERIFY2(studio.waitForLog("publishes live/msess", 15000), qPrintable(studio.log()));

        auto rtmp = player(studio.rtmpUrl("live/msess"), 3);
        auto flv = player(studio.flvUrl("live/msess"), 3, {"-user_agent", "StagecastTest/1.0"});
        for (auto* p : {rtmp.get(), flv.get()}) {
            QVERIFY(p->waitForFinished(30000));
            QVERIFY2(p->exitCode() == 0, p->readAll().constData());
        }
        // While the stream still runs: the API counts both players as past sessions (once the
        // server has seen both connections close).
        QJsonObject v;
        QElapsedTimer waited;
        waited.start();
        do {
            auto viewers = httpRequest("GET", api("/api/v1/viewers"), token);
            QCOMPARE(viewers.status, 200);
            v = viewers.json();
        } while (v.value("current").toInt() != 0 && waited.elapsed() < 5000 &&
                 (QTest::qWait(100), true));
        QCOMPARE(v.value("current").toInt(), 0);
        QCOMPARE(v.value("peak").toInt(), 2);
        QCOMPARE(v.value("sessions_ended").toInt(), 2);
        QCOMPARE(
            v.value("by_protocol").toObject().value("http-flv").toObject().value("peak").toInt(),
            1);
        QVERIFY(v.value("average_watch_s").toDouble() > 1.0);

        QVERIFY(publisher->waitForFinished(30000));
        publishEndMs = QDateTime::currentMSecsSinceEpoch();
        // The publish session ends in the API (and the store) once the server has seen it go.
        QString reason;
        waited.restart();
        do {
            auto reply =
                httpRequest("GET", api("/api/v1/sessions/publish?stream=live/msess"), token);
            auto sessions = reply.json().value("sessions").toArray();
            reason = sessions.isEmpty() ? QString()
                                        : sessions[0].toObject().value("end_reason").toString();
        } while (reason.isEmpty() && waited.elapsed() < 10000 && (QTest::qWait(100), true));
        QVERIFY2(!reason.isEmpty(), qPrintable(studio.log()));
    }

    /// ffmpeg ends a publish with deleteStream and then closes. When the server's last
    /// acknowledgements are still unread in ffmpeg's socket, that close is a reset, and Linux
    /// drops data not yet read on a reset: the server then sees the reset first. Both are a
    /// clean end of this publish; anything else (timeouts, kicks) is not.
    static bool cleanEnd(const QString& reason) {
        return reason == "deleteStream" || reason == "Connection reset by peer";
    }

    void storeHasOnePublishSession() {
        // The writer commits within 50 ms; give it a moment.
        QTest::qWait(500);
        auto rows = sqlQuery(db, "SELECT p.protocol, p.address, p.video_codec, p.audio_codec, "
                                 "p.width, p.height, p.started_at, p.ended_at, p.end_reason "
                                 "FROM publish_sessions p JOIN streams s ON s.id = p.stream_id "
                                 "WHERE s.app = 'live' AND s.name = 'msess'");
        QVERIFY2(rows.error.isEmpty(), qPrintable(rows.error));
        QVERIFY2(rows.rows.size() == 1, qPrintable(describe(rows)));
        const auto& r = rows.rows[0];
        QCOMPARE(r[0].toString(), QString("rtmp"));
        QCOMPARE(r[1].toString(), QString("127.0.0.1"));
        QCOMPARE(r[2].toString(), QString("h264"));
        QCOMPARE(r[3].toString(), QString("aac"));
        QCOMPARE(r[4].toLongLong(), 320);
        QCOMPARE(r[5].toLongLong(), 240);
        const qint64 started = r[6].toLongLong();
        QVERIFY2(r[7].isValid(), qPrintable(describe(rows)));
        const qint64 ended = r[7].toLongLong();
        // Started after ffmpeg was launched, ended before it was seen to exit (+ slack for the
        // unpublish to be processed); it ran about the 8 s ffmpeg was told to publish.
        QVERIFY2(started >= publishStartMs && started <= publishStartMs + 10000,
                 qPrintable(describe(rows)));
        QVERIFY2(ended <= publishEndMs + 2000, qPrintable(describe(rows)));
        QVERIFY2(ended - started >= 6000 && ended - started <= 15000, qPrintable(describe(rows)));
        QVERIFY2(cleanEnd(r[8].toString()), qPrintable(describe(rows)));
    }

    void storeHasOneViewerSessionPerPlayer() {
        auto rows = sqlQuery(db, "SELECT v.protocol, v.address, v.user_agent, v.bytes, "
                                 "v.started_at, v.ended_at FROM viewer_sessions v JOIN streams s "
                                 "ON s.id = v.stream_id WHERE s.app = 'live' AND s.name = 'msess' "
                                 "ORDER BY v.protocol");
        QVERIFY2(rows.error.isEmpty(), qPrintable(rows.error));
        QVERIFY2(rows.rows.size() == 2, qPrintable(describe(rows)));
        QCOMPARE(rows.rows[0][0].toString(), QString("http-flv"));
        QCOMPARE(rows.rows[1][0].toString(), QString("rtmp"));
        QCOMPARE(rows.rows[0][2].toString(), QString("StagecastTest/1.0"));
        // ffmpeg's RTMP client sends a flashVer in connect: kept as the user agent.
        QVERIFY2(!rows.rows[1][2].toString().isEmpty(), qPrintable(describe(rows)));
        for (const auto& r : rows.rows) {
            QCOMPARE(r[1].toString(), QString("127.0.0.1"));
            // 3 s of 400 kbps video and 128 kbps audio: tens of kilobytes at least.
            QVERIFY2(r[3].toLongLong() > 50'000, qPrintable(describe(rows)));
            QVERIFY2(r[5].isValid(), qPrintable(describe(rows)));
            const qint64 watched = r[5].toLongLong() - r[4].toLongLong();
            QVERIFY2(watched >= 1500 && watched <= 10000, qPrintable(describe(rows)));
        }
    }

    void apiListsTheSessions() {
        auto reply = httpRequest("GET", api("/api/v1/sessions/publish?stream=live/msess"), token);
        QCOMPARE(reply.status, 200);
        auto sessions = reply.json().value("sessions").toArray();
        QCOMPARE(sessions.size(), 1);
        const auto reason = sessions[0].toObject().value("end_reason").toString();
        QVERIFY2(cleanEnd(reason), qPrintable(reason));
        reply = httpRequest("GET", api("/api/v1/sessions/viewers?stream=live/msess"), token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value("sessions").toArray().size(), 2);
        reply = httpRequest("GET", api("/api/v1/sessions/viewers?stream=no/such/thing"), token);
        QCOMPARE(reply.status, 400);
        reply = httpRequest("GET", api("/api/v1/sessions/viewers"));
        QCOMPARE(reply.status, 401); // the token is required
    }

    void metricsCarryViewersAndStore() {
        auto reply = httpRequest("GET", api("/metrics"), token);
        QCOMPARE(reply.status, 200);
        const QString text = QString::fromUtf8(reply.body);
        QCOMPARE(prometheusProblem(text), QString());
        QVERIFY(text.contains("stagecast_viewers_peak{stream=\"live/msess\"} 2"));
        QVERIFY(text.contains("stagecast_viewers{stream=\"live/msess\",protocol=\"http-flv\"} 0"));
        QVERIFY(text.contains("stagecast_alerts_open 0"));
        QVERIFY(text.contains("stagecast_store_ops_written_total "));
        QVERIFY(!text.contains("stagecast_store_ops_written_total 0\n"));
        QVERIFY(text.contains("stagecast_store_samples_written_total "));
    }

    void cleanStopClosesEverything() {
        QCOMPARE(studio.stop(), 0);
        auto open = sqlQuery(db, "SELECT (SELECT count(*) FROM publish_sessions WHERE ended_at IS "
                                 "NULL) + (SELECT count(*) FROM viewer_sessions WHERE ended_at IS "
                                 "NULL) + (SELECT count(*) FROM alerts WHERE closed_at IS NULL)");
        QVERIFY2(open.error.isEmpty(), qPrintable(open.error));
        QCOMPARE(open.rows.at(0).at(0).toLongLong(), 0);
        auto samples = sqlQuery(db, "SELECT count(*) FROM health_samples h JOIN streams s ON "
                                    "s.id = h.stream_id WHERE s.name = 'msess'");
        // One sample a second while it was live.
        QVERIFY2(samples.rows.at(0).at(0).toLongLong() >= 5, qPrintable(describe(samples)));
        QVERIFY(studio.log().contains("history written:"));
    }
};

QTEST_GUILESS_MAIN(tst_MonitorSessions)
#include "tst_MonitorSessions.moc"
