// The LL-HLS packager fed with synthetic FLV-body packets: parts within PART-TARGET, segments
// starting with an independent part at a keyframe, the playlist's LL-HLS tags and their
// rules (validated by core/protocol/hls), what a blocking reload waits for, the fMP4 boxes of
// the init segment and of a part, and a discontinuity with a new init segment when the
// encoder's configuration changes.

#include <QTest>

#include "HlsTestPackets.h"
#include "protocol/hls/PlaylistParser.h"
#include "server/hls/LlHlsSegmenter.h"

using namespace stagecast::server::hls;
using namespace stagecast::test::hls;
namespace phls = stagecast::protocol::hls;

namespace {

/// 25 fps video with a keyframe every `gopMs` and audio every 40 ms, for [fromMs, toMs).
void feed(LlHlsSegmenter& s, std::int64_t fromMs, std::int64_t toMs, std::int64_t gopMs) {
    for (std::int64_t t = fromMs; t < toMs; t += 40) {
        s.push(video(t, t % gopMs == 0));
        s.push(audio(t + 5));
    }
}

LlHlsSegmenter started(LlOptions options = {}) {
    LlHlsSegmenter s(options);
    s.push(config(TrackKind::Video));
    s.push(config(TrackKind::Audio));
    return s;
}

phls::MediaPlaylist parsed(const LlHlsSegmenter& s) {
    auto text = s.playlist("ll/", "?hls_session=abc");
    if (!text) {
        qFatal("no playlist");
    }
    auto m = phls::parseMediaPlaylist(*text);
    if (!m) {
        qFatal("%s\n%s", m.error().message().c_str(), text->c_str());
    }
    if (auto ok = m->validate(); !ok) {
        qFatal("%s\n%s", ok.error().message().c_str(), text->c_str());
    }
    return *m;
}

/// The four-character types of the top-level boxes of `bytes`.
QStringList boxes(const std::vector<std::uint8_t>& bytes) {
    QStringList out;
    std::size_t at = 0;
    while (at + 8 <= bytes.size()) {
        const std::uint32_t size = (std::uint32_t(bytes[at]) << 24) |
                                   (std::uint32_t(bytes[at + 1]) << 16) |
                                   (std::uint32_t(bytes[at + 2]) << 8) | bytes[at + 3];
        out << QString::fromLatin1(reinterpret_cast<const char*>(&bytes[at + 4]), 4);
        if (size < 8) {
            out << "BAD-SIZE";
            break;
        }
        at += size;
    }
    if (at != bytes.size()) {
        out << "TRAILING";
    }
    return out;
}

bool contains(const std::vector<std::uint8_t>& bytes, const char* type) {
    return std::search(bytes.begin(), bytes.end(), type, type + 4) != bytes.end();
}

} // namespace

class tst_LlHlsSegmenter : public QObject {
    Q_OBJECT

private slots:
    void partsAndSegments() {
        auto s = started({std::chrono::milliseconds(1000), std::chrono::milliseconds(334)});
        feed(s, 0, 5040, 1000); // 5 s and the keyframe that closes the fifth segment
        const auto pl = parsed(s);
        QVERIFY(pl.partTarget);
        QCOMPARE(*pl.partTarget, 0.334);
        QVERIFY(pl.serverControl.canBlockReload);
        QVERIFY(pl.serverControl.partHoldBack >= 2 * *pl.partTarget);
        QCOMPARE(pl.targetDuration, 1U);
        QCOMPARE(pl.preloadHints.size(), std::size_t(1));
        QCOMPARE(pl.preloadHints[0].type, phls::PreloadHint::Type::Part);
        QCOMPARE(s.completeSegments(), std::size_t(5));
        int withParts = 0;
        for (const auto& seg : pl.segments) {
            QVERIFY(seg.map);
            QVERIFY(seg.map->uri.starts_with("ll/init-1.mp4"));
            if (!seg.uri.empty()) {
                QCOMPARE(seg.duration, 1.0); // cut at the keyframe every second
            }
            if (seg.parts.empty()) {
                continue;
            }
            ++withParts;
            QVERIFY2(seg.parts.front().independent, "a segment starts with a keyframe");
            double sum = 0;
            for (const auto& part : seg.parts) {
                QVERIFY(part.duration <= *pl.partTarget);
                QVERIFY(part.duration > 0);
                sum += part.duration;
            }
            if (!seg.uri.empty()) {
                QVERIFY(std::abs(sum - seg.duration) < 0.001);
                QVERIFY(seg.parts.size() >= 3); // 1 s in parts of at most 334 ms
            }
        }
        QVERIFY(withParts >= 2);
        // The hint names the next part of the segment in progress (listed once it has one).
        const auto& last = pl.segments.back();
        const auto next = last.uri.empty() ? last.parts.size() : 0;
        QCOMPARE(pl.preloadHints[0].uri, "ll/" + std::to_string(s.liveMsn()) + "." +
                                             std::to_string(next) + ".m4s?hls_session=abc");
    }

    void blockingReloadWaitsForThePart() {
        auto s = started({std::chrono::milliseconds(1000), std::chrono::milliseconds(334)});
        feed(s, 0, 1040, 1000); // segment 0 complete, segment 1 open with no part yet
        QCOMPARE(s.liveMsn(), 1U);
        QVERIFY(s.has(0, std::nullopt));
        QVERIFY(s.has(0, 2U));
        QVERIFY(!s.has(1, 0U));
        QVERIFY(!s.has(1, std::nullopt));
        const auto before = s.version();
        feed(s, 1040, 1320, 1000); // 280 ms: still within the first part
        QVERIFY(!s.has(1, 0U));
        s.push(video(1320, false)); // with the next frame the part would pass 334 ms
        QVERIFY(s.has(1, 0U));
        QVERIFY(s.version() != before);
        QVERIFY(!s.has(1, 1U));
        QVERIFY(s.part(1, 0) != nullptr);
        QVERIFY(s.part(1, 1) == nullptr);
    }

    void fmp4Boxes() {
        auto s = started();
        feed(s, 0, 2040, 1000);
        auto init = s.init(1);
        QVERIFY(init);
        QCOMPARE(boxes(*init), QStringList({"ftyp", "moov"}));
        for (const char* inner : {"mvhd", "trak", "avc1", "avcC", "mp4a", "esds", "mvex", "trex"}) {
            QVERIFY2(contains(*init, inner), inner);
        }
        auto part = s.part(0, 0);
        QVERIFY(part && part->independent);
        QCOMPARE(boxes(*part->data), QStringList({"moof", "mdat"}));
        for (const char* inner : {"mfhd", "traf", "tfhd", "tfdt", "trun"}) {
            QVERIFY2(contains(*part->data, inner), inner);
        }
        auto segment = s.segment(0);
        QVERIFY(segment);
        const auto parts = boxes(*segment);
        QVERIFY(parts.size() >= 4 && parts.size() % 2 == 0);
        QCOMPARE(parts.count("moof"), parts.count("mdat"));
    }

    void newEncoderConfigurationMakesANewInit() {
        auto s = started({std::chrono::milliseconds(1000), std::chrono::milliseconds(334)});
        feed(s, 0, 2040, 1000);
        auto changed = config(TrackKind::Video);
        changed.payload.back() ^= 0x01; // another PPS
        s.push(changed);
        feed(s, 2040, 4040, 1000);
        QVERIFY(s.init(2));
        const auto pl = parsed(s);
        bool sawNew = false;
        for (const auto& seg : pl.segments) {
            if (seg.map && seg.map->uri.starts_with("ll/init-2.mp4")) {
                sawNew = true;
            }
        }
        QVERIFY(sawNew);
        QVERIFY(std::any_of(pl.segments.begin(), pl.segments.end(),
                            [](const auto& seg) { return seg.discontinuity; }));
    }

    void programDateTimesFollowTheTimelineFromTheArrival() {
        // Frames arrive in real time from wall clock W, 3 ms of jitter on every other one.
        constexpr std::int64_t W = 1'700'000'000'000;
        auto s = started({std::chrono::milliseconds(1000), std::chrono::milliseconds(334)});
        for (std::int64_t t = 0; t < 3400; t += 40) {
            const auto wall = W + t + (t % 80 == 0 ? 3 : 0);
            s.push(video(t, t % 1000 == 0), wall);
            s.push(audio(t + 5), wall);
        }
        auto pl = parsed(s);
        QVERIFY(pl.segments.size() >= 4); // three complete, the open one with its parts
        QVERIFY(pl.segments.back().uri.empty());
        std::int64_t expected = W + 3; // the first frame's arrival (t = 0 had the jitter)
        for (const auto& seg : pl.segments) {
            QVERIFY(seg.programDateTimeMs.has_value());
            QCOMPARE(*seg.programDateTimeMs, expected); // exactly the durations apart
            expected += std::llround(seg.duration * 1000.0);
        }
        // A new publisher whose clock starts at 0 again, two seconds later: a new anchor.
        s.markDiscontinuity();
        for (std::int64_t t = 0; t < 1100; t += 40) {
            s.push(video(t, t % 1000 == 0), W + 5000 + t);
        }
        pl = parsed(s);
        const auto& restarted = *std::find_if(pl.segments.begin(), pl.segments.end(),
                                              [](const auto& seg) { return seg.discontinuity; });
        QCOMPARE(*restarted.programDateTimeMs, W + 5000);
    }

    void publisherRestartIsADiscontinuity() {
        auto s = started({std::chrono::milliseconds(1000), std::chrono::milliseconds(334)});
        feed(s, 5000, 7040, 1000);
        s.markDiscontinuity();
        feed(s, 0, 2040, 1000);
        const auto pl = parsed(s);
        int flags = 0;
        for (const auto& seg : pl.segments) {
            flags += seg.discontinuity ? 1 : 0;
        }
        QCOMPARE(flags, 1);
    }

    void windowAndBound() {
        LlOptions o{std::chrono::milliseconds(1000), std::chrono::milliseconds(334), 3, 1,
                    64 * 1024 * 1024};
        auto s = started(o);
        feed(s, 0, 10040, 1000);
        const auto pl = parsed(s);
        // 3 complete; the one just started has no part yet, so only the hint names it.
        QCOMPARE(pl.segments.size(), std::size_t(3));
        QCOMPARE(pl.mediaSequence, 7U);
        QVERIFY(s.segment(6));  // one extra stays fetchable
        QVERIFY(!s.segment(5)); // older ones are gone
        QVERIFY(!s.part(5, 0));
    }

    void nothingBeforeConfigAndKeyframe() {
        LlHlsSegmenter s({});
        s.push(video(0, true)); // no configuration yet
        QVERIFY(!s.playlist("", ""));
        s.push(config(TrackKind::Video));
        s.push(video(40, false)); // not a keyframe: no segment starts
        s.push(video(80, false));
        QVERIFY(!s.playlist("", ""));
        QCOMPARE(s.liveMsn(), 0U);
    }
};

QTEST_APPLESS_MAIN(tst_LlHlsSegmenter)
#include "tst_LlHlsSegmenter.moc"
