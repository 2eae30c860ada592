// The HLS multi-variant playlist of a transcoded stream (core/server/hls/MultiVariant): which
// paths name one, and the exact text for a source and its renditions.

#include <QtTest>

#include "media/transcode/Ladder.h"
#include "server/hls/MultiVariant.h"

using namespace stagecast;
using server::hls::VariantEntry;

namespace {

stream::StreamKey key(const char* text) {
    return *stream::StreamKey::parse(text);
}

} // namespace

class tst_TranscodePlaylist : public QObject {
    Q_OBJECT

private slots:
    void paths_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("source"); // empty: not a multi-variant path
        QTest::newRow("abr playlist") << "/live/town_abr.m3u8"
                                      << "live/town";
        QTest::newRow("underscore in name") << "/live/a_b_abr.m3u8"
                                            << "live/a_b";
        QTest::newRow("media playlist") << "/live/town.m3u8"
                                        << "";
        QTest::newRow("rendition playlist") << "/live/town_720p.m3u8"
                                            << "";
        QTest::newRow("no app") << "/town_abr.m3u8"
                                << "";
        QTest::newRow("ll-hls") << "/live/town/ll.m3u8"
                                << "";
        QTest::newRow("empty name") << "/live/_abr.m3u8"
                                    << "";
    }

    void paths() {
        QFETCH(QString, path);
        QFETCH(QString, source);
        const auto got = server::hls::multiVariantSource(path.toStdString());
        QCOMPARE(got ? QString::fromStdString(got->str()) : QString(), source);
    }

    void textForALadder() {
        using media::transcode::findTemplate;
        const auto t720 = *findTemplate("720p");
        const auto t360 = *findTemplate("360p");
        std::vector<VariantEntry> v = {
            {key("live/town"), 6250000, 5000000, 1920, 1080, "avc1.640028,mp4a.40.2", 30},
            {key("live/town_720p"), media::transcode::peakBandwidth(t720),
             media::transcode::averageBandwidth(t720), 1280, 720, "avc1.64001f,mp4a.40.2", 30},
            {key("live/town_360p"), media::transcode::peakBandwidth(t360),
             media::transcode::averageBandwidth(t360), 640, 360, "avc1.4d401e,mp4a.40.2", 29.97},
        };
        const std::string expected =
            "#EXTM3U\n"
            "#EXT-X-VERSION:3\n"
            "#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=6250000,AVERAGE-BANDWIDTH=5000000,"
            "CODECS=\"avc1.640028,mp4a.40.2\",RESOLUTION=1920x1080,FRAME-RATE=30.000\n"
            "town.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=3128000,AVERAGE-BANDWIDTH=3128000,"
            "CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=30.000\n"
            "town_720p.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=828000,AVERAGE-BANDWIDTH=828000,"
            "CODECS=\"avc1.4d401e,mp4a.40.2\",RESOLUTION=640x360,FRAME-RATE=29.970\n"
            "town_360p.m3u8\n";
        QCOMPARE(QString::fromStdString(server::hls::renderMultiVariant(v)),
                 QString::fromStdString(expected));
    }

    void unknownFiguresAreLeftOut() {
        std::vector<VariantEntry> v = {{key("live/x_480p"), 1328000, 0, 0, 0, "", 0}};
        QCOMPARE(QString::fromStdString(server::hls::renderMultiVariant(v)),
                 QString("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n"
                         "#EXT-X-STREAM-INF:BANDWIDTH=1328000\nx_480p.m3u8\n"));
    }

    void noRenditionsIsAnError() {
        server::hls::MultiVariant mv;
        auto none = mv.playlist(key("live/x"));
        QVERIFY(!none);
        QVERIFY(none.error().message().starts_with("no renditions of live/x are live"));
        mv.setProvider([](const stream::StreamKey& source) {
            return std::vector<VariantEntry>{{source, 1000, 0, 0, 0, "", 0}};
        });
        auto one = mv.playlist(key("live/y"));
        QVERIFY(one);
        QVERIFY(one->ends_with("\ny.m3u8\n"));
    }
};

QTEST_APPLESS_MAIN(tst_TranscodePlaylist)
#include "tst_TranscodePlaylist.moc"
