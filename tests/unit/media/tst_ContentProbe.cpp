// ContentProbe on real encoded media: files made by the ffmpeg CLI (H.264/HEVC + AAC), read
// into hub packets the way the ingests make them, fed to the probe.

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <random>

#include "MediaFixtures.h"
#include "media/ContentProbe.h"

using namespace stagecast;
using namespace stagecast::media;
using namespace std::chrono_literals;
using stream::PacketPtr;
using stream::TrackKind;

namespace {

struct Run {
    std::vector<ContentSample> samples;
    std::vector<std::string> problems;
    ProbeCounters counters;
};

Run probeAll(const std::vector<PacketPtr>& packets, ProbeOptions options = {}) {
    ContentProbe probe(options);
    Run run;
    for (const auto& p : packets) {
        if (auto ok = probe.feed(*p, run.samples); !ok) {
            run.problems.push_back(ok.error().message());
        }
    }
    run.counters = probe.counters();
    return run;
}

} // namespace

class tst_ContentProbe : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString black_;  // color=black + anullsrc, 6 s
    QString tone_;   // testsrc2 + 1 kHz sine at -20 dBFS, 6 s
    QString freeze_; // testsrc2 for 3 s, then its last picture repeated for 6 s; sine
    QString other_;  // testsrc2 at another size (a new decoder configuration)
    QString hevc_;   // testsrc2 in HEVC + sine, MPEG-TS

    std::vector<PacketPtr> load(const QString& path) {
        QString error;
        auto packets = test::flvPackets(path, &error);
        if (packets.empty()) {
            qWarning() << "reading" << path << "failed:" << error;
        }
        return packets;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QString log;
        black_ = dir_.filePath("black.flv");
        QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("color=c=black:s=320x240:r=30",
                                                      "anullsrc=r=48000:cl=stereo", 6, black_),
                                 &log),
                 qPrintable(log));
        tone_ = dir_.filePath("tone.flv");
        QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("testsrc2=s=320x240:r=30",
                                                      test::sineMinus20dBFS(), 6, tone_),
                                 &log),
                 qPrintable(log));
        freeze_ = dir_.filePath("freeze.flv");
        QVERIFY2(
            test::runFfmpeg(test::h264AacFlvArgs(
                                "testsrc2=s=320x240:r=30:d=3,tpad=stop_mode=clone:stop_duration=6",
                                test::sineMinus20dBFS(), 9, freeze_),
                            &log),
            qPrintable(log));
        other_ = dir_.filePath("other.flv");
        QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("testsrc2=s=352x288:r=30",
                                                      test::sineMinus20dBFS(), 4, other_),
                                 &log),
                 qPrintable(log));
        hevc_ = dir_.filePath("hevc.ts");
        QVERIFY2(
            test::runFfmpeg({"-f",           "lavfi",
                             "-i",           "testsrc2=s=320x240:r=30",
                             "-f",           "lavfi",
                             "-i",           test::sineMinus20dBFS(),
                             "-t",           "5",
                             "-c:v",         "libx265",
                             "-x265-params", "log-level=error:keyint=30:min-keyint=30:scenecut=0",
                             "-pix_fmt",     "yuv420p",
                             "-c:a",         "aac",
                             "-f",           "mpegts",
                             hevc_},
                            &log),
            qPrintable(log));
    }

    void blackAndSilentStreamIsReportedSo() {
        auto run = probeAll(load(black_));
        QVERIFY2(run.problems.empty(), run.problems.empty() ? "" : run.problems[0].c_str());
        // 6 s of media: a sample at the end of each full second.
        QVERIFY(run.samples.size() >= 5);
        for (const auto& s : run.samples) {
            QVERIFY(s.hasAudio);
            QVERIFY(s.silent);
            QVERIFY(s.peakDbfs < -60);
            QVERIFY(s.hasVideo);
            QVERIFY(s.black);
            QVERIFY(s.blackShare >= 0.98);
            QVERIFY(s.avgLuma < 0.02);
            QCOMPARE(s.width, 320U);
            QCOMPARE(s.height, 240U);
        }
        QCOMPARE(run.counters.video.errors, 0U);
        QCOMPARE(run.counters.audio.errors, 0U);
    }

    void tonePatternIsNeitherBlackNorSilentNorFrozen() {
        QString log;
        auto reference = test::ffmpegIntegratedLoudness(tone_, &log);
        QVERIFY2(reference, qPrintable(log));
        auto run = probeAll(load(tone_));
        QVERIFY2(run.problems.empty(), run.problems.empty() ? "" : run.problems[0].c_str());
        QVERIFY(run.samples.size() >= 5);
        for (const auto& s : run.samples) {
            QVERIFY(s.hasAudio);
            QVERIFY(!s.silent);
            QVERIFY(s.hasVideo);
            QVERIFY(!s.black);
            QVERIFY(!s.frozen);
            QVERIFY(s.avgLuma > 0.1);
            // A steady tone: the 400 ms window reads what the whole file integrates to.
            QVERIFY2(std::fabs(s.momentaryLufs - *reference) <= 2.0,
                     qPrintable(QString("momentary %1 LUFS at %2 ms, ffmpeg I %3 LUFS")
                                    .arg(s.momentaryLufs)
                                    .arg(s.mediaTime.count())
                                    .arg(*reference)));
            QVERIFY(std::fabs(s.peakDbfs - -20.0) < 1.5);
        }
        // Short-term needs its 3 s window filled.
        const auto& last = run.samples.back();
        QVERIFY2(std::fabs(last.shortTermLufs - *reference) <= 2.0,
                 qPrintable(QString::number(last.shortTermLufs)));
        QCOMPARE(last.sampleRate, 48000U);
        QCOMPARE(last.channels, 2U);
        // Keyframes only, one a second: 6 pictures decoded out of 180 frames.
        QVERIFY(run.counters.picturesAnalyzed >= 5 && run.counters.picturesAnalyzed <= 7);
        QCOMPARE(run.counters.video.frames, run.counters.picturesAnalyzed);
        QVERIFY(run.counters.video.skipped >= 170);
        for (std::size_t i = 1; i < run.samples.size(); ++i) {
            QVERIFY(run.samples[i].pictureDifference.has_value());
        }
    }

    void stillPictureIsFrozenAfterTheThresholdTime() {
        auto run = probeAll(load(freeze_));
        QVERIFY(run.samples.size() >= 8);
        std::optional<std::chrono::milliseconds> firstFrozen;
        for (const auto& s : run.samples) {
            QVERIFY(s.hasVideo);
            QVERIFY(!s.black);
            QVERIFY(!s.silent);
            if (s.pictureTime <= 3000ms) {
                QVERIFY2(!s.frozen, qPrintable(QString::number(s.mediaTime.count())));
            }
            if (s.frozen && !firstFrozen) {
                firstFrozen = s.mediaTime;
            }
        }
        // The picture stops changing at 3 s; frozen once unchanged for 2 s (5 s), seen at the
        // keyframe that shows it.
        QVERIFY(firstFrozen.has_value());
        QVERIFY2(*firstFrozen >= 5000ms && *firstFrozen <= 7000ms,
                 qPrintable(QString::number(firstFrozen->count())));
        QVERIFY(run.samples.back().frozen);
        QVERIFY(run.samples.back().unchangedFor >= 4000ms);
        QVERIFY(*run.samples.back().pictureDifference < 0.001);
    }

    void truncatedPacketsAreCountedAndTheProbeGoesOn() {
        auto packets = load(tone_);
        QVERIFY(!packets.empty());
        // Cut the third video keyframe and an audio frame near it to half their size.
        int keyframes = 0;
        std::chrono::milliseconds cutAt{0};
        for (auto& p : packets) {
            if (p->kind == TrackKind::Video && p->keyframe && ++keyframes == 3) {
                cutAt = p->dts;
                p = test::truncated(p, p->payload.size() / 2);
            }
        }
        for (auto& p : packets) {
            if (p->kind == TrackKind::Audio && !p->config && p->dts > cutAt) {
                p = test::truncated(p, p->payload.size() / 2);
                break;
            }
        }
        QVERIFY(cutAt > 0ms);
        auto run = probeAll(packets);
        QVERIFY(run.counters.video.errors >= 1);
        QVERIFY(run.counters.video.resets >= 1);
        QVERIFY(!run.problems.empty());
        // Later keyframes are decoded again: pictures newer than the cut, still correct.
        const auto& last = run.samples.back();
        QVERIFY(last.mediaTime > cutAt + 2000ms);
        QVERIFY(last.hasVideo);
        QVERIFY(last.pictureTime > cutAt);
        QVERIFY(!last.black);
        QVERIFY(last.hasAudio);
        QVERIFY(!last.silent);
        QVERIFY(run.counters.picturesAnalyzed >= 4);
    }

    void garbageIsCountedNeverFatal() {
        auto packets = load(tone_);
        QVERIFY(!packets.empty());
        std::mt19937 rng(42);
        std::uniform_int_distribution<int> byte(0, 255);
        std::vector<PacketPtr> input;
        auto random = [&](TrackKind kind, std::uint8_t first, std::uint8_t second, std::int64_t dts,
                          bool key, bool config, std::size_t size) {
            auto p = std::make_shared<stream::MediaPacket>();
            p->kind = kind;
            p->dts = std::chrono::milliseconds(dts);
            p->keyframe = key;
            p->config = config;
            p->payload = {first, second, 0, 0, 0};
            for (std::size_t i = 0; i < size; ++i) {
                p->payload.push_back(static_cast<std::uint8_t>(byte(rng)));
            }
            return PacketPtr(p);
        };
        // A garbage AVC configuration, then garbage frames.
        input.push_back(random(TrackKind::Video, 0x17, 0x00, 0, false, true, 40));
        for (int i = 0; i < 20; ++i) {
            input.push_back(random(TrackKind::Video, 0x17, 0x01, i * 100, true, false, 500));
        }
        // The real configurations, then garbage keyframes and AAC frames among real packets.
        for (std::size_t i = 0; i < packets.size(); ++i) {
            input.push_back(packets[i]);
            if (i % 50 == 25) {
                input.push_back(random(TrackKind::Video, 0x17, 0x01, packets[i]->dts.count(), true,
                                       false, 300));
                input.push_back(random(TrackKind::Audio, 0xAF, 0x01, packets[i]->dts.count(), false,
                                       false, 200));
            }
        }
        auto run = probeAll(input);
        QVERIFY(run.counters.video.errors > 0);
        QVERIFY(run.counters.audio.errors > 0);
        QVERIFY(!run.samples.empty());
        QVERIFY(run.samples.back().hasVideo);
        QVERIFY(run.samples.back().hasAudio);
    }

    void newConfigurationAndTimelineRestartAreFollowed() {
        // A republish: another encoder configuration, timestamps from zero again.
        auto packets = load(black_);
        auto second = load(other_);
        QVERIFY(!packets.empty() && !second.empty());
        packets.insert(packets.end(), second.begin(), second.end());
        auto run = probeAll(packets);
        QVERIFY2(run.problems.empty(), run.problems.empty() ? "" : run.problems[0].c_str());
        QCOMPARE(run.counters.timelineResets, 1U);
        QVERIFY(run.counters.video.resets >= 1);
        const auto& last = run.samples.back();
        QCOMPARE(last.width, 352U);
        QCOMPARE(last.height, 288U);
        QVERIFY(!last.black);
        QVERIFY(!last.silent);
    }

    void hevcIsDecoded() {
        QString error;
        auto packets = test::tsPackets(hevc_, &error);
        QVERIFY2(!packets.empty(), qPrintable(error));
        auto run = probeAll(packets);
        QVERIFY2(run.problems.empty(), run.problems.empty() ? "" : run.problems[0].c_str());
        QVERIFY(run.samples.size() >= 3);
        QVERIFY(run.counters.picturesAnalyzed >= 3);
        const auto& last = run.samples.back();
        QVERIFY(last.hasVideo);
        QCOMPARE(last.width, 320U);
        QVERIFY(!last.black);
        QVERIFY(!last.frozen);
        QVERIFY(!last.silent);
    }

    void optionsNameTheBadValue() {
        ProbeOptions options;
        QVERIFY(options.validate());
        options.blackPictureRatio = 1.5;
        auto bad = options.validate();
        QVERIFY(!bad);
        QVERIFY2(bad.error().message().find("blackPictureRatio") != std::string::npos,
                 bad.error().message().c_str());
        QVERIFY(bad.error().message().find("allowed") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(tst_ContentProbe)
#include "tst_ContentProbe.moc"
