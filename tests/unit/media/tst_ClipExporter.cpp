// ClipExporter on a 20 s H.264 + AAC recording made by the ffmpeg CLI (testsrc2, a keyframe
// every second): seconds 5-10 in copy mode from MP4, fragmented MP4, MPEG-TS and FLV (5 s
// within one GOP, decodes), in accurate mode (5.0 s within 0.1 s, first picture is the
// source's picture at 5 s), progress reaching 1, cancel deleting the output, and the errors a
// user gets for a missing file, reversed times, a start past the end and an unwritable output.

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <mutex>

#include "MediaFixtures.h"
#include "media/record/ClipExporter.h"

using namespace stagecast;
using namespace stagecast::media::record;
using namespace std::chrono_literals;
namespace test = stagecast::media::test;

namespace {

struct ProgressLog {
    std::mutex mutex;
    std::vector<double> values;
    void add(double v) {
        std::lock_guard lock(mutex);
        values.push_back(v);
    }
    std::vector<double> all() {
        std::lock_guard lock(mutex);
        return values;
    }
};

double formatDuration(const QString& path, QString* log) {
    const auto json = test::ffprobeJson({"-show_format", path}, log);
    return json.value("format").toObject().value("duration").toString().toDouble();
}

/// Pictures ffmpeg decodes from `path` with no error (-1 on a decode error).
int decodedFrames(const QString& path, QString* log) {
    QProcess p;
    p.start("ffmpeg", {"-hide_banner", "-v", "error", "-xerror", "-i", path, "-map", "0:v:0", "-f",
                       "framecrc", "-"});
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        *log = p.readAllStandardError();
        return -1;
    }
    *log = p.readAllStandardError();
    if (!log->isEmpty()) {
        return -1;
    }
    int frames = 0;
    for (const auto& line : p.readAllStandardOutput().split('\n')) {
        frames += line.startsWith("0,") ? 1 : 0;
    }
    return frames;
}

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

class tst_ClipExporter : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString source_; // 20 s MP4

    QString path(const QString& name) const { return dir_.filePath(name); }

    ClipStatus run(ClipRequest request, ProgressLog* progress = nullptr) {
        ClipExporter job(std::move(request), [progress](double v) {
            if (progress != nullptr) {
                progress->add(v);
            }
        });
        job.start();
        return job.wait();
    }

    bool frame(const QString& input, int n, const QString& out, QString* log) {
        return test::runFfmpeg(
            {"-i", input, "-vf", QString("select=eq(n\\,%1)").arg(n), "-frames:v", "1", out}, log);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        source_ = path("rec.mp4");
        QString log;
        const QStringList encode = {"-f",
                                    "lavfi",
                                    "-i",
                                    "testsrc2=s=320x240:r=30",
                                    "-f",
                                    "lavfi",
                                    "-i",
                                    test::sineMinus20dBFS(),
                                    "-t",
                                    "20",
                                    "-c:v",
                                    "libx264",
                                    "-preset",
                                    "veryfast",
                                    "-g",
                                    "30",
                                    "-keyint_min",
                                    "30",
                                    "-sc_threshold",
                                    "0",
                                    "-pix_fmt",
                                    "yuv420p",
                                    "-c:a",
                                    "aac",
                                    "-b:a",
                                    "96k"};
        QVERIFY2(test::runFfmpeg(encode + QStringList{source_}, &log), qPrintable(log));
        // The recorder's other containers, by stream copy of the same media.
        QVERIFY2(test::runFfmpeg({"-i", source_, "-c", "copy", path("rec.ts")}, &log),
                 qPrintable(log));
        QVERIFY2(test::runFfmpeg({"-i", source_, "-c", "copy", path("rec.flv")}, &log),
                 qPrintable(log));
        QVERIFY2(test::runFfmpeg({"-i", source_, "-c", "copy", "-movflags",
                                  "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4",
                                  path("rec.part.mp4")},
                                 &log),
                 qPrintable(log));
    }

    void copyMode_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("output");
        QTest::addColumn<double>("from");
        QTest::newRow("mp4") << "rec.mp4"
                             << "copy-mp4.mp4" << 5.0;
        QTest::newRow("fragmented part.mp4") << "rec.part.mp4"
                                             << "copy-part.mp4" << 5.0;
        QTest::newRow("mpeg-ts") << "rec.ts"
                                 << "copy-ts.ts" << 5.0;
        QTest::newRow("flv") << "rec.flv"
                             << "copy-flv.mp4" << 5.0;
        // Between keyframes: the clip starts at the keyframe before (5 s), half a GOP early.
        QTest::newRow("mp4 mid-GOP") << "rec.mp4"
                                     << "copy-mid.mp4" << 5.5;
        QTest::newRow("mpeg-ts mid-GOP") << "rec.ts"
                                         << "copy-mid-ts.mp4" << 5.5;
    }
    void copyMode() {
        QFETCH(QString, input);
        QFETCH(QString, output);
        QFETCH(double, from);
        ProgressLog progress;
        const auto status = run({.input = path(input).toStdString(),
                                 .output = path(output).toStdString(),
                                 .from = std::chrono::duration<double>(from),
                                 .to = 10s,
                                 .mode = ClipMode::Copy},
                                &progress);
        QVERIFY2(status.state == ClipState::Done, status.error.c_str());
        QCOMPARE(status.progress, 1.0);
        // The keyframe at or before `from`: the source has one every second, on the second.
        QVERIFY2(std::abs(status.outcome.startsAt.count() - 5.0) < 0.01,
                 qPrintable(QString::number(status.outcome.startsAt.count())));
        QString log;
        const double duration = formatDuration(path(output), &log);
        qInfo("copy %s: starts at %.3f s, %.3f s long", qPrintable(input),
              status.outcome.startsAt.count(), duration);
        QVERIFY2(duration >= 4.0 && duration <= 6.0 + 0.05,
                 qPrintable(QString("duration %1 s").arg(duration)));
        const int frames = decodedFrames(path(output), &log);
        QVERIFY2(frames >= 150 && frames <= 180,
                 qPrintable(QString("%1 frames: %2").arg(frames).arg(log)));
        const auto values = progress.all();
        QVERIFY(values.size() >= 3);
        QVERIFY(std::is_sorted(values.begin(), values.end()));
        QCOMPARE(values.back(), 1.0);
        const auto probed = test::ffprobeJson({"-show_streams", path(output)}, &log);
        QCOMPARE(probed.value("streams").toArray().size(), 2); // video and audio kept
    }

    void accurateMode_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<double>("from");
        QTest::addColumn<int>("firstFrame"); // the source's frame number at `from` (30 fps)
        QTest::newRow("mp4 on a keyframe") << "rec.mp4" << 5.0 << 150;
        QTest::newRow("mp4 mid-GOP") << "rec.mp4" << 5.5 << 165;
        QTest::newRow("mpeg-ts mid-GOP") << "rec.ts" << 5.5 << 165;
    }
    void accurateMode() {
        QFETCH(QString, input);
        QFETCH(double, from);
        QFETCH(int, firstFrame);
        ProgressLog progress;
        const QString out = path(QString("accurate-%1-%2.mp4").arg(input).arg(from));
        const auto status = run({.input = path(input).toStdString(),
                                 .output = out.toStdString(),
                                 .from = std::chrono::duration<double>(from),
                                 .to = std::chrono::duration<double>(from + 5.0),
                                 .mode = ClipMode::Accurate},
                                &progress);
        QVERIFY2(status.state == ClipState::Done, status.error.c_str());
        QCOMPARE(progress.all().back(), 1.0);
        QString log;
        const double duration = formatDuration(out, &log);
        QVERIFY2(std::abs(duration - 5.0) <= 0.1, qPrintable(QString("duration %1").arg(duration)));
        QCOMPARE(decodedFrames(out, &log), 150);

        // The clip's first picture is the source's picture at `from`, not one of its
        // neighbours 0.1 s away (testsrc2 moves every frame).
        QVERIFY(frame(out, 0, path("clip0.png"), &log));
        QVERIFY(frame(path(input), firstFrame, path("at.png"), &log));
        QVERIFY(frame(path(input), firstFrame - 3, path("before.png"), &log));
        QVERIFY(frame(path(input), firstFrame + 3, path("after.png"), &log));
        const auto same = psnr(path("clip0.png"), path("at.png"), &log);
        const auto before = psnr(path("clip0.png"), path("before.png"), &log);
        const auto after = psnr(path("clip0.png"), path("after.png"), &log);
        QVERIFY2(same && before && after, qPrintable(log));
        const QString figures = QString("from %1 s: %2 dB; 0.1 s before %3 dB, after %4 dB")
                                    .arg(from)
                                    .arg(*same)
                                    .arg(*before)
                                    .arg(*after);
        qInfo("accurate: %.3f s; %s", duration, qPrintable(figures));
        QVERIFY2(*same > 35.0, qPrintable(figures));
        QVERIFY2(*same > *before + 5.0 && *same > *after + 5.0, qPrintable(figures));
    }

    void cancelDeletesTheOutput() {
        const QString out = path("cancelled.mp4");
        std::atomic<ClipExporter*> job{nullptr};
        std::atomic<bool> sawProgress{false};
        ClipExporter exporter({.input = source_.toStdString(),
                               .output = out.toStdString(),
                               .from = 0s,
                               .to = 20s,
                               .mode = ClipMode::Accurate},
                              [&](double v) {
                                  if (v > 0.05 && v < 1.0) {
                                      sawProgress = true;
                                      job.load()->cancel(); // from the job's own thread
                                  }
                              });
        job = &exporter;
        exporter.start();
        const auto status = exporter.wait();
        QVERIFY(sawProgress);
        QVERIFY(status.state == ClipState::Cancelled);
        QCOMPARE(status.error, std::string("clip export cancelled"));
        QVERIFY(status.progress < 1.0);
        QVERIFY(!QFile::exists(out));
    }

    void cancelFromAnotherThread() {
        const QString out = path("cancelled2.mp4");
        ClipExporter exporter({.input = source_.toStdString(),
                               .output = out.toStdString(),
                               .from = 0s,
                               .to = 20s,
                               .mode = ClipMode::Accurate});
        exporter.start();
        QVERIFY(QTest::qWaitFor([&] { return exporter.status().progress > 0.02; }, 60000));
        exporter.cancel();
        const auto status = exporter.wait();
        QVERIFY(status.state == ClipState::Cancelled);
        QVERIFY(!QFile::exists(out));
    }

    void errors_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("output");
        QTest::addColumn<double>("from");
        QTest::addColumn<double>("to");
        QTest::addColumn<QString>("error");
        QTest::newRow("missing file")
            << "nothere.mp4"
            << "e1.mp4" << 5.0 << 10.0 << "recording not found: %1/nothere.mp4";
        QTest::newRow("start after end")
            << "rec.mp4"
            << "e2.mp4" << 10.0 << 5.0 << "clip start 10 s must be before its end 5 s";
        QTest::newRow("start equals end")
            << "rec.mp4"
            << "e3.mp4" << 5.0 << 5.0 << "clip start 5 s must be before its end 5 s";
        QTest::newRow("start past the end")
            << "rec.mp4"
            << "e4.mp4" << 30.0 << 40.0
            << "clip start 30 s is past the end of the recording (20.0 s)";
        QTest::newRow("start past the end of a ts") << "rec.ts"
                                                    << "e5.mp4" << 30.0 << 40.0
                                                    << "clip start 30 s is past the end of the "
                                                       "recording (20.0 s)";
        QTest::newRow("unwritable output")
            << "rec.mp4"
            << "rec.mp4.blocker/clip.mp4" << 5.0 << 10.0
            << "cannot write clip %1/rec.mp4.blocker/clip.mp4: Not a directory";
        QTest::newRow("unknown container") << "rec.mp4"
                                           << "clip.xyz" << 5.0 << 10.0
                                           << "clip output %1/clip.xyz: unknown container: "
                                              "name it .mp4, .mov, .mkv, .ts or .flv";
    }
    void errors() {
        QFETCH(QString, input);
        QFETCH(QString, output);
        QFETCH(double, from);
        QFETCH(double, to);
        QFETCH(QString, error);
        QFile blocker(path("rec.mp4.blocker"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        for (const auto mode : {ClipMode::Copy, ClipMode::Accurate}) {
            const auto status = run({.input = path(input).toStdString(),
                                     .output = path(output).toStdString(),
                                     .from = std::chrono::duration<double>(from),
                                     .to = std::chrono::duration<double>(to),
                                     .mode = mode});
            QVERIFY(status.state == ClipState::Failed);
            QCOMPARE(QString::fromStdString(status.error),
                     QString(error).replace("%1", dir_.path()));
            QVERIFY(!QFile::exists(path(output)));
        }
    }

    void modeNames() {
        QVERIFY(parseClipMode("copy") == ClipMode::Copy);
        QVERIFY(parseClipMode("accurate") == ClipMode::Accurate);
        QCOMPARE(parseClipMode("fast").error().message(),
                 std::string("clip mode 'fast' is not known: choose copy or accurate"));
    }
};

QTEST_GUILESS_MAIN(tst_ClipExporter)
#include "tst_ClipExporter.moc"
