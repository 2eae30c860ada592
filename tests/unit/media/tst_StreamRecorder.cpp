// StreamRecorder against a real Hub: packets from an ffmpeg-made H.264/AAC file pushed through
// a Publisher, the files it writes checked with the ffprobe CLI.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <filesystem>
#include <semaphore>

#ifdef __linux__
#include <sys/resource.h>
#endif

#include "MediaFixtures.h"
#include "RecordingChecks.h"
#include "SampleCollector.h"
#include "media/StreamRecorder.h"
#include "media/record/Mp4Finaliser.h"
#include "stream/Hub.h"

using namespace stagecast;
using namespace stagecast::media;
using namespace std::chrono_literals;
using record::RecordingEvent;
using record::RecordingEventType;
using record::RecordingState;
using test::EventLog;
using test::firstVideoFrameKey;
using test::probeFile;
using test::qpath;

namespace {

record::RecordingOptions optionsIn(const QString& folder) {
    record::RecordingOptions options;
    options.folder = folder.toStdString();
    // Large enough that these tests never skip, whatever the machine's speed.
    options.readerPolicy.skipBacklog = 600s;
    options.readerPolicy.maxBacklogBytes = 512 * 1024 * 1024;
    return options;
}

std::unique_ptr<stream::Publisher> publish(stream::Hub& hub, const stream::StreamKey& key) {
    auto publisher = hub.publish({.key = key, .who = {1, "test", "127.0.0.1"}, .onEvicted = {}});
    return publisher ? std::move(*publisher) : nullptr;
}

QStringList filesIn(const QString& folder) {
    return QDir(folder).entryList(QDir::Files, QDir::Name);
}

} // namespace

class tst_StreamRecorder : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::vector<stream::PacketPtr> media_;
    double pushedSeconds_ = 0; // media time of one push of media_
    stream::StreamKey key_ = *stream::StreamKey::make("live", "rec");
    int folders_ = 0;

    QString newFolder() {
        const QString path = dir_.filePath("rec" + QString::number(++folders_));
        return path; // the recorder creates it
    }

    /// Starts `recorder` and waits until it is subscribed (before anyone publishes, so it
    /// sees every packet).
    static bool startAndWait(StreamRecorder& recorder, std::uint64_t subscriptions = 1) {
        recorder.start();
        return test::pollUntil([&] {
            const auto s = recorder.status();
            return s.subscriptions == subscriptions && s.reader.deliveredPackets == 0;
        });
    }

    void pushAll(stream::Publisher& publisher) {
        for (const auto& p : media_) {
            publisher.push(p);
        }
    }

    bool waitTaken(const StreamRecorder& recorder, std::uint64_t packets) {
        return test::pollUntil([&] { return recorder.status().packets == packets; });
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString path = dir_.filePath("six.flv");
        QString log;
        QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("testsrc2=s=320x240:r=30",
                                                      test::sineMinus20dBFS(), 6, path),
                                 &log),
                 qPrintable(log));
        media_ = test::flvPackets(path, &log);
        QVERIFY2(!media_.empty(), qPrintable(log));
        std::chrono::milliseconds last{0};
        for (const auto& p : media_) {
            if (!p->config && p->kind == stream::TrackKind::Video) {
                last = std::max(last, p->dts);
            }
        }
        pushedSeconds_ = (static_cast<double>(last.count()) + 33.0) / 1000.0;
        QVERIFY(pushedSeconds_ > 5.5 && pushedSeconds_ < 6.5);
    }

    void writesPlayableMp4AndRemovesPart() {
        stream::Hub hub(stream::HubOptions{});
        const QString folder = newFolder();
        EventLog events;
        auto options = optionsIn(folder);
        options.progressInterval = 100ms;
        StreamRecorder recorder(hub, key_, options,
                                [&](const RecordingEvent& e) { events.add(e); });
        QVERIFY(startAndWait(recorder));
        auto publisher = publish(hub, key_);
        QVERIFY(publisher);
        pushAll(*publisher);
        QVERIFY(waitTaken(recorder, media_.size()));
        // Progress while the file is open: everything pushed is in it (bar the fragment
        // being built).
        QVERIFY(events.waitFor([&](const RecordingEvent& e) {
            return e.type == RecordingEventType::Progress &&
                   static_cast<double>(e.duration.count()) / 1000.0 > pushedSeconds_ - 0.5;
        }));
        recorder.stop();

        const auto started = events.of(RecordingEventType::Started);
        const auto finished = events.of(RecordingEventType::Finished);
        QCOMPARE(started.size(), 1U);
        QCOMPARE(finished.size(), 1U);
        for (const auto& p : events.of(RecordingEventType::Progress)) {
            QCOMPARE(p.path, started[0].path);
            QCOMPARE(p.file, started[0].file);
            QVERIFY(p.bytes > 0);
        }
        QVERIFY(started[0].path.string().ends_with(".part.mp4"));
        QCOMPARE(started[0].codecs, std::string("h264 320x240, aac 48000 Hz 2 ch"));
        QCOMPARE(started[0].stream, std::string("live/rec"));
        const auto& done = finished[0];
        QCOMPARE(done.state, RecordingState::Complete);
        QCOMPARE(done.reason, std::string("recorder stopped"));
        QCOMPARE(done.file, started[0].file);
        QVERIFY(done.path.string().ends_with(".mp4"));
        QVERIFY(!done.path.string().ends_with(".part.mp4"));
        QVERIFY(std::filesystem::exists(done.path));
        QVERIFY(!std::filesystem::exists(started[0].path)); // the part file is gone
        QCOMPARE(done.bytes, std::filesystem::file_size(done.path));
        QCOMPARE(filesIn(folder).size(), 1);

        const auto probed = probeFile(qpath(done.path));
        QVERIFY2(probed.codecs == QStringList({"aac", "h264"}), qPrintable(probed.log));
        QCOMPARE(probed.width, 320);
        QCOMPARE(probed.height, 240);
        QVERIFY2(
            std::abs(probed.duration - pushedSeconds_) < 0.5,
            qPrintable(
                QString("ffprobe %1 s, pushed %2 s").arg(probed.duration).arg(pushedSeconds_)));
        QVERIFY(std::abs(static_cast<double>(done.duration.count()) / 1000.0 - probed.duration) <
                0.5);
        QVERIFY(probed.formatName.contains("mp4"));
        QCOMPARE(firstVideoFrameKey(qpath(done.path)), 1);

        const auto status = recorder.status();
        QVERIFY(!status.running);
        QVERIFY(status.failure.empty());
        QCOMPARE(status.filesCompleted, 1U);
        QCOMPARE(status.reader.droppedPackets, 0U);
    }

    void abandonedPartPlaysAndRecovers() {
        stream::Hub hub(stream::HubOptions{});
        const QString folder = newFolder();
        EventLog events;
        StreamRecorder recorder(hub, key_, optionsIn(folder),
                                [&](const RecordingEvent& e) { events.add(e); });
        QVERIFY(startAndWait(recorder));
        auto publisher = publish(hub, key_);
        QVERIFY(publisher);
        pushAll(*publisher);
        QVERIFY(waitTaken(recorder, media_.size()));
        recorder.abandon(); // as if killed: no trailer, no finalisation

        QCOMPARE(events.of(RecordingEventType::Finished).size(), 0U);
        const auto started = events.of(RecordingEventType::Started);
        QCOMPARE(started.size(), 1U);
        const auto part = started[0].path;
        QVERIFY(std::filesystem::exists(part));
        QCOMPARE(filesIn(folder).size(), 1);
        const auto left = probeFile(qpath(part));
        QVERIFY2(left.codecs == QStringList({"aac", "h264"}), qPrintable(left.log));
        QVERIFY2(
            left.duration >= pushedSeconds_ - 1.5,
            qPrintable(
                QString("part file %1 s, pushed %2 s").arg(left.duration).arg(pushedSeconds_)));

        auto recovered = record::recoverFragmented(part);
        QVERIFY2(recovered, recovered ? "" : recovered.error().message().c_str());
        QVERIFY(!std::filesystem::exists(part));
        QCOMPARE(recovered->path, record::finalPathFor(part));
        QCOMPARE(recovered->bytes, std::filesystem::file_size(recovered->path));
        const auto probed = probeFile(qpath(recovered->path));
        QVERIFY2(probed.codecs == QStringList({"aac", "h264"}), qPrintable(probed.log));
        QVERIFY(probed.formatName.contains("mp4"));
        QVERIFY(probed.duration >= pushedSeconds_ - 1.5);
        QVERIFY(std::abs(static_cast<double>(recovered->duration.count()) / 1000.0 -
                         probed.duration) < 0.5);
        QCOMPARE(firstVideoFrameKey(qpath(recovered->path)), 1);
    }

    void recoverRejectsWhatItCannotRecover() {
        auto wrongName = record::recoverFragmented(dir_.filePath("x.mp4").toStdString());
        QVERIFY(!wrongName);
        QVERIFY(wrongName.error().message().find(".part.mp4") != std::string::npos);

        const QString garbage = dir_.filePath("garbage.part.mp4");
        QFile file(garbage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
        file.close();
        auto broken = record::recoverFragmented(garbage.toStdString());
        QVERIFY(!broken);
        QVERIFY(broken.error().message().find(garbage.toStdString()) != std::string::npos);
        QVERIFY(QFile::exists(garbage)); // kept for a closer look
    }

    void republishWithinWindowContinuesTheFile() {
        stream::Hub hub(stream::HubOptions{});
        const QString folder = newFolder();
        EventLog events;
        auto options = optionsIn(folder);
        options.resumeWindow = 600s;
        StreamRecorder recorder(hub, key_, options,
                                [&](const RecordingEvent& e) { events.add(e); });
        QVERIFY(startAndWait(recorder));
        {
            auto first = publish(hub, key_);
            QVERIFY(first);
            pushAll(*first);
            QVERIFY(waitTaken(recorder, media_.size()));
        }                                   // unpublished
        QVERIFY(startAndWait(recorder, 2)); // subscribed again, waiting for a publisher
        auto second = publish(hub, key_);
        QVERIFY(second);
        pushAll(*second); // the same media: its timestamps restart at 0
        QVERIFY(waitTaken(recorder, 2 * media_.size()));
        recorder.stop();

        QCOMPARE(events.of(RecordingEventType::Started).size(), 1U);
        const auto finished = events.of(RecordingEventType::Finished);
        QCOMPARE(finished.size(), 1U);
        QCOMPARE(finished[0].state, RecordingState::Complete);
        QCOMPARE(filesIn(folder).size(), 1);
        QCOMPARE(recorder.status().resumes, 1U);
        const auto probed = probeFile(qpath(finished[0].path));
        QVERIFY2(probed.codecs == QStringList({"aac", "h264"}), qPrintable(probed.log));
        QVERIFY2(
            std::abs(probed.duration - 2 * pushedSeconds_) < 0.5,
            qPrintable(
                QString("ffprobe %1 s, pushed 2 x %2 s").arg(probed.duration).arg(pushedSeconds_)));
    }

    void republishAfterWindowStartsANewFile() {
        stream::Hub hub(stream::HubOptions{});
        const QString folder = newFolder();
        EventLog events;
        auto options = optionsIn(folder);
        options.resumeWindow = 200ms;
        StreamRecorder recorder(hub, key_, options,
                                [&](const RecordingEvent& e) { events.add(e); });
        QVERIFY(startAndWait(recorder));
        {
            auto first = publish(hub, key_);
            QVERIFY(first);
            pushAll(*first);
            QVERIFY(waitTaken(recorder, media_.size()));
        }
        // The window runs out with nobody publishing: the file is closed.
        QVERIFY(events.waitForFinished(1));
        QCOMPARE(events.of(RecordingEventType::Finished)[0].reason, std::string("publisher left"));
        auto second = publish(hub, key_);
        QVERIFY(second);
        pushAll(*second);
        QVERIFY(waitTaken(recorder, 2 * media_.size()));
        recorder.stop();

        const auto finished = events.of(RecordingEventType::Finished);
        QCOMPARE(finished.size(), 2U);
        QCOMPARE(filesIn(folder).size(), 2);
        QCOMPARE(recorder.status().resumes, 0U);
        QVERIFY(finished[0].path != finished[1].path);
        for (const auto& f : finished) {
            QCOMPARE(f.state, RecordingState::Complete);
            const auto probed = probeFile(qpath(f.path));
            QVERIFY2(std::abs(probed.duration - pushedSeconds_) < 0.5, qPrintable(probed.log));
        }
    }

    void splitsByDurationAtKeyframes_data() {
        QTest::addColumn<int>("maxMs");
        QTest::newRow("2 s, on a keyframe") << 2000;
        // Reached mid-GOP: the cut waits for the next keyframe (2 s).
        QTest::newRow("1.5 s, between keyframes") << 1500;
    }

    void splitsByDurationAtKeyframes() {
        QFETCH(int, maxMs);
        stream::Hub hub(stream::HubOptions{});
        const QString folder = newFolder();
        EventLog events;
        auto options = optionsIn(folder);
        options.maxDuration = std::chrono::milliseconds(maxMs);
        StreamRecorder recorder(hub, key_, options,
                                [&](const RecordingEvent& e) { events.add(e); });
        QVERIFY(startAndWait(recorder));
        auto publisher = publish(hub, key_);
        QVERIFY(publisher);
        pushAll(*publisher);
        QVERIFY(waitTaken(recorder, media_.size()));
        recorder.stop();

        const auto finished = events.of(RecordingEventType::Finished);
        QVERIFY2(finished.size() >= 2 && finished.size() <= 4,
                 qPrintable(QString::number(finished.size())));
        QCOMPARE(filesIn(folder).size(), static_cast<qsizetype>(finished.size()));
        double total = 0;
        for (std::size_t i = 0; i < finished.size(); ++i) {
            const auto& f = finished[i];
            QCOMPARE(f.state, RecordingState::Complete);
            QCOMPARE(f.reason, std::string(i + 1 < finished.size() ? "split: max duration"
                                                                   : "recorder stopped"));
            const QString path = qpath(f.path);
            QCOMPARE(firstVideoFrameKey(path), 1);
            const auto probed = probeFile(path);
            QVERIFY2(probed.codecs == QStringList({"aac", "h264"}), qPrintable(probed.log));
            QVERIFY(probed.duration < 2.0 + 1.0); // at most the limit plus one GOP
            total += probed.duration;
        }
        QVERIFY2(std::abs(total - pushedSeconds_) < 0.5, qPrintable(QString::number(total)));
    }

    void splitsBySizeAtKeyframes() {
        stream::Hub hub(stream::HubOptions{});
        const QString folder = newFolder();
        EventLog events;
        auto options = optionsIn(folder);
        options.maxBytes = 100 * 1024; // the 6 s fixture is about 340 kB
        StreamRecorder recorder(hub, key_, options,
                                [&](const RecordingEvent& e) { events.add(e); });
        QVERIFY(startAndWait(recorder));
        auto publisher = publish(hub, key_);
        QVERIFY(publisher);
        pushAll(*publisher);
        QVERIFY(waitTaken(recorder, media_.size()));
        recorder.stop();

        const auto finished = events.of(RecordingEventType::Finished);
        QVERIFY2(finished.size() >= 2, qPrintable(QString::number(finished.size())));
        QCOMPARE(filesIn(folder).size(), static_cast<qsizetype>(finished.size()));
        for (std::size_t i = 0; i < finished.size(); ++i) {
            QCOMPARE(finished[i].reason,
                     std::string(i + 1 < finished.size() ? "split: max size" : "recorder stopped"));
            QCOMPARE(firstVideoFrameKey(qpath(finished[i].path)), 1);
        }
    }

#ifdef __linux__
    void writeErrorMidFileFailsCleanly() {
        // A file-size limit makes the kernel refuse writes past 64 kB (EFBIG) as a full disk
        // would (ENOSPC): the file fails part way, with the path and the system's words.
        struct rlimit saved {};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        const auto previous = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limited = saved;
        limited.rlim_cur = 64 * 1024;

        stream::Hub hub(stream::HubOptions{});
        const QString folder = newFolder();
        EventLog events;
        StreamRecorder recorder(hub, key_, optionsIn(folder),
                                [&](const RecordingEvent& e) { events.add(e); });
        QVERIFY(startAndWait(recorder));
        auto other = hub.subscribe({.key = key_,
                                    .who = {7, "test", "127.0.0.1"},
                                    .waitForPublisher = true,
                                    .endWithPublisher = true,
                                    .notify = {}},
                                   optionsIn(folder).readerPolicy);
        QVERIFY(other);
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
        auto publisher = publish(hub, key_);
        pushAll(*publisher);
        const bool failed = events.waitForFinished(1);
        setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, previous);
        QVERIFY(failed);

        const auto started = events.of(RecordingEventType::Started);
        const auto finished = events.of(RecordingEventType::Finished);
        QCOMPARE(started.size(), 1U);
        QCOMPARE(finished.size(), 1U);
        QCOMPARE(finished[0].state, RecordingState::Failed);
        QCOMPARE(finished[0].path, started[0].path);
        const auto reason = QString::fromStdString(finished[0].reason);
        QVERIFY2(reason.contains(qpath(started[0].path)), qPrintable(reason));
        QVERIFY2(reason.contains("File too large"), qPrintable(reason));
        QVERIFY(test::pollUntil([&] { return !recorder.status().running; }));
        QVERIFY(test::pollUntil([&] { return hub.snapshot(key_)->readers == 1; }));
        QVERIFY(hub.snapshot(key_)->live);
        std::vector<stream::PacketPtr> got;
        (*other)->reader().drain(got, SIZE_MAX, hub.now());
        QCOMPARE(got.size(), media_.size());
    }
#endif

    void unwritableFolderFailsCleanly_data() {
        QTest::addColumn<QString>("folder");
        QTest::newRow("under /proc") << QString("/proc/stagecast-recorder-test/rec");
        // A regular file where a folder should be: refused even for root.
        QTest::newRow("under a file") << QString("NOT_A_FOLDER/rec");
    }

    void unwritableFolderFailsCleanly() {
        QFETCH(QString, folder);
        if (folder.startsWith("NOT_A_FOLDER")) {
            const QString blocker = dir_.filePath("blocker");
            QFile file(blocker);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.close();
            folder.replace("NOT_A_FOLDER", blocker);
        }
        stream::Hub hub(stream::HubOptions{});
        EventLog events;
        StreamRecorder recorder(hub, key_, optionsIn(folder),
                                [&](const RecordingEvent& e) { events.add(e); });
        QVERIFY(startAndWait(recorder));
        auto other = hub.subscribe({.key = key_,
                                    .who = {7, "test", "127.0.0.1"},
                                    .waitForPublisher = true,
                                    .endWithPublisher = true,
                                    .notify = {}},
                                   optionsIn(folder).readerPolicy); // drained only at the end
        QVERIFY(other);
        auto publisher = publish(hub, key_);
        QVERIFY(publisher);
        pushAll(*publisher);

        QVERIFY(events.waitForFinished(1));
        const auto finished = events.of(RecordingEventType::Finished);
        QCOMPARE(finished.size(), 1U);
        QCOMPARE(finished[0].state, RecordingState::Failed);
        QVERIFY2(QString::fromStdString(finished[0].reason).contains(folder),
                 finished[0].reason.c_str());
        QVERIFY(test::pollUntil([&] { return !recorder.status().running; }));
        QCOMPARE(recorder.status().failure, finished[0].reason);
        QCOMPARE(events.of(RecordingEventType::Started).size(), 0U);

        // The hub and the other reader go on as if nothing happened.
        QVERIFY(test::pollUntil([&] { return hub.snapshot(key_)->readers == 1; }));
        QVERIFY(hub.snapshot(key_)->live);
        std::vector<stream::PacketPtr> got;
        (*other)->reader().drain(got, SIZE_MAX, hub.now());
        QCOMPARE(got.size(), media_.size());
        QCOMPARE((*other)->reader().state(), stream::ReaderState::Open);
        recorder.stop();
        QCOMPARE(events.of(RecordingEventType::Finished).size(), 1U);
    }

    void writesOtherContainers_data() {
        QTest::addColumn<int>("container");
        QTest::addColumn<QString>("extension");
        QTest::addColumn<QString>("formatName");
        QTest::newRow("mpeg-ts") << static_cast<int>(record::Container::MpegTs) << ".ts"
                                 << "mpegts";
        QTest::newRow("flv") << static_cast<int>(record::Container::Flv) << ".flv"
                             << "flv";
    }

    void writesOtherContainers() {
        QFETCH(int, container);
        QFETCH(QString, extension);
        QFETCH(QString, formatName);
        stream::Hub hub(stream::HubOptions{});
        const QString folder = newFolder();
        EventLog events;
        auto options = optionsIn(folder);
        options.container = static_cast<record::Container>(container);
        StreamRecorder recorder(hub, key_, options,
                                [&](const RecordingEvent& e) { events.add(e); });
        QVERIFY(startAndWait(recorder));
        auto publisher = publish(hub, key_);
        QVERIFY(publisher);
        pushAll(*publisher);
        QVERIFY(waitTaken(recorder, media_.size()));
        recorder.stop();

        const auto finished = events.of(RecordingEventType::Finished);
        QCOMPARE(finished.size(), 1U);
        QCOMPARE(finished[0].state, RecordingState::Complete);
        const QString path = qpath(finished[0].path);
        QVERIFY(path.endsWith(extension));
        QCOMPARE(events.of(RecordingEventType::Started)[0].path, finished[0].path);
        QCOMPARE(filesIn(folder).size(), 1);
        const auto probed = probeFile(path);
        QCOMPARE(probed.formatName, formatName);
        QVERIFY2(probed.codecs == QStringList({"aac", "h264"}), qPrintable(probed.log));
        QVERIFY2(std::abs(probed.duration - pushedSeconds_) < 0.5,
                 qPrintable(QString::number(probed.duration)));
        QCOMPARE(firstVideoFrameKey(path), 1);
    }

    void slowDiskSkipsByGopAndKeepsRecording() {
        stream::Hub hub(stream::HubOptions{});
        const QString folder = newFolder();
        EventLog events;
        std::binary_semaphore blocked(0);
        std::binary_semaphore release(0);
        auto options = optionsIn(folder);
        options.readerPolicy = record::RecordingOptions{}.readerPolicy; // the default: skip
        options.readerPolicy.skipBacklog = 2s;
        StreamRecorder recorder(hub, key_, options, [&](const RecordingEvent& e) {
            if (e.type == RecordingEventType::Started) {
                // A stalled disk: the worker stops here while the test pushes on.
                blocked.release();
                release.acquire();
            }
            events.add(e);
        });
        QVERIFY(startAndWait(recorder));
        auto publisher = publish(hub, key_);
        QVERIFY(publisher);
        pushAll(*publisher);
        QVERIFY(blocked.try_acquire_for(60s));
        std::uint64_t later = 0;
        for (const auto& p : media_) { // six more seconds, later on the same timeline
            if (!p->config) {
                auto copy = std::make_shared<stream::MediaPacket>(*p);
                copy->dts += std::chrono::milliseconds(6000);
                publisher->push(copy);
                ++later;
            }
        }
        release.release();
        const auto pushed = static_cast<std::uint64_t>(media_.size()) + later;
        QVERIFY(test::pollUntil([&] {
            const auto s = recorder.status();
            return s.reader.deliveredPackets + s.reader.droppedPackets == pushed &&
                   s.packets == s.reader.deliveredPackets;
        }));
        recorder.stop();

        const auto status = recorder.status();
        QVERIFY(status.reader.skips >= 1);
        QVERIFY(status.reader.droppedPackets > 0);
        QCOMPARE(status.subscriptions, 1U); // skipped, never disconnected
        const auto finished = events.of(RecordingEventType::Finished);
        QCOMPARE(finished.size(), 1U);
        QCOMPARE(finished[0].state, RecordingState::Complete);
        const auto probed = probeFile(qpath(finished[0].path));
        QVERIFY2(probed.codecs == QStringList({"aac", "h264"}), qPrintable(probed.log));
        QVERIFY(probed.duration > 0.5);
    }
};

QTEST_APPLESS_MAIN(tst_StreamRecorder)
#include "tst_StreamRecorder.moc"
