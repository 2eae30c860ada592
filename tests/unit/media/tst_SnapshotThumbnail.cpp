// JpegThumbnail on pictures decoded from ffmpeg-made H.264 (testsrc2): the JPEG decodes back
// in ffprobe as mjpeg at the configured width with the aspect-ratio height, and it shows the
// same picture as ffmpeg's own scale of that frame (PSNR).

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "MediaFixtures.h"
#include "media/VideoDecoder.h"
#include "media/snapshot/JpegThumbnail.h"

using namespace stagecast;
using namespace stagecast::media;
using namespace stagecast::media::snapshot;

namespace {

bool writeFile(const QString& path, const std::vector<std::uint8_t>& bytes) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) &&
           file.write(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<qint64>(bytes.size())) == static_cast<qint64>(bytes.size());
}

/// ffmpeg's PSNR (average, dB) of two single pictures of the same size.
std::optional<double> psnr(const QString& a, const QString& b, QString* log) {
    QProcess p;
    p.start("ffmpeg",
            {"-hide_banner", "-i", a, "-i", b, "-lavfi", "[0:v][1:v]psnr", "-f", "null", "-"});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        *log = p.readAllStandardError();
        return std::nullopt;
    }
    *log = p.readAllStandardError();
    const auto match = QRegularExpression("average:([0-9.]+|inf)").match(*log);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    return match.captured(1) == "inf" ? 100.0 : match.captured(1).toDouble();
}

} // namespace

class tst_SnapshotThumbnail : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void heightFollowsAspect_data() {
        QTest::addColumn<int>("sourceWidth");
        QTest::addColumn<int>("sourceHeight");
        QTest::addColumn<int>("sarNum");
        QTest::addColumn<int>("sarDen");
        QTest::addColumn<int>("height");
        QTest::newRow("4:3 stays") << 320 << 240 << 1 << 1 << 240;
        QTest::newRow("16:9 720p") << 1280 << 720 << 1 << 1 << 180;
        QTest::newRow("1080p") << 1920 << 1080 << 1 << 1 << 180;
        QTest::newRow("odd result rounds to even") << 640 << 362 << 1 << 1 << 182;
        QTest::newRow("anamorphic 720x576 16:9") << 720 << 576 << 64 << 45 << 180;
        QTest::newRow("unknown sar is square") << 1280 << 720 << 0 << 1 << 180;
        QTest::newRow("portrait") << 720 << 1280 << 1 << 1 << 568;
    }
    void heightFollowsAspect() {
        QFETCH(int, sourceWidth);
        QFETCH(int, sourceHeight);
        QFETCH(int, sarNum);
        QFETCH(int, sarDen);
        QFETCH(int, height);
        QCOMPARE(thumbnailHeight(320, sourceWidth, sourceHeight, sarNum, sarDen), height);
    }

    void encodesDecodedTestsrc2_data() {
        QTest::addColumn<QString>("size");
        QTest::addColumn<int>("height");
        QTest::newRow("320x240") << "320x240" << 240;
        QTest::newRow("1280x720") << "1280x720" << 180;
    }
    void encodesDecodedTestsrc2() {
        QFETCH(QString, size);
        QFETCH(int, height);
        const QString source = dir_.filePath("src-" + size + ".flv");
        QString log;
        QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("testsrc2=s=" + size + ":r=30",
                                                      "anullsrc=r=48000:cl=stereo", 1, source),
                                 &log),
                 qPrintable(log));
        const auto packets = test::flvPackets(source, &log);
        QVERIFY2(!packets.empty(), qPrintable(log));

        VideoDecoder decoder({.keyframesOnly = true});
        JpegThumbnail thumbnails;
        std::optional<Thumbnail> first;
        std::string error;
        for (const auto& p : packets) {
            if (p->kind != stream::TrackKind::Video || first) {
                continue;
            }
            auto ok = decoder.decode(*p, [&](const AVFrame& picture) {
                auto t = thumbnails.encode(picture);
                if (t) {
                    first = std::move(*t);
                } else {
                    error = t.error().message();
                }
            });
            QVERIFY2(ok, ok ? "" : ok.error().message().c_str());
        }
        QVERIFY2(first, error.c_str());
        QCOMPARE(first->width, 320);
        QCOMPARE(first->height, height);
        // JPEG magic: SOI ... EOI.
        QVERIFY(first->jpeg.size() > 1000);
        QCOMPARE(first->jpeg[0], std::uint8_t(0xFF));
        QCOMPARE(first->jpeg[1], std::uint8_t(0xD8));
        QCOMPARE(first->jpeg.back(), std::uint8_t(0xD9));

        const QString jpeg = dir_.filePath("thumb-" + size + ".jpg");
        QVERIFY(writeFile(jpeg, first->jpeg));
        const auto probed = test::ffprobeJson({"-show_streams", jpeg}, &log);
        const auto stream = probed.value("streams").toArray().at(0).toObject();
        QCOMPARE(stream.value("codec_name").toString(), QString("mjpeg"));
        QCOMPARE(stream.value("width").toInt(), 320);
        QCOMPARE(stream.value("height").toInt(), height);
        QCOMPARE(stream.value("pix_fmt").toString(), QString("yuvj420p"));

        // The same picture as ffmpeg's scale of the first frame, not a grey or shifted one.
        const QString reference = dir_.filePath("ref-" + size + ".png");
        QVERIFY2(test::runFfmpeg({"-i", source, "-frames:v", "1", "-vf",
                                  QString("scale=320:%1").arg(height), reference},
                                 &log),
                 qPrintable(log));
        const auto same = psnr(jpeg, reference, &log);
        QVERIFY2(same, qPrintable(log));
        QVERIFY2(*same > 25.0, qPrintable(QString("PSNR %1 dB").arg(*same)));
        // ...and a later frame of the moving pattern is measurably further away.
        const QString later = dir_.filePath("later-" + size + ".png");
        QVERIFY2(test::runFfmpeg({"-i", source, "-vf",
                                  QString("select=eq(n\\,20),scale=320:%1").arg(height),
                                  "-frames:v", "1", later},
                                 &log),
                 qPrintable(log));
        const auto other = psnr(jpeg, later, &log);
        QVERIFY2(other, qPrintable(log));
        QVERIFY2(*other < *same - 3.0,
                 qPrintable(QString("first %1 dB, frame 20 %2 dB").arg(*same).arg(*other)));
    }

    void sizeChangeRebuildsTheScaler() {
        // One encoder object for a stream whose publisher changes resolution.
        JpegThumbnail thumbnails;
        for (const QString size : {"640x360", "320x240"}) {
            const QString source = dir_.filePath("change-" + size + ".flv");
            QString log;
            QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("testsrc2=s=" + size + ":r=30",
                                                          "anullsrc=r=48000:cl=stereo", 1, source),
                                     &log),
                     qPrintable(log));
            VideoDecoder decoder({.keyframesOnly = true});
            std::optional<Thumbnail> out;
            for (const auto& p : test::flvPackets(source, &log)) {
                (void)decoder.decode(*p, [&](const AVFrame& picture) {
                    if (auto t = thumbnails.encode(picture)) {
                        out = std::move(*t);
                    }
                });
            }
            QVERIFY(out);
            QCOMPARE(out->height, size == "640x360" ? 180 : 240);
        }
    }

    void oddWidthIsRefused() {
        JpegThumbnail thumbnails({.width = 321});
        const QString source = dir_.filePath("src-320x240.flv");
        QString log;
        VideoDecoder decoder({.keyframesOnly = true});
        std::string error;
        for (const auto& p : test::flvPackets(source, &log)) {
            (void)decoder.decode(*p, [&](const AVFrame& picture) {
                if (auto t = thumbnails.encode(picture); !t) {
                    error = t.error().message();
                }
            });
        }
        QCOMPARE(error, std::string("thumbnail width 321 is not allowed: an even number of "
                                    "pixels, 16..7680"));
    }
};

QTEST_GUILESS_MAIN(tst_SnapshotThumbnail)
#include "tst_SnapshotThumbnail.moc"
