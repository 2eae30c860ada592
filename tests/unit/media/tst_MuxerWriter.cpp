// MuxerWriter on its own: hub packets of an ffmpeg-made file written by stream copy, and the
// errors a full disk or a missing folder give.

#include <QTemporaryDir>
#include <QtTest>

#include "MediaFixtures.h"
#include "media/record/MuxerWriter.h"

using namespace stagecast;
using namespace stagecast::media;
using namespace stagecast::media::record;
using namespace std::chrono_literals;

class tst_MuxerWriter : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::vector<stream::PacketPtr> media_;
    TrackSet tracks_;

    /// Writes every media packet of the fixture; the first error, if any.
    base::Status writeAll(MuxerWriter& writer) {
        bool started = false;
        for (const auto& p : media_) {
            if (p->config) {
                continue;
            }
            started = started || (p->kind == stream::TrackKind::Video && p->keyframe);
            auto coded = codedPayload(*p);
            if (!started || !coded || !coded->present) {
                continue;
            }
            const auto pts = p->dts + (p->kind == stream::TrackKind::Video ? p->cts : 0ms);
            if (auto ok = writer.write({p->kind, coded->data, p->dts, pts, p->keyframe}); !ok) {
                return ok;
            }
        }
        return writer.finish();
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString path = dir_.filePath("two.flv");
        QString log;
        QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("testsrc2=s=320x240:r=30",
                                                      test::sineMinus20dBFS(), 2, path),
                                 &log),
                 qPrintable(log));
        media_ = test::flvPackets(path, &log);
        QVERIFY2(!media_.empty(), qPrintable(log));
        for (const auto& p : media_) {
            if (p->config && p->kind == stream::TrackKind::Video) {
                auto video = videoTrackFrom(*p);
                QVERIFY2(video, video ? "" : video.error().message().c_str());
                tracks_.video = *video;
            } else if (p->config && p->kind == stream::TrackKind::Audio) {
                auto audio = audioTrackFrom(*p);
                QVERIFY2(audio, audio ? "" : audio.error().message().c_str());
                tracks_.audio = *audio;
            }
        }
        QVERIFY(tracks_.video && tracks_.audio);
        QCOMPARE(tracks_.video->width, 320U);
        QCOMPARE(tracks_.audio->sampleRate, 48000U);
    }

    void writesAFileFfprobeReads() {
        const std::string path = dir_.filePath("out.mp4").toStdString();
        auto writer = MuxerWriter::open(path, {Container::FragmentedMp4, tracks_, 1000ms});
        QVERIFY2(writer, writer ? "" : writer.error().message().c_str());
        auto ok = writeAll(**writer);
        QVERIFY2(ok, ok ? "" : ok.error().message().c_str());
        QCOMPARE((*writer)->bytes(), std::filesystem::file_size(path));
        QString log;
        const auto json = test::ffprobeJson(
            {"-show_entries", "format=duration", QString::fromStdString(path)}, &log);
        const double duration =
            json.value("format").toObject().value("duration").toString("0").toDouble();
        QVERIFY2(duration > 1.5 && duration < 2.5, qPrintable(log));
    }

    void fullDiskNamesThePathAndTheReason() {
        // /dev/full takes the open and fails every write with ENOSPC.
        base::Status outcome;
        auto writer = MuxerWriter::open("/dev/full", {Container::MpegTs, tracks_, 1000ms});
        if (!writer) {
            outcome = base::fail(writer.error());
        } else {
            outcome = writeAll(**writer);
        }
        QVERIFY(!outcome);
        const auto message = QString::fromStdString(outcome.error().message());
        QVERIFY2(message.contains("/dev/full"), qPrintable(message));
        QVERIFY2(message.contains("No space left on device"), qPrintable(message));
    }

    void missingFolderNamesThePath() {
        const std::string path = dir_.filePath("missing/out.ts").toStdString();
        auto writer = MuxerWriter::open(path, {Container::MpegTs, tracks_, 1000ms});
        QVERIFY(!writer);
        const auto message = QString::fromStdString(writer.error().message());
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains("No such file or directory"), qPrintable(message));
    }

    void refusesAnEmptyTrackSet() {
        auto writer = MuxerWriter::open(dir_.filePath("none.mp4").toStdString(), {});
        QVERIFY(!writer);
    }
};

QTEST_APPLESS_MAIN(tst_MuxerWriter)
#include "tst_MuxerWriter.moc"
