// The transcoder on an in-process hub: an 854x480 H.264 + AAC stream (ffmpeg-made FLV, its
// own GOP of 1 s) becomes live/src_480p and live/src_360p; 720p is skipped (never upscaled).
// Checked on the renditions' hub packets: AVC config first with the right size and profile,
// every source picture encoded, keyframes exactly on the 2 s grid of source pts and the same
// in both renditions, source audio passed through untouched and in dts order.

#include <QtTest>

#include <map>
#include <set>

#include "MediaFixtures.h"
#include "media/transcode/Transcoder.h"
#include "protocol/codec/CodecConfig.h"
#include "stream/Hub.h"

using namespace stagecast;
using namespace stagecast::media::transcode;
using namespace std::chrono_literals;

namespace {

const stream::ReaderPolicy kPatient{600s, 512 * 1024 * 1024, 3600s};

std::vector<stream::PacketPtr> drainAll(stream::Subscription& s, std::chrono::seconds timeout) {
    std::vector<stream::PacketPtr> out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        std::vector<stream::PacketPtr> batch;
        const auto state = s.reader().drain(batch, 1 << 30, std::chrono::steady_clock::now());
        out.insert(out.end(), batch.begin(), batch.end());
        if (batch.empty() && state != stream::ReaderState::Open) {
            break;
        }
        if (batch.empty()) {
            std::this_thread::sleep_for(20ms);
        }
    }
    return out;
}

} // namespace

class tst_TranscodeRendition : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString path = dir_.filePath("src.flv");
        QString log;
        QVERIFY2(media::test::runFfmpeg(media::test::h264AacFlvArgs("testsrc2=s=854x480:r=30",
                                                                    media::test::sineMinus20dBFS(),
                                                                    5.0, path),
                                        &log),
                 qPrintable(log));
        source_ = media::test::flvPackets(path, &log);
        QVERIFY2(!source_.empty(), qPrintable(log));
    }

    void ladderFromOneDecode() {
        stream::Hub hub(stream::HubOptions{});
        const auto src = *stream::StreamKey::parse("live/src");
        std::map<std::string, std::unique_ptr<stream::Subscription>> out;
        for (const char* name : {"live/src_480p", "live/src_360p"}) {
            auto s = hub.subscribe({.key = *stream::StreamKey::parse(name),
                                    .who = {9, "test", "local"},
                                    .waitForPublisher = true,
                                    .endWithPublisher = true,
                                    .notify = {}},
                                   kPatient);
            QVERIFY(s);
            out[name] = std::move(*s);
        }
        TranscoderOptions options;
        options.readerPolicy = kPatient;
        options.queue = 600s; // nothing dropped: this test checks the pictures
        std::vector<TranscodeEvent> events;
        std::mutex eventsMutex;
        TranscodeSpec spec{src,
                           {*findTemplate("720p"), *findTemplate("480p"), *findTemplate("360p")},
                           RateMode::Fixed,
                           true,
                           "test"};
        Transcoder transcoder(hub, spec, options, [&](const TranscodeEvent& e) {
            std::lock_guard lock(eventsMutex);
            events.push_back(e);
        });
        transcoder.start();
        // Subscribed before the publish, so it sees every packet (not just the GOP cache).
        QTRY_VERIFY(hub.snapshot(src) && hub.snapshot(src)->readers == 1);
        {
            auto publisher =
                hub.publish({.key = src, .who = {1, "test", "127.0.0.1"}, .onEvicted = {}});
            QVERIFY(publisher);
            for (const auto& p : source_) {
                (*publisher)->push(p);
            }
            // The decoder holds back a few reordered pictures until the end of the stream.
            QTRY_VERIFY_WITH_TIMEOUT(transcoder.status().decodedFrames >= 140, 60000);
        } // unpublished: the transcoder flushes and its renditions end
        QTRY_VERIFY_WITH_TIMEOUT(transcoder.finished(), 120000);

        const auto status = transcoder.status();
        QCOMPARE(status.sourceWidth, 854u);
        QCOMPARE(status.sourceHeight, 480u);
        QCOMPARE(status.skipped.size(), std::size_t(1));
        QCOMPARE(status.skipped[0].name, std::string("720p"));
        QCOMPARE(status.renditions.size(), std::size_t(2));
        for (const auto& r : status.renditions) {
            QCOMPARE(r.encodedFrames, std::uint64_t(150));
            QCOMPARE(r.droppedFrames, std::uint64_t(0));
            QVERIFY2(r.lastError.empty(), r.lastError.c_str());
        }
        {
            std::lock_guard lock(eventsMutex);
            QVERIFY(std::any_of(events.begin(), events.end(), [](const auto& e) {
                return e.type == "transcode_skipped" &&
                       e.detail == "720p is above the source's 854x480: never upscaled";
            }));
        }

        // Source figures to compare with.
        std::vector<std::int64_t> sourcePts;
        std::vector<const stream::MediaPacket*> sourceAudio;
        for (const auto& p : source_) {
            if (p->kind == stream::TrackKind::Video && !p->config) {
                sourcePts.push_back((p->dts + p->cts).count());
            } else if (p->kind == stream::TrackKind::Audio) {
                sourceAudio.push_back(p.get());
            }
        }
        std::map<std::int64_t, std::int64_t> firstOfInterval; // grid -> smallest pts
        for (auto pts : sourcePts) {
            const auto g = gridIndex(std::chrono::milliseconds(pts));
            if (!firstOfInterval.contains(g) || pts < firstOfInterval[g]) {
                firstOfInterval[g] = pts;
            }
        }
        std::set<std::int64_t> expectedKeys;
        for (const auto& [g, pts] : firstOfInterval) {
            expectedKeys.insert(pts);
        }
        QCOMPARE(expectedKeys.size(), std::size_t(3)); // 5 s of source: intervals 0, 1 and 2

        const std::map<std::string, std::pair<unsigned, unsigned>> sizes = {
            {"live/src_480p", {854, 480}}, {"live/src_360p", {640, 360}}};
        for (auto& [name, sub] : out) {
            const auto packets = drainAll(*sub, 30s);
            QVERIFY2(!packets.empty(), name.c_str());
            const stream::MediaPacket* firstVideo = nullptr;
            std::set<std::int64_t> keys;
            int frames = 0;
            std::vector<const stream::MediaPacket*> audio;
            std::chrono::milliseconds lastDts{-1000000};
            for (const auto& p : packets) {
                QVERIFY2(p->dts >= lastDts, name.c_str()); // one interleaved timeline
                lastDts = p->dts;
                if (p->kind == stream::TrackKind::Audio) {
                    audio.push_back(p.get());
                    continue;
                }
                if (!firstVideo) {
                    firstVideo = p.get();
                }
                if (p->config) {
                    continue;
                }
                ++frames;
                QVERIFY(p->cts.count() >= 0);
                if (p->keyframe) {
                    keys.insert((p->dts + p->cts).count());
                }
            }
            QVERIFY(firstVideo && firstVideo->config);
            const auto config =
                protocol::codec::parseAvcConfig(std::span(firstVideo->payload).subspan(5));
            QVERIFY(config);
            QCOMPARE(config->width, sizes.at(name).first);
            QCOMPARE(config->height, sizes.at(name).second);
            QCOMPARE(config->profile, std::string("Main"));
            QCOMPARE(frames, 150);
            QCOMPARE(keys, expectedKeys);
            // Pass-through: the very same packets, in order: the AAC config, then every frame
            // from the first decoded picture on (earlier audio has no picture to go with).
            QVERIFY(audio.size() > sourceAudio.size() / 2);
            QVERIFY(audio.front()->config && audio.front() == sourceAudio.front());
            const std::vector<const stream::MediaPacket*> tail(
                sourceAudio.end() - static_cast<std::ptrdiff_t>(audio.size() - 1),
                sourceAudio.end());
            QVERIFY(std::equal(audio.begin() + 1, audio.end(), tail.begin(), tail.end()));
        }
    }

    void stopUnpublishesTheRenditions() {
        stream::Hub hub(stream::HubOptions{});
        const auto src = *stream::StreamKey::parse("live/cam");
        TranscoderOptions options;
        options.readerPolicy = kPatient;
        options.queue = 600s;
        Transcoder transcoder(
            hub, {src, {*findTemplate("360p")}, RateMode::Narrowband, false, "api"}, options, {});
        transcoder.start();
        QTRY_VERIFY(hub.snapshot(src) && hub.snapshot(src)->readers == 1);
        auto publisher =
            hub.publish({.key = src, .who = {1, "test", "127.0.0.1"}, .onEvicted = {}});
        QVERIFY(publisher);
        for (const auto& p : source_) {
            (*publisher)->push(p);
        }
        QTRY_VERIFY_WITH_TIMEOUT(hub.snapshot(*stream::StreamKey::parse("live/cam_360p")) &&
                                     hub.snapshot(*stream::StreamKey::parse("live/cam_360p"))->live,
                                 60000);
        QCOMPARE(transcoder.status().mode, RateMode::Narrowband);
        transcoder.stop();
        const auto after = hub.snapshot(*stream::StreamKey::parse("live/cam_360p"));
        QVERIFY(!after || !after->live);
        QCOMPARE(transcoder.status().state, std::string("finished"));
        QVERIFY(hub.snapshot(src)->live); // the source is untouched
    }

private:
    QTemporaryDir dir_;
    std::vector<stream::PacketPtr> source_;
};

QTEST_GUILESS_MAIN(tst_TranscodeRendition)
#include "tst_TranscodeRendition.moc"
