// MultivariantPlaylist rendering, RFC 8216 4.3.4.2 EXT-X-STREAM-INF.

#include <QtTest>

#include "protocol/hls/MultivariantPlaylist.h"

using namespace stagecast::protocol::hls;

class tst_MultivariantPlaylist : public QObject {
    Q_OBJECT

private slots:
    void render();
    void minimal();
};

void tst_MultivariantPlaylist::render() {
    MultivariantPlaylist p;
    p.version = 3;
    p.independentSegments = true;
    Variant high;
    high.bandwidth = 2'500'000;
    high.averageBandwidth = 2'000'000;
    high.resolution = Resolution{1280, 720};
    high.codecs = "avc1.64001f,mp4a.40.2";
    high.frameRate = 29.97;
    high.uri = "720p/index.m3u8";
    Variant low;
    low.bandwidth = 400'000;
    low.resolution = Resolution{426, 240};
    low.codecs = "avc1.42c015,mp4a.40.2";
    low.frameRate = 30000.0 / 1001.0; // three decimals, rounded
    low.uri = "240p/index.m3u8";
    p.variants = {high, low};
    QCOMPARE(QString::fromStdString(p.render()),
             QString("#EXTM3U\n"
                     "#EXT-X-VERSION:3\n"
                     "#EXT-X-INDEPENDENT-SEGMENTS\n"
                     "#EXT-X-STREAM-INF:BANDWIDTH=2500000,AVERAGE-BANDWIDTH=2000000,"
                     "CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=29.970\n"
                     "720p/index.m3u8\n"
                     "#EXT-X-STREAM-INF:BANDWIDTH=400000,CODECS=\"avc1.42c015,mp4a.40.2\","
                     "RESOLUTION=426x240,FRAME-RATE=29.970\n"
                     "240p/index.m3u8\n"));
}

void tst_MultivariantPlaylist::minimal() {
    MultivariantPlaylist p;
    Variant audio;
    audio.bandwidth = 64'000;
    audio.codecs = "mp4a.40.2";
    audio.uri = "audio.m3u8";
    p.variants = {audio};
    QCOMPARE(QString::fromStdString(p.render()),
             QString("#EXTM3U\n"
                     "#EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS=\"mp4a.40.2\"\n"
                     "audio.m3u8\n"));
}

QTEST_APPLESS_MAIN(tst_MultivariantPlaylist)
#include "tst_MultivariantPlaylist.moc"
