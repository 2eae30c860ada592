// The HLS segmenter fed with synthetic FLV-body packets: cuts at keyframes after the target,
// the target-duration rule, the sliding window and sequence numbers, discontinuities on a
// publisher restart, the byte bound; every playlist parses and validates against the RFC
// rules core/protocol/hls checks.

#include <QTest>

#include <cmath>

#include "HlsTestPackets.h"
#include "protocol/hls/PlaylistParser.h"
#include "server/hls/HlsSegmenter.h"

using namespace stagecast::server::hls;
using namespace stagecast::test::hls;
using stagecast::stream::TrackKind;
namespace phls = stagecast::protocol::hls;

namespace {

/// `seconds` of 25 fps video with a keyframe every `gopMs`, plus audio every 40 ms, from
/// `startMs`.
void feed(HlsSegmenter& s, std::int64_t startMs, int seconds, std::int64_t gopMs) {
    for (std::int64_t t = 0; t < seconds * 1000; t += 40) {
        s.push(video(startMs + t, t % gopMs == 0));
        s.push(audio(startMs + t + 5));
    }
}

phls::MediaPlaylist parsed(const HlsSegmenter& s) {
    auto text = s.playlist("x/", "?hls_session=abc");
    if (!text) {
        qFatal("no playlist");
    }
    auto m = phls::parseMediaPlaylist(*text);
    if (!m) {
        qFatal("%s", m.error().message().c_str());
    }
    if (auto ok = m->validate(); !ok) {
        qFatal("%s\n%s", ok.error().message().c_str(), text->c_str());
    }
    return *m;
}

HlsSegmenter withConfigs(SegmenterOptions options = {}) {
    HlsSegmenter s(options);
    s.push(config(TrackKind::Video));
    s.push(config(TrackKind::Audio));
    return s;
}

} // namespace

class tst_HlsSegmenter : public QObject {
    Q_OBJECT
private slots:
    void nothingBeforeTheFirstKeyframe() {
        auto s = withConfigs();
        s.push(video(0, false));
        s.push(audio(5));
        QVERIFY(!s.playlist("x/", "").has_value());
        QCOMPARE(s.bytes(), std::size_t(0));
    }

    void cutsAtTheFirstKeyframeAfterTheTarget() {
        auto s = withConfigs(); // target 2 s
        feed(s, 0, 11, 1000);   // keyframe every second
        auto m = parsed(s);
        QCOMPARE(m.segments.size(), std::size_t(5));
        for (const auto& seg : m.segments) {
            QCOMPARE(seg.duration, 2.0);
            QVERIFY(seg.uri.ends_with(".ts?hls_session=abc"));
        }
        QCOMPARE(m.targetDuration, std::uint64_t(2));
        QCOMPARE(m.mediaSequence, std::uint64_t(0));
        QCOMPARE(m.segments[1].uri, std::string("x/1.ts?hls_session=abc"));
        // Every segment starts with PAT, then PMT.
        auto first = s.segment(0);
        QVERIFY(first);
        QCOMPARE(first->data->at(0), std::uint8_t(0x47));
        QCOMPARE(first->data->at(1) & 0x1f, 0);
        QCOMPARE(first->data->at(2), std::uint8_t(0));
        QCOMPARE(first->data->size() % 188, std::size_t(0));
    }

    void longGopRaisesTargetDuration() {
        auto s = withConfigs();
        feed(s, 0, 13, 1500); // keyframes at 0, 1.5, 3.0...: cuts at 3.0, 6.0, 9.0, 12.0
        auto m = parsed(s);
        QCOMPARE(m.segments.size(), std::size_t(4));
        QCOMPARE(m.segments[0].duration, 3.0);
        QCOMPARE(m.targetDuration, std::uint64_t(3));
    }

    void windowSlidesAndSequenceRunsOn() {
        auto s = withConfigs();
        feed(s, 0, 41, 2000); // 20 complete segments
        auto m = parsed(s);
        QCOMPARE(m.segments.size(), std::size_t(6));
        QCOMPARE(m.mediaSequence, std::uint64_t(14));
        QCOMPARE(m.segments.back().uri, std::string("x/19.ts?hls_session=abc"));
        // Older segments stay fetchable a little longer, then go.
        QVERIFY(s.segment(10));
        QVERIFY(!s.segment(9));
        QVERIFY(!s.segment(20)); // still being produced
        QCOMPARE(s.completeSegments(), std::size_t(10));
    }

    void publisherRestartAddsADiscontinuity() {
        auto s = withConfigs();
        feed(s, 100000, 7, 2000); // segments 0..2 on the first publisher's clock
        s.push(config(TrackKind::Video));
        s.push(config(TrackKind::Audio));
        feed(s, 0, 7, 2000); // the new publisher starts again at 0
        auto m = parsed(s);
        int flagged = 0;
        for (const auto& seg : m.segments) {
            flagged += seg.discontinuity ? 1 : 0;
        }
        QCOMPARE(flagged, 1);
        QCOMPARE(m.discontinuitySequence, std::uint64_t(0));
        // Once the flagged segment slides out, the sequence counts it.
        feed(s, 7000, 20, 2000);
        m = parsed(s);
        QCOMPARE(m.discontinuitySequence, std::uint64_t(1));
        for (const auto& seg : m.segments) {
            QVERIFY(!seg.discontinuity);
        }
    }

    void timestampJumpAlsoCounts() {
        auto s = withConfigs();
        feed(s, 0, 5, 1000);
        feed(s, 60000, 5, 1000); // jumps a minute ahead without a new config
        auto m = parsed(s);
        int flagged = 0;
        for (const auto& seg : m.segments) {
            flagged += seg.discontinuity ? 1 : 0;
        }
        QCOMPARE(flagged, 1);
    }

    void bytesAreBounded() {
        SegmenterOptions o;
        o.maxBytes = 4 * 188 * 60; // a few segments' worth
        auto s = withConfigs(o);
        feed(s, 0, 61, 2000);
        QVERIFY(s.completeSegments() < 10);
        QVERIFY(s.completeSegments() >= 1);
        QVERIFY(s.segment(s.nextSequence() - 1)); // the newest always stays
        parsed(s);
    }

    void audioOnlyCutsOnTime() {
        HlsSegmenter s({});
        s.push(config(TrackKind::Audio));
        for (std::int64_t t = 0; t < 9000; t += 21) {
            s.push(audio(t));
        }
        auto m = parsed(s);
        QCOMPARE(m.segments.size(), std::size_t(4));
        for (const auto& seg : m.segments) {
            QVERIFY(std::abs(seg.duration - 2.0) < 0.03);
        }
    }
};

QTEST_APPLESS_MAIN(tst_HlsSegmenter)
#include "tst_HlsSegmenter.moc"
