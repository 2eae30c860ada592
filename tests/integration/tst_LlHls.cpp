// LL-HLS from the real studio: an ffmpeg RTMP publish becomes a low-latency playlist that
// parses and validates against the rules of the HLS specification (core/protocol/hls),
// carries PART-INF, CAN-BLOCK-RELOAD, PART-HOLD-BACK, a map and a preload hint; a blocking
// reload for the next part answers with a playlist that lists that part (so not before it
// existed); the hinted part itself is held until it exists; a reload too far ahead is refused;
// ffmpeg decodes the fMP4 playlist; with low_latency off there is no LL playlist.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "StudioProcess.h"
#include "protocol/hls/PlaylistParser.h"

using namespace stagecast::test;
namespace phls = stagecast::protocol::hls;

namespace {

QUrl openSession(const QString& playlistUrl) {
    auto r = httpGetNoRedirect(playlistUrl);
    if (r.status != 302 || !r.location.contains("hls_session=")) {
        qWarning("no session: %d %s", r.status, r.body.constData());
        return {};
    }
    return QUrl(playlistUrl).resolved(QUrl(r.location));
}

/// The playlist, parsed and validated; an empty optional (with a warning) otherwise.
std::optional<phls::MediaPlaylist> fetch(const QString& url, HttpReply* reply = nullptr) {
    auto r = httpRequest("GET", url);
    if (reply != nullptr) {
        *reply = r;
    }
    if (r.status != 200) {
        qWarning("%s: %d %s", qPrintable(url), r.status, r.body.constData());
        return std::nullopt;
    }
    auto m = phls::parseMediaPlaylist(r.body.toStdString());
    if (!m) {
        qWarning("%s\n%s", m.error().message().c_str(), r.body.constData());
        return std::nullopt;
    }
    if (auto ok = m->validate(); !ok) {
        qWarning("%s\n%s", ok.error().message().c_str(), r.body.constData());
        return std::nullopt;
    }
    return std::move(*m);
}

bool listsPart(const phls::MediaPlaylist& pl, const std::string& uri) {
    for (const auto& s : pl.segments) {
        for (const auto& p : s.parts) {
            if (p.uri == uri) {
                return true;
            }
        }
    }
    return false;
}

} // namespace

class tst_LlHls : public QObject {
    Q_OBJECT

    StudioProcess studio;
    std::unique_ptr<QProcess> publisher;
    QUrl session;

    QString llUrl(StudioProcess& s, const QString& stream) {
        return QString("http://127.0.0.1:%1/%2/ll.m3u8").arg(s.httpPort()).arg(stream);
    }

private slots:
    void initTestCase() {
        studio.setConfig("[hls]\nsegment_ms = 1000\nmode = \"always\"\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/ll"));
        spec.seconds = 120;
        spec.size = "640x360";
        spec.gopFrames = 30; // a keyframe every second
        publisher = Ffmpeg::publish(spec);
        QVERIFY2(studio.waitForLog("publishes live/ll", 15000), qPrintable(studio.log()));
        session = openSession(llUrl(studio, "live/ll"));
        QVERIFY(!session.isEmpty());
    }

    void playlistFollowsTheRules() {
        HttpReply reply;
        std::optional<phls::MediaPlaylist> pl;
        // Wait until two segments are complete (about two seconds of media).
        for (int i = 0; i < 40; ++i) {
            pl = fetch(session.toString(), &reply);
            QVERIFY(pl);
            if (std::count_if(pl->segments.begin(), pl->segments.end(),
                              [](const auto& s) { return !s.uri.empty(); }) >= 2) {
                break;
            }
            QTest::qWait(250);
        }
        QVERIFY2(reply.body.contains("#EXT-X-PART-INF:PART-TARGET=0.334"), reply.body.constData());
        QVERIFY(pl->serverControl.canBlockReload);
        QVERIFY(pl->serverControl.partHoldBack && *pl->serverControl.partHoldBack >= 0.668);
        QCOMPARE(pl->preloadHints.size(), std::size_t(1));
        QVERIFY(pl->segments.front().map);
        int parts = 0;
        for (const auto& s : pl->segments) {
            if (!s.parts.empty()) {
                QVERIFY2(s.parts.front().independent, reply.body.constData());
            }
            parts += static_cast<int>(s.parts.size());
        }
        QVERIFY2(parts >= 3, reply.body.constData());

        // The init segment and a part are fMP4.
        auto init = httpRequest(
            "GET", reply.url.resolved(QUrl(QString::fromStdString(pl->segments.front().map->uri)))
                       .toString());
        QCOMPARE(init.status, 200);
        QCOMPARE(init.contentType, QString("video/mp4"));
        QCOMPARE(init.body.mid(4, 4), QByteArray("ftyp"));
        QVERIFY(init.body.contains("avcC") && init.body.contains("esds"));
        const auto& withParts = *std::find_if(pl->segments.rbegin(), pl->segments.rend(),
                                              [](const auto& s) { return !s.parts.empty(); });
        auto part = httpRequest(
            "GET", reply.url.resolved(QUrl(QString::fromStdString(withParts.parts.front().uri)))
                       .toString());
        QCOMPARE(part.status, 200);
        QCOMPARE(part.body.mid(4, 4), QByteArray("moof"));
        QVERIFY(part.body.contains("mdat"));
    }

    void blockingReloadReturnsWhenThePartExists() {
        auto pl = fetch(session.toString());
        QVERIFY(pl);
        // The hinted part: "ll/MSN.PART.m4s?hls_session=...".
        const auto hint = QString::fromStdString(pl->preloadHints.at(0).uri);
        const auto name = hint.section('/', 1).section('?', 0, 0); // "MSN.PART.m4s"
        const auto msn = name.section('.', 0, 0);
        const auto index = name.section('.', 1, 1);
        QVERIFY2(!listsPart(*pl, hint.toStdString()), qPrintable(hint));
        auto blocking = session;
        blocking.setQuery(session.query() + "&_HLS_msn=" + msn + "&_HLS_part=" + index);
        auto after = fetch(blocking.toString());
        QVERIFY(after);
        // It answered with a playlist that has the part: it did not answer before that.
        QVERIFY2(listsPart(*after, hint.toStdString()), qPrintable(hint));
    }

    void hintedPartIsHeldUntilItExists() {
        auto pl = fetch(session.toString());
        QVERIFY(pl);
        const auto hint = QString::fromStdString(pl->preloadHints.at(0).uri);
        auto part = httpRequest("GET", session.resolved(QUrl(hint)).toString());
        QCOMPARE(part.status, 200);
        QCOMPARE(part.body.mid(4, 4), QByteArray("moof"));
        auto later = fetch(session.toString());
        QVERIFY(later);
        QVERIFY(listsPart(*later, hint.toStdString()));
    }

    void farFutureReloadIsRefused() {
        auto pl = fetch(session.toString());
        QVERIFY(pl);
        auto far = session;
        far.setQuery(session.query() +
                     "&_HLS_msn=" + QString::number(pl->mediaSequence + pl->segments.size() + 10));
        auto r = httpRequest("GET", far.toString());
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("live edge"));
        auto bad = session;
        bad.setQuery(session.query() + "&_HLS_part=1");
        QCOMPARE(httpRequest("GET", bad.toString()).status, 400);
    }

    void ffmpegDecodesIt() {
        auto decoded = Ffmpeg::decode(llUrl(studio, "live/ll"), 4);
        QVERIFY2(decoded.exitCode == 0, qPrintable(decoded.log));
        QVERIFY2(decoded.videoFrames >= 60, qPrintable(decoded.log));
        QCOMPARE(decoded.decodeErrors, 0);
        auto probe = Ffmpeg::probe(llUrl(studio, "live/ll"));
        QStringList codecs;
        for (const auto& s : probe.value("streams").toArray()) {
            codecs << s.toObject().value("codec_name").toString();
            if (s.toObject().value("codec_type").toString() == "video") {
                QCOMPARE(s.toObject().value("width").toInt(), 640);
                QCOMPARE(s.toObject().value("height").toInt(), 360);
            }
        }
        codecs.sort();
        QCOMPARE(codecs, QStringList({"aac", "h264"}));
    }

    void offMeansNoLlPlaylist() {
        StudioProcess off;
        off.setConfig("[hls]\nlow_latency = false\nmode = \"always\"\n");
        QVERIFY2(off.start(), qPrintable(off.error()));
        PublisherSpec spec;
        spec.url = off.sign(off.rtmpUrl("live/ll"));
        spec.seconds = 20;
        spec.size = "320x240";
        auto p = Ffmpeg::publish(spec);
        QVERIFY2(off.waitForLog("publishes live/ll", 15000), qPrintable(off.log()));
        auto s = openSession(llUrl(off, "live/ll"));
        QVERIFY(!s.isEmpty());
        auto r = httpRequest("GET", s.toString());
        QCOMPARE(r.status, 404);
        QVERIFY(r.body.contains("low_latency"));
        p->kill();
        p->waitForFinished(5000);
        QCOMPARE(off.stop(), 0);
    }

    void cleanupTestCase() {
        if (publisher) {
            publisher->kill();
            publisher->waitForFinished(5000);
        }
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_LlHls)
#include "tst_LlHls.moc"
