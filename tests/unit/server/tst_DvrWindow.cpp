// The DVR window: contiguous sequence numbers across source restarts (flagged as
// discontinuities, counted by EXT-X-DISCONTINUITY-SEQUENCE once evicted), eviction of the
// oldest segments by duration and by bytes (the newest always stays), program date-times that
// run on by exactly the durations, memory released only for written segments past the
// newest ones, and a playlist that parses and validates against RFC 8216.

#include <QTest>

#include "protocol/hls/PlaylistParser.h"
#include "server/hls/DvrService.h"
#include "server/hls/DvrWindow.h"

using namespace stagecast::server::hls;
namespace phls = stagecast::protocol::hls;

namespace {

std::shared_ptr<const std::vector<std::uint8_t>> bytes(std::size_t n) {
    return std::make_shared<const std::vector<std::uint8_t>>(n, std::uint8_t{0x47});
}

DvrLimits limits(int windowSeconds, std::size_t maxBytes, std::size_t memory = 2) {
    return {std::chrono::seconds(windowSeconds), maxBytes, memory, std::chrono::milliseconds(1000)};
}

phls::MediaPlaylist parsed(const DvrWindow& w) {
    auto text = w.playlist("x/dvr/1/", "?s=1");
    if (!text) {
        return {};
    }
    auto p = phls::parseMediaPlaylist(*text);
    return p ? *p : phls::MediaPlaylist{};
}

} // namespace

class tst_DvrWindow : public QObject {
    Q_OBJECT

private slots:
    void emptyWindowHasNoPlaylist() {
        DvrWindow w(limits(60, 1 << 20));
        QVERIFY(!w.playlist("", "").has_value());
        QCOMPARE(w.firstSequence(), std::uint64_t(0));
    }

    void evictsByDuration() {
        DvrWindow w(limits(10, 1 << 30));
        std::vector<std::uint64_t> evicted;
        for (int i = 0; i < 15; ++i) {
            auto added = w.add(1.0, false, 1'000'000 + i * 1000, bytes(100));
            QCOMPARE(added.sequence, std::uint64_t(i));
            evicted.insert(evicted.end(), added.evicted.begin(), added.evicted.end());
        }
        QCOMPARE(w.segments(), std::size_t(10));
        QCOMPARE(w.seconds(), 10.0);
        QCOMPARE(w.firstSequence(), std::uint64_t(5));
        QCOMPARE(evicted, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
        auto p = parsed(w);
        QCOMPARE(p.mediaSequence, std::uint64_t(5));
        QCOMPARE(p.segments.size(), std::size_t(10));
        QCOMPARE(p.segments.front().uri, std::string("x/dvr/1/5.ts?s=1"));
        QVERIFY(!p.playlistType.has_value()); // it slides: neither EVENT nor VOD
        QVERIFY(!p.endList);
        QVERIFY(p.validate().has_value());
    }

    void evictsByBytesKeepingTheNewest() {
        DvrWindow w(limits(3600, 1000));
        for (int i = 0; i < 5; ++i) {
            w.add(1.0, false, 0, bytes(300));
        }
        QCOMPARE(w.bytes(), std::size_t(900));
        QCOMPARE(w.firstSequence(), std::uint64_t(2));
        auto big = w.add(1.0, false, 0, bytes(5000));
        QCOMPARE(big.evicted, (std::vector<std::uint64_t>{2, 3, 4}));
        QCOMPARE(w.segments(), std::size_t(1)); // over the bound alone, but the newest stays
        QCOMPARE(w.bytes(), std::size_t(5000));
    }

    void programDateTimesAreThePackagers() {
        DvrWindow w(limits(60, 1 << 30));
        w.add(2.0, false, 8'000, bytes(1));
        w.add(1.5, false, 10'000, bytes(1));
        w.add(2.5, false, 11'500, bytes(1));
        auto p = parsed(w);
        QCOMPARE(p.segments.size(), std::size_t(3));
        QCOMPARE(*p.segments[0].programDateTimeMs, std::int64_t(8'000));
        QCOMPARE(*p.segments[1].programDateTimeMs, std::int64_t(10'000));
        QCOMPARE(*p.segments[2].programDateTimeMs, std::int64_t(11'500));
    }

    void restartIsADiscontinuityWithNumbersRunningOn() {
        DvrWindow w(limits(4, 1 << 30));
        w.add(1.0, false, 1'000, bytes(1));
        w.add(1.0, false, 2'000, bytes(1));
        w.sourceRestarted(); // a new packager: its segments restart at 0, the window's do not
        auto added = w.add(1.0, false, 50'000, bytes(1));
        QCOMPARE(added.sequence, std::uint64_t(2));
        w.add(1.0, true, 51'000, bytes(1)); // the packager's own flag (a new publisher)
        auto p = parsed(w);
        QCOMPARE(p.discontinuitySequence, std::uint64_t(0));
        QVERIFY(p.segments[2].discontinuity);
        QVERIFY(p.segments[3].discontinuity);
        QCOMPARE(*p.segments[2].programDateTimeMs, std::int64_t(50'000));
        for (int i = 0; i < 3; ++i) {
            w.add(1.0, false, 52'000 + i * 1000, bytes(1));
        }
        p = parsed(w);
        QCOMPARE(p.mediaSequence, std::uint64_t(3));
        QCOMPARE(p.discontinuitySequence, std::uint64_t(1)); // segment 2's flag slid out
        QVERIFY(p.segments[0].discontinuity);
    }

    void memoryIsReleasedOnlyForWrittenOldSegments() {
        DvrWindow w(limits(60, 1 << 30, 2));
        for (int i = 0; i < 4; ++i) {
            w.add(1.0, false, 0, bytes(10));
        }
        QCOMPARE(w.unwrittenBytes(), std::size_t(40));
        for (std::uint64_t s = 0; s < 4; ++s) {
            QVERIFY(w.find(s)->data != nullptr); // nothing written yet: all served from memory
        }
        QVERIFY(w.written(0));
        QVERIFY(w.written(3));
        QCOMPARE(w.unwrittenBytes(), std::size_t(20));
        QVERIFY(w.find(0)->onDisk);
        QVERIFY(w.find(0)->data == nullptr); // old and on disk: read from the file
        QVERIFY(w.find(1)->data != nullptr); // old but not written yet
        QVERIFY(w.find(3)->data != nullptr); // among the newest two
        QVERIFY(!w.written(99));
    }

    void targetDurationNeverShrinks() {
        DvrWindow w(limits(5, 1 << 30));
        w.add(4.6, false, 0, bytes(1));
        for (int i = 0; i < 6; ++i) {
            w.add(1.0, false, 0, bytes(1));
        }
        auto p = parsed(w);
        QCOMPARE(p.segments.size(), std::size_t(5));
        QCOMPARE(p.targetDuration, std::uint64_t(5)); // the 4.6 s segment left; its 5 stays
    }

    void clearEmptiesAndNumbersRunOn() {
        DvrWindow w(limits(60, 1 << 30));
        w.add(1.0, false, 0, bytes(1));
        w.add(1.0, false, 0, bytes(1));
        QCOMPARE(w.clear(), (std::vector<std::uint64_t>{0, 1}));
        QCOMPARE(w.segments(), std::size_t(0));
        QCOMPARE(w.add(1.0, false, 0, bytes(1)).sequence, std::uint64_t(2));
    }

    void playlistAndSegmentPaths_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("id");
        QTest::addColumn<qulonglong>("sequence");
        QTest::newRow("segment") << "/live/cam/dvr/1733300000000/42.ts"
                                 << "live/cam"
                                 << "1733300000000" << 42ULL;
        QTest::newRow("live segment") << "/live/cam/42.ts"
                                      << ""
                                      << "" << 0ULL;
        QTest::newRow("stream named dvr") << "/live/dvr/42.ts"
                                          << ""
                                          << "" << 0ULL;
        QTest::newRow("id not digits") << "/live/cam/dvr/..%2F/42.ts"
                                       << ""
                                       << "" << 0ULL;
        QTest::newRow("dot name") << "/live/../dvr/1/42.ts"
                                  << ""
                                  << "" << 0ULL;
        QTest::newRow("escaped name") << "/live/%2E%2E/dvr/1/42.ts"
                                      << ""
                                      << "" << 0ULL;
        QTest::newRow("sequence not digits") << "/live/cam/dvr/1/4x.ts"
                                             << ""
                                             << "" << 0ULL;
        QTest::newRow("too deep") << "/a/live/cam/dvr/1/4.ts"
                                  << ""
                                  << "" << 0ULL;
    }

    void playlistAndSegmentPaths() {
        QFETCH(QString, path);
        QFETCH(QString, stream);
        QFETCH(QString, id);
        QFETCH(qulonglong, sequence);
        auto parsedPath = parseDvrSegmentPath(path.toStdString());
        QCOMPARE(parsedPath.has_value(), !stream.isEmpty());
        if (parsedPath) {
            QCOMPARE(QString::fromStdString(parsedPath->key.str()), stream);
            QCOMPARE(QString::fromStdString(parsedPath->id), id);
            QCOMPARE(qulonglong(parsedPath->sequence), sequence);
        }
    }

    void playlistSource() {
        QCOMPARE(QString::fromStdString(dvrPlaylistSource("/live/cam_dvr.m3u8")->str()),
                 QString("live/cam"));
        QVERIFY(!dvrPlaylistSource("/live/cam.m3u8"));
        QVERIFY(!dvrPlaylistSource("/..%2F../x_dvr.m3u8"));
        QVERIFY(!dvrPlaylistSource("/live/.hidden_dvr.m3u8"));
        QVERIFY(!dvrPlaylistSource("/a/b/c_dvr.m3u8"));
    }
};

QTEST_APPLESS_MAIN(tst_DvrWindow)
#include "tst_DvrWindow.moc"
