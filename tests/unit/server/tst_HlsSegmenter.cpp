// The HLS segmenter fed with synthetic FLV-body packets: cuts at keyframes after the target,
// the target-duration rule, the sliding window and sequence numbers, discontinuities on a
// publisher restart, the byte bound; every playlist parses and validates against the RFC
// rules core/protocol/hls checks. Encrypted (AES-128): each segment decrypts (OpenSSL EVP
// here) to the clear segment, has its own IV and EXT-X-KEY, keys rotate every N segments,
// and a segment is listed only once its key is stored.

#include <QTest>

#include <cmath>

#include <set>

#include "HlsDecrypt.h"
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
    const auto text = s.playlist("x/", "?hls_session=abc");
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

    void programDateTimesStayWithinASecondOfArrival() {
        // A publisher sending twice as fast as real time (a catch-up burst): dates follow the
        // timeline while it is within a second of the wall clock, then re-anchor.
        constexpr std::int64_t W = 1'700'000'000'000;
        auto s = withConfigs({std::chrono::milliseconds(2000), 10});
        for (std::int64_t t = 0; t < 10'040; t += 40) {
            s.push(video(t, t % 2000 == 0), W + t / 2);
            s.push(audio(t + 5), W + t / 2);
        }
        const auto m = parsed(s);
        QCOMPARE(m.segments.size(), std::size_t(5));
        std::int64_t previous = 0;
        for (std::size_t i = 0; i < m.segments.size(); ++i) {
            const auto arrived = W + static_cast<std::int64_t>(i) * 1000; // first frame's arrival
            const auto date = m.segments[i].programDateTimeMs.value_or(0);
            QVERIFY2(std::llabs(date - arrived) <= 1000, qPrintable(QString::number(date - W)));
            QVERIFY(date >= previous);
            previous = date;
        }
        QCOMPARE(*m.segments[0].programDateTimeMs, W);
        QCOMPARE(*m.segments[1].programDateTimeMs, W + 2000); // on the timeline, 1 s ahead
        QCOMPARE(*m.segments[2].programDateTimeMs, W + 2000); // 2 s ahead: re-anchored
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

    void encryptedSegmentsDecryptToTheClearOnes() {
        SegmenterOptions o;
        o.encrypt = true;
        o.keyRotateSegments = 3;
        auto sealed = withConfigs(o);
        auto clear = withConfigs();
        feed(sealed, 0, 19, 2000); // segments 0..8
        feed(clear, 0, 19, 2000);
        QCOMPARE(sealed.nextSequence(), std::uint64_t(9));
        std::set<Aes128Iv> ivs;
        for (std::uint64_t seq = 0; seq < 9; ++seq) {
            auto e = sealed.segment(seq);
            auto c = clear.segment(seq);
            QVERIFY(e && c && e->key && !c->key);
            QVERIFY(*e->data != *c->data);
            QCOMPARE(e->data->size() % 16, std::size_t(0));
            auto back = decryptAes128(*e->data, e->key->bytes, e->iv);
            QVERIFY(back.has_value());
            QCOMPARE(*back, *c->data);
            QCOMPARE(back->at(0), std::uint8_t(0x47));
            ivs.insert(e->iv);
            // A new key every 3 segments.
            if (seq > 0) {
                QCOMPARE(e->key != sealed.segment(seq - 1)->key, seq % 3 == 0);
            }
        }
        QCOMPARE(ivs.size(), std::size_t(9)); // a fresh IV per segment
    }

    void encryptedPlaylistNamesKeyAndIvPerSegment() {
        SegmenterOptions o;
        o.encrypt = true;
        o.keyRotateSegments = 2;
        auto s = withConfigs(o);
        feed(s, 0, 13, 2000); // segments 0..5 (listed: all 6)
        // No key on disk yet: nothing may be listed.
        QVERIFY(!s.playlist("x/", "?hls_session=abc").has_value());
        auto made = s.takeNewKeys();
        QCOMPARE(made.size(), std::size_t(3));
        made[0]->stored = true; // only the first key (segments 0 and 1) is stored
        auto partial = parsed(s);
        QCOMPARE(partial.segments.size(), std::size_t(2));
        QVERIFY(!s.key(made[1]->id)); // not served before it is stored
        for (auto& k : made) {
            k->stored = true;
        }
        const auto text = *s.playlist("x/", "?hls_session=abc");
        auto m = parsed(s);
        QCOMPARE(m.segments.size(), std::size_t(6));
        QCOMPARE(text.find("#EXT-X-VERSION:3"), text.find("#EXT-X-VERSION"));
        std::size_t keyLines = 0;
        for (auto at = text.find("#EXT-X-KEY:"); at != std::string::npos;
             at = text.find("#EXT-X-KEY:", at + 1)) {
            ++keyLines;
        }
        QCOMPARE(keyLines, std::size_t(6)); // before every segment: each has its own IV
        for (std::size_t i = 0; i < m.segments.size(); ++i) {
            const auto& seg = m.segments[i];
            const auto original = s.segment(i);
            QVERIFY(seg.key.has_value());
            QCOMPARE(seg.key->method, std::string("AES-128"));
            QCOMPARE(seg.key->uri,
                     "x/key/" + made[i / 2]->id + ".key?hls_session=abc"); // rotated every 2
            QVERIFY(seg.key->iv.has_value());
            QCOMPARE(*seg.key->iv, original->iv);
            QVERIFY(seg.key->keyFormat.empty());
            QCOMPARE(s.key(made[i / 2]->id), std::shared_ptr<const HlsKey>(made[i / 2]));
        }
        QVERIFY(text.find("#EXT-X-KEY:METHOD=AES-128,URI=\"x/key/" + made[0]->id +
                          ".key?hls_session=abc\",IV=0x") != std::string::npos);
        // The folder output's playlist points its keys at the studio.
        auto folder = *s.playlist("", "", std::string("http://studio:8080/live/x/key/"));
        QVERIFY(folder.find("URI=\"http://studio:8080/live/x/key/" + made[2]->id + ".key\"") !=
                std::string::npos);
    }

    void keysRetireWithTheirSegmentsAndRotateOnRestart() {
        SegmenterOptions o;
        o.encrypt = true;
        o.keyRotateSegments = 0; // one key per publisher
        o.windowSegments = 3;
        o.extraSegments = 0;
        auto s = withConfigs(o);
        feed(s, 100000, 9, 2000); // segments 0..3 under one key
        QCOMPARE(s.takeNewKeys().size(), std::size_t(1));
        s.push(config(TrackKind::Video)); // a new publisher
        s.push(config(TrackKind::Audio));
        feed(s, 0, 13, 2000);
        auto fresh = s.takeNewKeys();
        QCOMPARE(fresh.size(), std::size_t(1));
        // The first publisher's segments slid out: its key goes with them.
        auto retired = s.takeRetiredKeys();
        QCOMPARE(retired.size(), std::size_t(1));
        QVERIFY(retired[0] != fresh[0]);
        QCOMPARE(s.keys().size(), std::size_t(1));
        QVERIFY(s.takeRetiredKeys().empty());
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
